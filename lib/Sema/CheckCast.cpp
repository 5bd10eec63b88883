//===- CheckCast.cpp - A retype's cast converts the old value to the new type ===//
//
// The cast's body is checked as the value side of a rule's assignment
// (ClauseChecker::checkValueOf), with the cast's variable typed as the old
// column: it is lowered into one (`V1 = to_int(V0)`), so what a rule may
// compute a cast may. A function argument that does not fit is only a
// warning in a rule; in a cast it would make the call null for every fact,
// so it fails the check.
//
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"
#include "strata/AST/Printer.h"

using namespace strata;
using namespace strata::sema;

namespace {
/// The first variable of E other than Var (null when there is none).
const ast::Expr *otherVariable(const ast::Expr &E, llvm::StringRef Var) {
  if ((E.TheKind == ast::Expr::Kind::Variable && E.Text != Var) ||
      E.TheKind == ast::Expr::Kind::Wildcard)
    return &E;
  for (const ast::Expr &Sub : E.Operands)
    if (const ast::Expr *Found = otherVariable(Sub, Var))
      return Found;
  return nullptr;
}

/// Whether a value of type V may be stored in a column of type Col.
bool fitsColumn(const Type &V, const Type &Col) {
  if (V == Col || (V.kind() == Type::Kind::Int && Col.kind() == Type::Kind::Float))
    return true;
  // A computed vector has no known dimension.
  return V.kind() == Type::Kind::Vector && Col.kind() == Type::Kind::Vector && !V.vectorDim();
}
} // namespace

bool strata::checkCast(llvm::StringRef Var, const ast::Expr &Body, const Type &From, const Type &To,
                       llvm::StringRef Column, DiagnosticEngine &Diags) {
  std::string Text = Var.str() + " => " + ast::toString(Body);
  auto Fail = [&](llvm::SMRange At, const std::string &Why) {
    Diags.reportAt(DiagKind::CastDoesNotCheck, At, Text, Column, From.str(), To.str(), Why);
    return false;
  };
  if (const ast::Expr *Other = otherVariable(Body, Var))
    return Fail(Other->Range, "it reads `" + Other->Text + "`, but its only variable is `" +
                                  Var.str() + "`, the old value");
  unsigned Errors = Diags.errorCount(), Warnings = Diags.warningCount();
  SchemaState None;
  RuleScope Scope{None};
  ast::Ident Name{Column.str(), {}};
  std::optional<Type> Result =
      ClauseChecker(Name, nullptr, Scope, Diags).checkValueOf(Body, Var, From);
  if (Diags.errorCount() != Errors)
    return false;
  if (Diags.warningCount() != Warnings)
    return Fail(Body.Range, "a function is given a value it does not take (see its warning), so it "
                            "would give null for every fact");
  if (Result && !fitsColumn(*Result, To))
    return Fail(Body.Range, "it gives a `" + Result->str() + "`, not a value of the new type");
  return true;
}
