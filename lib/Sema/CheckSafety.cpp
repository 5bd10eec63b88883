//===- CheckSafety.cpp - Range restriction --------------------------------===//
#include "strata/IQL/Builtins.h"
//
#include "strata/IQL/Builtins.h"
// As the server's validate_rule: a variable is bound when it is an argument
#include "strata/IQL/Builtins.h"
// of a positive atom, the id or distance of `hnsw_nearest`, or the one
#include "strata/IQL/Builtins.h"
// unbound side of an `=` whose other side is bound (iterated to a fixed
#include "strata/IQL/Builtins.h"
// point, as ast positive_body_variables does). Head variables (aggregated
#include "strata/IQL/Builtins.h"
// ones included), variables of negated atoms and variables of comparisons
#include "strata/IQL/Builtins.h"
// must be bound.
#include "strata/IQL/Builtins.h"
//
#include "strata/IQL/Builtins.h"
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include "strata/IQL/Builtins.h"
using namespace strata;
#include "strata/IQL/Builtins.h"
using namespace strata::sema;
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
namespace {
#include "strata/IQL/Builtins.h"
using VarSet = llvm::DenseSet<llvm::StringRef>;
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
/// Variables and wildcards in E, in source order.
#include "strata/IQL/Builtins.h"
void collect(const ast::Expr &E, llvm::SmallVectorImpl<const ast::Expr *> &Out) {
#include "strata/IQL/Builtins.h"
  llvm::SmallVector<const ast::Expr *, 8> Work{&E};
#include "strata/IQL/Builtins.h"
  while (!Work.empty()) {
#include "strata/IQL/Builtins.h"
    const ast::Expr *X = Work.pop_back_val();
#include "strata/IQL/Builtins.h"
    if (X->isVariable() || X->TheKind == ast::Expr::Kind::Wildcard) {
#include "strata/IQL/Builtins.h"
      Out.push_back(X);
#include "strata/IQL/Builtins.h"
      continue;
#include "strata/IQL/Builtins.h"
    }
#include "strata/IQL/Builtins.h"
    for (auto It = X->Operands.rbegin(); It != X->Operands.rend(); ++It)
#include "strata/IQL/Builtins.h"
      Work.push_back(&*It);
#include "strata/IQL/Builtins.h"
  }
#include "strata/IQL/Builtins.h"
}
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
bool allBound(const ast::Expr &E, const VarSet &Bound) {
#include "strata/IQL/Builtins.h"
  llvm::SmallVector<const ast::Expr *, 8> Vars;
#include "strata/IQL/Builtins.h"
  collect(E, Vars);
#include "strata/IQL/Builtins.h"
  for (const ast::Expr *V : Vars)
#include "strata/IQL/Builtins.h"
    if (!V->isVariable() || !Bound.count(V->Text))
#include "strata/IQL/Builtins.h"
      return false;
#include "strata/IQL/Builtins.h"
  return true;
#include "strata/IQL/Builtins.h"
}
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
VarSet boundVariables(const ast::Clause &C) {
#include "strata/IQL/Builtins.h"
  VarSet Bound;
#include "strata/IQL/Builtins.h"
  auto BindIfVariable = [&](const ast::Expr &Arg) {
#include "strata/IQL/Builtins.h"
    const ast::Expr &E = Arg.stripParens();
#include "strata/IQL/Builtins.h"
    if (E.isVariable())
#include "strata/IQL/Builtins.h"
      Bound.insert(E.Text);
#include "strata/IQL/Builtins.h"
  };
#include "strata/IQL/Builtins.h"
  for (const ast::BodyLiteral &L : C.Body) {
#include "strata/IQL/Builtins.h"
    if (L.TheKind != ast::BodyLiteral::Kind::Positive)
#include "strata/IQL/Builtins.h"
      continue;
#include "strata/IQL/Builtins.h"
    const ast::Atom &A = L.TheAtom;
#include "strata/IQL/Builtins.h"
    if (iql::isIndexSearch(A.Relation.Name) && !A.IsNamed) {
#include "strata/IQL/Builtins.h"
      for (size_t I = 3; I < 5 && I < A.Args.size(); ++I)
#include "strata/IQL/Builtins.h"
        BindIfVariable(A.Args[I]);
#include "strata/IQL/Builtins.h"
      continue;
#include "strata/IQL/Builtins.h"
    }
#include "strata/IQL/Builtins.h"
    for (const ast::Expr &Arg : A.Args)
#include "strata/IQL/Builtins.h"
      BindIfVariable(Arg);
#include "strata/IQL/Builtins.h"
    for (const ast::NamedArg &N : A.NamedArgs)
#include "strata/IQL/Builtins.h"
      BindIfVariable(N.Value);
#include "strata/IQL/Builtins.h"
  }
#include "strata/IQL/Builtins.h"
  // Assignments, to a fixed point.
#include "strata/IQL/Builtins.h"
  std::vector<const ast::BodyLiteral *> Pending;
#include "strata/IQL/Builtins.h"
  for (const ast::BodyLiteral &L : C.Body)
#include "strata/IQL/Builtins.h"
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison && L.Op == ast::CompareOp::Eq)
#include "strata/IQL/Builtins.h"
      Pending.push_back(&L);
#include "strata/IQL/Builtins.h"
  for (bool Changed = true; Changed;) {
#include "strata/IQL/Builtins.h"
    Changed = false;
#include "strata/IQL/Builtins.h"
    for (auto It = Pending.begin(); It != Pending.end();) {
#include "strata/IQL/Builtins.h"
      const ast::Expr &Lhs = (*It)->Lhs.stripParens(), &Rhs = (*It)->Rhs.stripParens();
#include "strata/IQL/Builtins.h"
      const ast::Expr *Target = nullptr;
#include "strata/IQL/Builtins.h"
      if (Lhs.isVariable() && !Bound.count(Lhs.Text) && allBound(Rhs, Bound))
#include "strata/IQL/Builtins.h"
        Target = &Lhs;
#include "strata/IQL/Builtins.h"
      else if (Rhs.isVariable() && !Bound.count(Rhs.Text) && allBound(Lhs, Bound))
#include "strata/IQL/Builtins.h"
        Target = &Rhs;
#include "strata/IQL/Builtins.h"
      if (!Target) {
#include "strata/IQL/Builtins.h"
        ++It;
#include "strata/IQL/Builtins.h"
        continue;
#include "strata/IQL/Builtins.h"
      }
#include "strata/IQL/Builtins.h"
      Bound.insert(Target->Text);
#include "strata/IQL/Builtins.h"
      It = Pending.erase(It);
#include "strata/IQL/Builtins.h"
      Changed = true;
#include "strata/IQL/Builtins.h"
    }
#include "strata/IQL/Builtins.h"
  }
#include "strata/IQL/Builtins.h"
  return Bound;
#include "strata/IQL/Builtins.h"
}
#include "strata/IQL/Builtins.h"
} // namespace
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
void ClauseChecker::checkSafety(const ast::Clause &C) {
#include "strata/IQL/Builtins.h"
  VarSet Bound = boundVariables(C);
#include "strata/IQL/Builtins.h"
  llvm::SmallVector<const ast::Expr *, 16> Vars;
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
  VarSet Reported;
#include "strata/IQL/Builtins.h"
  for (const ast::HeadArg &A : C.HeadArgs) {
#include "strata/IQL/Builtins.h"
    Vars.clear();
#include "strata/IQL/Builtins.h"
    if (A.IsAggregate) {
#include "strata/IQL/Builtins.h"
      for (const ast::AggregateArg &P : A.AggArgs)
#include "strata/IQL/Builtins.h"
        collect(P.Value, Vars);
#include "strata/IQL/Builtins.h"
    } else {
#include "strata/IQL/Builtins.h"
      collect(A.Value, Vars);
#include "strata/IQL/Builtins.h"
    }
#include "strata/IQL/Builtins.h"
    for (const ast::Expr *V : Vars) {
#include "strata/IQL/Builtins.h"
      if (!V->isVariable())
#include "strata/IQL/Builtins.h"
        Diags.reportAt(DiagKind::WildcardInHead, V->Range);
#include "strata/IQL/Builtins.h"
      else if (!Bound.count(V->Text) && Reported.insert(V->Text).second)
#include "strata/IQL/Builtins.h"
        Diags.reportAt(DiagKind::UnsafeHeadVariable, V->Range, V->Text);
#include "strata/IQL/Builtins.h"
    }
#include "strata/IQL/Builtins.h"
  }
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
  for (const ast::BodyLiteral &L : C.Body) {
#include "strata/IQL/Builtins.h"
    if (L.TheKind != ast::BodyLiteral::Kind::Negated)
#include "strata/IQL/Builtins.h"
      continue;
#include "strata/IQL/Builtins.h"
    Vars.clear();
#include "strata/IQL/Builtins.h"
    for (const ast::Expr &Arg : L.TheAtom.Args)
#include "strata/IQL/Builtins.h"
      collect(Arg, Vars);
#include "strata/IQL/Builtins.h"
    for (const ast::NamedArg &N : L.TheAtom.NamedArgs)
#include "strata/IQL/Builtins.h"
      collect(N.Value, Vars);
#include "strata/IQL/Builtins.h"
    VarSet InAtom;
#include "strata/IQL/Builtins.h"
    for (const ast::Expr *V : Vars)
#include "strata/IQL/Builtins.h"
      if (V->isVariable() && !Bound.count(V->Text) && InAtom.insert(V->Text).second)
#include "strata/IQL/Builtins.h"
        Diags.reportAt(DiagKind::UnsafeNegatedVariable, V->Range, V->Text, L.TheAtom.Relation.Name);
#include "strata/IQL/Builtins.h"
  }
#include "strata/IQL/Builtins.h"

#include "strata/IQL/Builtins.h"
  for (const ast::BodyLiteral &L : C.Body) {
#include "strata/IQL/Builtins.h"
    if (L.TheKind != ast::BodyLiteral::Kind::Comparison)
#include "strata/IQL/Builtins.h"
      continue;
#include "strata/IQL/Builtins.h"
    Vars.clear();
#include "strata/IQL/Builtins.h"
    collect(L.Lhs, Vars);
#include "strata/IQL/Builtins.h"
    collect(L.Rhs, Vars);
#include "strata/IQL/Builtins.h"
    for (const ast::Expr *V : Vars) {
#include "strata/IQL/Builtins.h"
      if (!V->isVariable())
#include "strata/IQL/Builtins.h"
        Diags.reportAt(DiagKind::WildcardInComparison, V->Range);
#include "strata/IQL/Builtins.h"
      else if (!Bound.count(V->Text) && Reported.insert(V->Text).second)
#include "strata/IQL/Builtins.h"
        Diags.reportAt(DiagKind::UnboundComparisonVariable, V->Range, V->Text);
#include "strata/IQL/Builtins.h"
    }
#include "strata/IQL/Builtins.h"
  }
#include "strata/IQL/Builtins.h"
}
#include "strata/IQL/Builtins.h"
