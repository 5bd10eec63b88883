//===- CheckSafety.cpp - Range restriction --------------------------------===//
//
// As the server's validate_rule: a variable is bound when it is an argument
// of a positive atom, the id or distance of `hnsw_nearest`, or the one
// unbound side of an `=` whose other side is bound (iterated to a fixed
// point, as ast positive_body_variables does). Head variables (aggregated
// ones included), variables of negated atoms and variables of comparisons
// must be bound.
//
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

using namespace strata;
using namespace strata::sema;

namespace {
using VarSet = llvm::DenseSet<llvm::StringRef>;
using ExprList = llvm::SmallVectorImpl<const ast::Expr *>;

/// Variables and wildcards in E, in source order.
void collect(const ast::Expr &E, ExprList &Out) {
  llvm::SmallVector<const ast::Expr *, 8> Work{&E};
  while (!Work.empty()) {
    const ast::Expr *X = Work.pop_back_val();
    if (X->isVariable() || X->TheKind == ast::Expr::Kind::Wildcard) {
      Out.push_back(X);
      continue;
    }
    for (auto It = X->Operands.rbegin(); It != X->Operands.rend(); ++It)
      Work.push_back(&*It);
  }
}

bool allBound(const ast::Expr &E, const VarSet &Bound) {
  llvm::SmallVector<const ast::Expr *, 8> Vars;
  collect(E, Vars);
  for (const ast::Expr *V : Vars)
    if (!V->isVariable() || !Bound.count(V->Text))
      return false;
  return true;
}

/// The variables positive atoms bind: every argument that is a variable,
/// except that `hnsw_nearest` binds only its id and distance.
void bindAtomArguments(const ast::Clause &C, VarSet &Bound) {
  auto BindIfVariable = [&](const ast::Expr &Arg) {
    const ast::Expr &E = Arg.stripParens();
    if (E.isVariable())
      Bound.insert(E.Text);
  };
  for (const ast::BodyLiteral &L : C.Body) {
    if (L.TheKind != ast::BodyLiteral::Kind::Positive)
      continue;
    const ast::Atom &A = L.TheAtom;
    if (iql::isIndexSearch(A.Relation.Name) && !A.IsNamed) {
      for (size_t I = 3; I < 5 && I < A.Args.size(); ++I)
        BindIfVariable(A.Args[I]);
      continue;
    }
    for (const ast::Expr &Arg : A.Args)
      BindIfVariable(Arg);
    for (const ast::NamedArg &N : A.NamedArgs)
      BindIfVariable(N.Value);
  }
}

/// The variable an `=` binds given Bound: its one unbound variable side
/// when the other side is bound; null when it binds none.
const ast::Expr *assignedVariable(const ast::BodyLiteral &L, const VarSet &Bound) {
  const ast::Expr &Lhs = L.Lhs->stripParens(), &Rhs = L.Rhs->stripParens();
  if (Lhs.isVariable() && !Bound.count(Lhs.Text) && allBound(Rhs, Bound))
    return &Lhs;
  if (Rhs.isVariable() && !Bound.count(Rhs.Text) && allBound(Lhs, Bound))
    return &Rhs;
  return nullptr;
}

/// Adds the variables assignments bind, until no assignment binds more.
void bindAssignments(const ast::Clause &C, VarSet &Bound) {
  std::vector<const ast::BodyLiteral *> Pending;
  for (const ast::BodyLiteral &L : C.Body)
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison && L.Op == ast::CompareOp::Eq)
      Pending.push_back(&L);
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (auto It = Pending.begin(); It != Pending.end();) {
      const ast::Expr *Target = assignedVariable(**It, Bound);
      if (!Target) {
        ++It;
        continue;
      }
      Bound.insert(Target->Text);
      It = Pending.erase(It);
      Changed = true;
    }
  }
}

VarSet boundVariables(const ast::Clause &C) {
  VarSet Bound;
  bindAtomArguments(C, Bound);
  bindAssignments(C, Bound);
  return Bound;
}

/// Head variables must be bound and wildcards cannot be in the head; each
/// unbound name is reported once, in Reported.
void checkHeadBound(const ast::Clause &C, const VarSet &Bound, VarSet &Reported,
                    DiagnosticEngine &Diags) {
  llvm::SmallVector<const ast::Expr *, 16> Vars;
  for (const ast::HeadArg &A : C.HeadArgs) {
    Vars.clear();
    if (A.IsAggregate) {
      for (const ast::AggregateArg &P : A.AggArgs)
        collect(P.Value, Vars);
    } else {
      collect(A.Value, Vars);
    }
    for (const ast::Expr *V : Vars) {
      if (!V->isVariable())
        Diags.reportAt(DiagKind::WildcardInHead, V->Range);
      else if (!Bound.count(V->Text) && Reported.insert(V->Text).second)
        Diags.reportAt(DiagKind::UnsafeHeadVariable, V->Range, V->Text);
    }
  }
}

/// A negated atom's variables must be bound elsewhere (each reported once
/// per atom).
void checkNegationsBound(const ast::Clause &C, const VarSet &Bound, DiagnosticEngine &Diags) {
  llvm::SmallVector<const ast::Expr *, 16> Vars;
  for (const ast::BodyLiteral &L : C.Body) {
    if (L.TheKind != ast::BodyLiteral::Kind::Negated)
      continue;
    Vars.clear();
    for (const ast::Expr &Arg : L.TheAtom.Args)
      collect(Arg, Vars);
    for (const ast::NamedArg &N : L.TheAtom.NamedArgs)
      collect(N.Value, Vars);
    VarSet InAtom;
    for (const ast::Expr *V : Vars)
      if (V->isVariable() && !Bound.count(V->Text) && InAtom.insert(V->Text).second)
        Diags.reportAt(DiagKind::UnsafeNegatedVariable, V->Range, V->Text, L.TheAtom.Relation.Name);
  }
}

/// A comparison's variables must be bound and it cannot hold wildcards;
/// names already reported for the head are not reported again.
void checkComparisonsBound(const ast::Clause &C, const VarSet &Bound, VarSet &Reported,
                           DiagnosticEngine &Diags) {
  llvm::SmallVector<const ast::Expr *, 16> Vars;
  for (const ast::BodyLiteral &L : C.Body) {
    if (L.TheKind != ast::BodyLiteral::Kind::Comparison)
      continue;
    Vars.clear();
    collect(L.Lhs, Vars);
    collect(L.Rhs, Vars);
    for (const ast::Expr *V : Vars) {
      if (!V->isVariable())
        Diags.reportAt(DiagKind::WildcardInComparison, V->Range);
      else if (!Bound.count(V->Text) && Reported.insert(V->Text).second)
        Diags.reportAt(DiagKind::UnboundComparisonVariable, V->Range, V->Text);
    }
  }
}
} // namespace

void ClauseChecker::checkSafety(const ast::Clause &C) {
  VarSet Bound = boundVariables(C);
  VarSet Reported;
  checkHeadBound(C, Bound, Reported, Diags);
  checkNegationsBound(C, Bound, Diags);
  checkComparisonsBound(C, Bound, Reported, Diags);
}
