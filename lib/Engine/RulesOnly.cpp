//===- RulesOnly.cpp - The server's bound query of a recursive relation ---===//
#include "RulesOnly.h"
#include <algorithm>

using namespace strata::engine;

namespace {

bool readsItself(const Clause &C) {
  for (const Literal &L : C.Body)
    if (L.K == Literal::Kind::Positive && L.A.Relation == C.Head.Relation)
      return true;
  return false;
}

/// Whether argument I keeps its variable through every recursive use of
/// the relation in Rules: the head and each body atom of the relation
/// itself have the same variable there.
bool passedUnchanged(const std::vector<const Clause *> &Rules, size_t I) {
  for (const Clause *C : Rules)
    for (const Literal &L : C->Body) {
      if (L.K != Literal::Kind::Positive || L.A.Relation != C->Head.Relation)
        continue;
      if (I >= C->Head.Args.size() || I >= L.A.Args.size())
        return false;
      const Expr &H = C->Head.Args[I], &B = L.A.Args[I];
      if (!H.isVariable() || !B.isVariable() || H.Name != B.Name)
        return false;
    }
  return true;
}

/// Variables the query's body sets equal to a constant (`X = 5`).
std::set<std::string> constantVariables(const std::vector<Literal> &Body) {
  std::set<std::string> Out;
  for (const Literal &L : Body) {
    if (L.K != Literal::Kind::Compare || L.CmpOp != "=")
      continue;
    if (L.Lhs.isVariable() && L.Rhs.K == Expr::Kind::Constant)
      Out.insert(L.Lhs.Name);
    if (L.Rhs.isVariable() && L.Lhs.K == Expr::Kind::Constant)
      Out.insert(L.Rhs.Name);
  }
  return Out;
}

/// Whether the server rewrites atom A of a query: a relation with a rule
/// over itself, and a constant at an argument passed unchanged.
bool readFromRulesAlone(const Atom &A, const std::vector<const Clause *> &Rules,
                        const std::set<std::string> &Constants) {
  if (std::none_of(Rules.begin(), Rules.end(), [](const Clause *C) { return readsItself(*C); }))
    return false;
  for (size_t I = 0; I < A.Args.size(); ++I) {
    const Expr &E = A.Args[I];
    bool Bound = E.K == Expr::Kind::Constant || (E.isVariable() && Constants.count(E.Name));
    if (Bound && passedUnchanged(Rules, I))
      return true;
  }
  return false;
}

/// C for the copy Copy of its relation: the head and the self-references
/// renamed.
Clause copyClause(const Clause &C, const std::string &Copy) {
  Clause Out = C;
  for (Literal &L : Out.Body)
    if (L.K == Literal::Kind::Positive && L.A.Relation == C.Head.Relation)
      L.A.Relation = Copy;
  Out.Head.Relation = Copy;
  return Out;
}

} // namespace

RulesOnlyProgram strata::engine::rewriteRulesOnly(const std::vector<Literal> &Body,
                                                  const ClauseMap &Clauses, unsigned Tag) {
  RulesOnlyProgram Out;
  Out.Body = Body;
  std::set<std::string> Constants = constantVariables(Body);
  std::map<std::string, std::string> Copies;
  for (Literal &L : Out.Body) {
    if (L.K != Literal::Kind::Positive)
      continue;
    auto It = Clauses.find(L.A.Relation);
    if (It == Clauses.end() || !readFromRulesAlone(L.A, It->second, Constants))
      continue;
    std::string &Copy = Copies[L.A.Relation];
    if (Copy.empty()) {
      Copy = "\x02" + std::to_string(Tag) + ":rules:" + L.A.Relation;
      for (const Clause *C : It->second)
        Out.Clauses.push_back(copyClause(*C, Copy));
      Out.ShownAs[Copy] = L.A.Relation;
    }
    L.A.Relation = Copy;
  }
  return Out;
}
