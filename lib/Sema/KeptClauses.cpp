//===- KeptClauses.cpp - Which clauses of a rule the server keeps as one --===//
//
// The server registers a clause once when it already has one equal to it
// as parsed (14_aggregations/151 and 152 of the conformance transcripts;
// lib/Engine compares with iql::sameTree). Two clauses of a rule may be
// spelt differently and still be one clause there: a named atom and the
// positional atom it lowers to, `1.0` and `1.00`, extra parentheses.
//
//===----------------------------------------------------------------------===//
#include "strata/IQL/Printer.h"
#include "strata/Sema/ServerClause.h"
#include "llvm/ADT/StringMap.h"

using namespace strata;

namespace {
/// The clause's canonical IQL text: equal texts parse to sameTree trees,
/// and the canonical style prints nothing sameTree ignores (spellings,
/// parentheses), so equal trees print alike.
std::string serverText(const iql::Clause &C) {
  iql::Statement S;
  S.K = iql::Statement::Kind::PersistentRule;
  S.Relation = C.Head.Relation;
  S.Rule = C;
  return iql::printStatement(S, iql::PrintStyle::Canonical);
}

/// Whether A and B have the shape lowering keeps: the same head arity,
/// then body literals of the same kinds on the same relations or with the
/// same operators, in order. Clauses of different shapes never lower alike,
/// so only clauses that share a shape with another are lowered and printed
/// (two clauses of one rule rarely do).
bool sameShape(const ast::Clause &A, const ast::Clause &B) {
  if (A.HeadArgs.size() != B.HeadArgs.size() || A.Body.size() != B.Body.size())
    return false;
  for (size_t I = 0; I < A.Body.size(); ++I) {
    const ast::BodyLiteral &X = A.Body[I], &Y = B.Body[I];
    if (X.TheKind != Y.TheKind)
      return false;
    if (X.TheKind == ast::BodyLiteral::Kind::Comparison
            ? X.Op != Y.Op
            : X.TheAtom.Relation.Name != Y.TheAtom.Relation.Name)
      return false;
  }
  return true;
}

/// The same shape as text, for rules with many clauses.
std::string shapeText(const ast::Clause &C) {
  std::string S = std::to_string(C.HeadArgs.size());
  for (const ast::BodyLiteral &L : C.Body) {
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison)
      S += " " + ast::spelling(L.Op).str();
    else
      S += (L.TheKind == ast::BodyLiteral::Kind::Positive ? " +" : " !") + L.TheAtom.Relation.Name;
  }
  return S;
}

/// Rules with more clauses than this compare shapes and lowered clauses by
/// text in a hash map; smaller ones pairwise, without building any text.
constexpr size_t PairwiseUpTo = 16;

/// For each clause, whether another clause has its shape.
std::vector<bool> sharesShape(llvm::ArrayRef<const ast::Clause *> Clauses) {
  std::vector<bool> Shared(Clauses.size());
  if (Clauses.size() <= PairwiseUpTo) {
    for (size_t I = 0; I < Clauses.size(); ++I)
      for (size_t J = I + 1; J < Clauses.size(); ++J)
        if (sameShape(*Clauses[I], *Clauses[J]))
          Shared[I] = Shared[J] = true;
    return Shared;
  }
  std::vector<std::string> Texts;
  Texts.reserve(Clauses.size());
  llvm::StringMap<unsigned> Count;
  for (const ast::Clause *C : Clauses)
    ++Count[Texts.emplace_back(shapeText(*C))];
  for (size_t I = 0; I < Clauses.size(); ++I)
    Shared[I] = Count[Texts[I]] > 1;
  return Shared;
}
} // namespace

std::optional<iql::Clause> strata::serverClause(const ast::Clause &C, const ColumnLookup &Lookup) {
  ast::Clause Copy = C;
  if (llvm::Error E = lowerClauseAtoms(Copy, Lookup)) {
    llvm::consumeError(std::move(E));
    return std::nullopt;
  }
  return iqlClause(Copy);
}

std::optional<std::vector<size_t>>
strata::keptClauseIndexes(llvm::ArrayRef<const ast::Clause *> Clauses, const ColumnLookup &Lookup) {
  std::vector<bool> Shared = sharesShape(Clauses);
  std::vector<std::optional<iql::Clause>> Lowered(Clauses.size());
  for (size_t I = 0; I < Clauses.size(); ++I)
    if (Shared[I] && !(Lowered[I] = serverClause(*Clauses[I], Lookup)))
      return std::nullopt;
  std::vector<size_t> Kept(Clauses.size());
  llvm::StringMap<size_t> First;
  for (size_t I = 0; I < Clauses.size(); ++I) {
    Kept[I] = I;
    if (!Lowered[I])
      continue;
    if (Clauses.size() > PairwiseUpTo) {
      Kept[I] = First.try_emplace(serverText(*Lowered[I]), I).first->second;
      continue;
    }
    for (size_t J = 0; J < I; ++J)
      if (Lowered[J] && iql::sameTree(*Lowered[J], *Lowered[I])) {
        Kept[I] = Kept[J];
        break;
      }
  }
  return Kept;
}
