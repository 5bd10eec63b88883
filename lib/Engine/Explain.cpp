//===- Explain.cpp - Why a fact is not derived -----------------------------===//
#include "Explain.h"
#include "Evaluator.h"
#include "strata/IQL/Printer.h"
#include <map>

using namespace strata;
using namespace strata::engine;

namespace {
using Bindings = std::map<std::string, Value>;

llvm::Error failure(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// E with every bound variable replaced by its value.
Expr substitute(Expr E, const Bindings &B) {
  if (E.isVariable()) {
    auto It = B.find(E.Name);
    if (It != B.end()) {
      Expr C;
      C.K = Expr::Kind::Constant;
      C.Constant = It->second;
      C.Text = It->second.literal();
      return C;
    }
  }
  for (Expr &A : E.Args)
    A = substitute(std::move(A), B);
  return E;
}

Literal substitute(Literal L, const Bindings &B) {
  for (Expr &A : L.A.Args)
    A = substitute(std::move(A), B);
  L.Lhs = substitute(std::move(L.Lhs), B);
  L.Rhs = substitute(std::move(L.Rhs), B);
  return L;
}

/// Binds the head's variables to Fact's values; false when a constant of
/// the head or a repeated variable does not match.
bool matchHead(const Atom &Head, const Tuple &Fact, Bindings &B) {
  if (Head.Args.size() != Fact.size())
    return false;
  for (size_t I = 0; I < Fact.size(); ++I) {
    const Expr &A = Head.Args[I];
    if (A.isVariable()) {
      auto [It, New] = B.emplace(A.Name, Fact[I]);
      if (!New && It->second != Fact[I])
        return false;
    } else if (A.K != Expr::Kind::Constant || A.Constant != Fact[I]) {
      return false;
    }
  }
  return true;
}

/// What stops Body (the head already substituted): the first literal
/// after which the prefix has no solution, printed under the bindings of
/// the prefix before it; empty when the whole body holds.
llvm::Expected<std::string> blocker(const Graph &G, const std::vector<Literal> &Body) {
  // Every prefix lives until the end: the evaluator keeps a body's plan
  // by its address.
  std::vector<std::vector<Literal>> Prefixes;
  for (size_t K = 0; K < Body.size(); ++K)
    Prefixes.emplace_back(Body.begin(), Body.begin() + long(K + 1));
  Evaluator Ev(G);
  Bindings Before;
  for (size_t K = 0; K < Body.size(); ++K) {
    std::vector<std::string> Vars;
    llvm::Optional<std::vector<Value>> First;
    if (llvm::Error E = Ev.solve(Prefixes[K], Vars, [&](const std::vector<Value> &Vals) {
          if (!First)
            First = Vals;
        }))
      return E;
    if (First) {
      Before.clear();
      for (size_t I = 0; I < Vars.size(); ++I)
        Before.emplace(Vars[I], (*First)[I]);
      continue;
    }
    Literal L = substitute(Body[K], Before);
    switch (L.K) {
    case Literal::Kind::Positive:
      return "Body predicate " + std::to_string(K) + " (" + iql::printAtom(L.A) +
             ") has no matching facts";
    case Literal::Kind::Negative:
      return "Negated " + iql::printAtom(L.A) + " exists";
    case Literal::Kind::Compare:
      return "Comparison " + iql::printLiteral(L) + " failed";
    }
  }
  return std::string();
}
} // namespace

llvm::Expected<std::vector<std::string>> strata::engine::explainMissing(const Graph &G,
                                                                        const Atom &Fact) {
  Tuple Values;
  for (const Expr &A : Fact.Args) {
    if (!A.isGround())
      return failure("Usage: .why_not <relation>(<values>)");
    llvm::Expected<Value> V = evaluateGround(A);
    if (!V)
      return V.takeError();
    Values.push_back(std::move(*V));
  }
  std::vector<std::string> Lines{iql::printAtom(Fact) + " was NOT derived:"};
  auto Rule = G.Rules.find(Fact.Relation);
  if (Rule == G.Rules.end() || Rule->second.empty()) {
    Lines.push_back("  No rules produce this relation.");
    return Lines;
  }
  for (size_t I = 0; I < Rule->second.size(); ++I) {
    const Clause &C = Rule->second[I];
    Lines.push_back("");
    Lines.push_back("  Rule: " + Fact.Relation + " (clause " + std::to_string(I) + ")");
    Lines.push_back("    " + iql::printClause(C));
    Bindings Head;
    if (!matchHead(C.Head, Values, Head)) {
      Lines.push_back("    Blocker: Head " + iql::printAtom(C.Head) + " does not match");
      continue;
    }
    std::vector<Literal> Body;
    for (const Literal &L : C.Body)
      Body.push_back(substitute(L, Head));
    llvm::Expected<std::string> Why = blocker(G, Body);
    if (!Why)
      return Why.takeError();
    Lines.push_back(Why->empty() ? "    No blocker: this clause derives it"
                                 : "    Blocker: " + *Why);
  }
  return Lines;
}
