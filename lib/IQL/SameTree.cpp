//===- SameTree.cpp - Structural equality of IQL trees ---------------------===//
//
// What "the printer round-trips" means: a tree printed and parsed again is
// sameTree() as the original. Locations and source text are left out since
// they depend on the spelling; everything the engine acts on is compared.
//
//===----------------------------------------------------------------------===//
#include "strata/IQL/Syntax.h"

using namespace strata::iql;

namespace {
template <typename T> bool sameList(const std::vector<T> &A, const std::vector<T> &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (!sameTree(A[I], B[I]))
      return false;
  return true;
}

bool sameRows(const std::vector<std::vector<Expr>> &A, const std::vector<std::vector<Expr>> &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (!sameList(A[I], B[I]))
      return false;
  return true;
}

bool sameIndex(const IndexSpec &A, const IndexSpec &B) {
  return A.Name == B.Name && A.Relation == B.Relation && A.Column == B.Column && A.Type == B.Type &&
         A.Metric == B.Metric && A.M == B.M && A.EfConstruction == B.EfConstruction &&
         A.EfSearch == B.EfSearch;
}

bool sameColumns(const Schema &A, const Schema &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A[I].Name != B[I].Name || !sameTree(A[I].Type, B[I].Type))
      return false;
  return true;
}

bool sameTargets(const std::vector<std::pair<bool, Atom>> &A,
                 const std::vector<std::pair<bool, Atom>> &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A[I].first != B[I].first || !sameTree(A[I].second, B[I].second))
      return false;
  return true;
}
} // namespace

bool strata::iql::sameTree(const Expr &A, const Expr &B) {
  return A.K == B.K && A.Name == B.Name && A.Constant == B.Constant && A.Op == B.Op &&
         A.Function == B.Function && A.Aggregate == B.Aggregate && A.Order == B.Order &&
         sameList(A.Args, B.Args);
}

bool strata::iql::sameTree(const Atom &A, const Atom &B) {
  return A.Relation == B.Relation && sameList(A.Args, B.Args);
}

bool strata::iql::sameTree(const Literal &A, const Literal &B) {
  return A.K == B.K && sameTree(A.A, B.A) && A.CmpOp == B.CmpOp && sameTree(A.Lhs, B.Lhs) &&
         sameTree(A.Rhs, B.Rhs);
}

bool strata::iql::sameTree(const Clause &A, const Clause &B) {
  return sameTree(A.Head, B.Head) && sameList(A.Body, B.Body);
}

bool strata::iql::sameTree(const ColumnType &A, const ColumnType &B) {
  if (A.K != B.K || A.Dimension != B.Dimension || A.Name != B.Name ||
      A.Fields.size() != B.Fields.size() || !sameList(A.Element, B.Element))
    return false;
  for (size_t I = 0; I < A.Fields.size(); ++I)
    if (A.Fields[I].first != B.Fields[I].first || !sameTree(A.Fields[I].second, B.Fields[I].second))
      return false;
  return true;
}

bool strata::iql::sameTree(const Statement &A, const Statement &B) {
  return A.K == B.K && A.Words == B.Words && A.Command == B.Command &&
         sameIndex(A.Index, B.Index) && A.Relation == B.Relation &&
         sameColumns(A.Columns, B.Columns) && sameRows(A.Rows, B.Rows) && A.Bulk == B.Bulk &&
         sameTree(A.Rule, B.Rule) && sameList(A.Body, B.Body) &&
         sameTargets(A.Targets, B.Targets) && sameTree(A.Type, B.Type);
}
