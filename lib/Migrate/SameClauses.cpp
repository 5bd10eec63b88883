//===- SameClauses.cpp - Clause lists equal without printing them ---------===//
//
// The autodetector decides that a rule is unchanged by comparing canonical
// clause texts, which means printing every clause of both schemas. Almost
// every rule is unchanged, and an unchanged rule almost always keeps its
// clauses in the same order, so a walk over both trees that maps variables
// one-to-one settles it without building a string. The walk compares every
// field the printer reads, so "same" here implies equal canonical texts;
// "different" only sends the caller back to the canonical comparison.
//
//===----------------------------------------------------------------------===//
#include "AutodetectImpl.h"
#include "llvm/ADT/StringMap.h"
#include <cstring>

using namespace strata;

namespace {
class ClauseMatcher {
public:
  bool clause(const ast::Clause &A, const ast::Clause &B, llvm::StringRef HeadName) {
    ForwardVars.clear();
    BackwardVars.clear();
    if ((HeadName.empty() ? llvm::StringRef(A.Head.Name) : HeadName) != B.Head.Name ||
        A.HeadArgs.size() != B.HeadArgs.size() || A.Body.size() != B.Body.size())
      return false;
    for (size_t I = 0; I < A.HeadArgs.size(); ++I)
      if (!headArg(A.HeadArgs[I], B.HeadArgs[I]))
        return false;
    for (size_t I = 0; I < A.Body.size(); ++I)
      if (!literal(A.Body[I], B.Body[I]))
        return false;
    return true;
  }

private:
  /// Variables correspond one-to-one, in order of first appearance.
  bool variable(const std::string &A, const std::string &B) {
    auto [F, NewA] = ForwardVars.try_emplace(A, B);
    auto [R, NewB] = BackwardVars.try_emplace(B, A);
    return F->second == B && R->second == A && NewA == NewB;
  }

  bool expr(const ast::Expr &A, const ast::Expr &B) {
    if (A.TheKind != B.TheKind || A.Operands.size() != B.Operands.size())
      return false;
    if (A.TheKind == ast::Expr::Kind::Variable)
      return variable(A.Text, B.Text);
    if (A.Text != B.Text || A.IntValue != B.IntValue || A.BoolValue != B.BoolValue ||
        A.Op != B.Op || std::memcmp(&A.FloatValue, &B.FloatValue, sizeof(double)) != 0)
      return false;
    for (size_t I = 0; I < A.Operands.size(); ++I)
      if (!expr(A.Operands[I], B.Operands[I]))
        return false;
    return true;
  }

  bool atom(const ast::Atom &A, const ast::Atom &B) {
    if (A.Relation.Name != B.Relation.Name || A.IsNamed != B.IsNamed ||
        A.Args.size() != B.Args.size() || A.NamedArgs.size() != B.NamedArgs.size())
      return false;
    for (size_t I = 0; I < A.Args.size(); ++I)
      if (!expr(A.Args[I], B.Args[I]))
        return false;
    for (size_t I = 0; I < A.NamedArgs.size(); ++I)
      if (A.NamedArgs[I].Column.Name != B.NamedArgs[I].Column.Name ||
          !expr(A.NamedArgs[I].Value, B.NamedArgs[I].Value))
        return false;
    return true;
  }

  bool literal(const ast::BodyLiteral &A, const ast::BodyLiteral &B) {
    if (A.TheKind != B.TheKind)
      return false;
    if (A.TheKind != ast::BodyLiteral::Kind::Comparison)
      return atom(A.TheAtom, B.TheAtom);
    return A.Op == B.Op && expr(A.Lhs, B.Lhs) && expr(A.Rhs, B.Rhs);
  }

  bool headArg(const ast::HeadArg &A, const ast::HeadArg &B) {
    if (A.IsAggregate != B.IsAggregate)
      return false;
    if (!A.IsAggregate)
      return expr(A.Value, B.Value);
    if (A.Aggregate.Name != B.Aggregate.Name || A.AggArgs.size() != B.AggArgs.size())
      return false;
    for (size_t I = 0; I < A.AggArgs.size(); ++I) {
      const ast::AggregateArg &X = A.AggArgs[I], &Y = B.AggArgs[I];
      if (X.Order.has_value() != Y.Order.has_value() ||
          (X.Order && X.Order->Name != Y.Order->Name) || !expr(X.Value, Y.Value))
        return false;
    }
    return true;
  }

  llvm::StringMap<std::string> ForwardVars, BackwardVars;
};
} // namespace

bool strata::detail::sameClausesInOrder(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> A,
                                        llvm::ArrayRef<std::shared_ptr<const ast::Clause>> B,
                                        llvm::StringRef HeadName) {
  if (A.size() != B.size())
    return false;
  ClauseMatcher M;
  for (size_t I = 0; I < A.size(); ++I)
    if (!(A[I] == B[I] && (HeadName.empty() || HeadName == A[I]->Head.Name)) &&
        !M.clause(*A[I], *B[I], HeadName))
      return false;
  return true;
}

bool strata::detail::sameClauses(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> A,
                                 llvm::ArrayRef<std::shared_ptr<const ast::Clause>> B,
                                 llvm::StringRef HeadName) {
  return sameClausesInOrder(A, B, HeadName) || canonicalClauses(A, HeadName) == canonicalClauses(B);
}
