//===- CheckClause.cpp - One clause: driver, head arity and types ---------===//
#include "ClauseChecker.h"
#include "strata/AST/Printer.h"

using namespace strata;
using namespace strata::sema;

void ClauseChecker::check(const ast::Clause &C) {
  VarTypes.clear();
  // Positive atoms first: they give variables their types.
  for (const ast::BodyLiteral &L : C.Body)
    if (L.TheKind == ast::BodyLiteral::Kind::Positive)
      checkAtom(L.TheAtom, /*Negated=*/false);
  for (const ast::BodyLiteral &L : C.Body)
    if (L.TheKind == ast::BodyLiteral::Kind::Negated)
      checkAtom(L.TheAtom, /*Negated=*/true);
  for (const ast::BodyLiteral &L : C.Body)
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison)
      checkComparison(L);
  checkHead(C);
  checkSafety(C);
}

void ClauseChecker::checkHead(const ast::Clause &C) {
  bool SameName = C.Head.Name == Rule.Name;
  if (!SameName)
    Diags.reportAt(DiagKind::HeadNameMismatch, C.Head.Range, C.Head.Name, Rule.Name)
        .fixIt(C.Head.Range, Rule.Name);

  std::vector<HeadValue> Values;
  bool ArityKnown = true;
  for (const ast::HeadArg &A : C.HeadArgs) {
    if (!A.IsAggregate) {
      Values.push_back({checkExpr(A.Value), &A.Value});
      continue;
    }
    if (auto Filled = checkAggregate(A))
      Values.insert(Values.end(), Filled->begin(), Filled->end());
    else
      ArityKnown = false;
  }
  if (!SameName || !HeadColumns || !ArityKnown)
    return;
  if (Values.size() != HeadColumns->size()) {
    Diags.reportAt(DiagKind::HeadArity, C.HeadRange, plural(Values.size(), "value"), Rule.Name,
                   plural(HeadColumns->size(), "column"));
    return;
  }
  for (size_t I = 0; I < Values.size(); ++I) {
    const ColumnDef &Col = HeadColumns->Columns[I];
    if (!Values[I].Ty || Type::comparable(*Values[I].Ty, Col.Ty))
      continue;
    DiagnosticBuilder B = Diags.reportAt(DiagKind::HeadTypeMismatch, Values[I].E->Range,
                                         Values[I].Ty->str(), Col.Name, Col.Ty.str());
    noteVariableType(B, *Values[I].E);
  }
}

bool strata::checkClauses(const ast::Ident &Name, const ColumnList *HeadColumns,
                          llvm::ArrayRef<ast::Clause> Clauses, const RuleScope &Scope,
                          DiagnosticEngine &Diags) {
  return checkClausesWith(Name, HeadColumns, Clauses, Scope, nullptr, Diags);
}

bool sema::checkClausesWith(const ast::Ident &Name, const ColumnList *HeadColumns,
                            llvm::ArrayRef<ast::Clause> Clauses, const RuleScope &Scope,
                            const ColumnIndex *Columns, DiagnosticEngine &Diags) {
  unsigned Before = Diags.errorCount();
  ClauseChecker Checker(Name, HeadColumns, Scope, Diags, Columns);
  for (const ast::Clause &C : Clauses)
    Checker.check(C);
  return Diags.errorCount() == Before;
}
