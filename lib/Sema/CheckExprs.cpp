//===- CheckExprs.cpp - Terms, built-in functions, comparisons ------------===//
//
// The server's arithmetic accepts only numbers, variables, parameters and
// parenthesised arithmetic as operands: no function calls, no unary minus on
// anything but a literal (parser/mod.rs). Types are checked only where both
// sides are known, so a report is always a real mismatch.
//
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"
#include "strata/AST/Printer.h"
#include "strata/Sema/Suggest.h"

using namespace strata;
using namespace strata::sema;

void ClauseChecker::noteVariableType(DiagnosticBuilder &B, const ast::Expr &E) {
  const ast::Expr &V = E.stripParens();
  if (!V.isVariable())
    return;
  auto It = VarTypes.find(V.Text);
  if (It == VarTypes.end() || !It->second.Origin.isValid() || !It->second.Column)
    return;
  const VarType &T = It->second;
  B.noteAt(DiagKind::NoteVariableType, T.Origin, V.Text, T.Ty.str(),
           (T.Relation + "." + T.Column->Name).str());
}

std::optional<Type> ClauseChecker::checkValueOf(const ast::Expr &E, llvm::StringRef Var,
                                                const Type &VarTy) {
  VarTypes.clear();
  VarTypes.try_emplace(Var, VarType{VarTy, {}, {}, nullptr});
  return checkExpr(E);
}

std::optional<Type> ClauseChecker::checkExpr(const ast::Expr &E, bool InArithmetic) {
  using K = ast::Expr::Kind;
  switch (E.TheKind) {
  case K::Variable: {
    auto It = VarTypes.find(E.Text);
    if (It == VarTypes.end())
      return std::nullopt;
    return It->second.Ty;
  }
  case K::Int:
    return Type::intTy();
  case K::Float:
    return Type::floatTy();
  case K::String:
    return Type::stringTy();
  case K::Bool:
    return Type::boolTy();
  case K::List:
    for (const ast::Expr &Elem : E.Operands)
      checkExpr(Elem);
    return Type::vectorTy();
  case K::Word:
    Diags.reportAt(DiagKind::BareWordValue, E.Range, E.Text)
        .fixIt(E.Range, ast::quoteString(E.Text));
    return std::nullopt;
  case K::Negate: {
    const ast::Expr &Operand = E.Operands.front();
    std::string Text = ast::toString(Operand);
    Diags.reportAt(DiagKind::UnaryMinusOnNonLiteral, E.Range, Text)
        .fixIt(E.Range, InArithmetic ? "(0 - " + Text + ")" : "0 - " + Text);
    std::optional<Type> T = checkExpr(Operand, /*InArithmetic=*/true);
    if (T && T->isNumeric())
      return T;
    return std::nullopt;
  }
  case K::Binary:
    return checkBinary(E);
  case K::Call:
    return checkCall(E, InArithmetic);
  case K::Paren:
    return checkExpr(E.Operands.front(), InArithmetic);
  case K::Wildcard:
  case K::Error:
    return std::nullopt;
  }
  return std::nullopt;
}

/// Whether a value of type T may be passed where P is expected
/// (Functions.def's header lists what each parameter type takes).
static bool typeFits(ParamType P, const Type &T) {
  using K = Type::Kind;
  bool NumberList = T.kind() == K::List && T.element().isNumeric();
  switch (P) {
  case ParamType::Int:
  case ParamType::Timestamp:
    return T.kind() == K::Int;
  case ParamType::Number:
    return T.isNumeric();
  case ParamType::String:
    return T.kind() == K::String;
  case ParamType::Vector:
    return T.kind() == K::Vector || NumberList;
  case ParamType::Int8Vector:
    return T.kind() == K::Vector || (T.kind() == K::List && T.element().kind() == K::Int);
  case ParamType::Ordered:
    return T.isNumeric() || T.kind() == K::String;
  case ParamType::Sequence:
    return T.kind() == K::String || T.kind() == K::Vector || T.kind() == K::List;
  case ParamType::Any:
    return true;
  }
  return true;
}

/// How a diagnostic names what a parameter type accepts.
static const char *paramTypeDescription(ParamType P) {
  switch (P) {
  case ParamType::Int:
    return "an `int`";
  case ParamType::Timestamp:
    return "an `int` timestamp";
  case ParamType::Number:
    return "a number (`int` or `float`)";
  case ParamType::String:
    return "a `string`";
  case ParamType::Vector:
    return "a `vector`";
  case ParamType::Int8Vector:
    return "an int8 vector";
  case ParamType::Ordered:
    return "an `int`, `float` or `string`";
  case ParamType::Sequence:
    return "a `string` or a list";
  case ParamType::Any:
    return "a value";
  }
  return "a value";
}

void ClauseChecker::checkCallArguments(const ast::Expr &E, const BuiltinFunction &F,
                                       const std::vector<std::optional<Type>> &ArgTypes) {
  for (size_t I = 0; I < ArgTypes.size(); ++I) {
    if (!ArgTypes[I] || typeFits(F.Params[I], *ArgTypes[I]))
      continue;
    const ast::Expr &Arg = E.Operands[I];
    DiagnosticBuilder B = Diags.reportAt(DiagKind::FunctionArgumentType, Arg.Range, I + 1, F.Name,
                                         paramTypeDescription(F.Params[I]), ArgTypes[I]->str());
    noteVariableType(B, Arg);
  }
}

std::optional<Type> ClauseChecker::checkCall(const ast::Expr &E, bool InArithmetic) {
  if (InArithmetic)
    Diags.reportAt(DiagKind::FunctionInArithmetic, E.Range, E.Text);
  std::vector<std::optional<Type>> ArgTypes;
  for (const ast::Expr &Arg : E.Operands)
    ArgTypes.push_back(checkExpr(Arg));

  const BuiltinFunction *F = iql::findFunction(E.Text);
  llvm::SMRange NameRange(E.Range.Start,
                          llvm::SMLoc::getFromPointer(E.Range.Start.getPointer() + E.Text.size()));
  if (!F) {
    NameSuggester S(llvm::StringRef(E.Text).lower());
    for (const BuiltinFunction &B : iql::allFunctions())
      S.offer(B.Name);
    addSuggestion(Diags.reportAt(DiagKind::UnknownFunction, NameRange, E.Text), NameRange,
                  S.best());
    return std::nullopt;
  }
  if (E.Operands.size() != F->Arity) {
    Diags.reportAt(DiagKind::FunctionArity, E.Range, F->Name, plural(F->Arity, "argument"),
                   E.Operands.size());
    return std::nullopt;
  }
  checkCallArguments(E, *F, ArgTypes);
  switch (F->Result) {
  case ResultType::Int:
    return Type::intTy();
  case ResultType::Float:
    return Type::floatTy();
  case ResultType::Bool:
    return Type::boolTy();
  case ResultType::String:
    return Type::stringTy();
  case ResultType::Vector:
    return Type::vectorTy();
  case ResultType::IntList:
    return Type::listTy(Type::intTy());
  case ResultType::SameAsFirst:
    return ArgTypes.empty() ? std::nullopt : ArgTypes.front();
  case ResultType::Unknown:
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Type> ClauseChecker::checkBinary(const ast::Expr &E) {
  std::optional<Type> Sides[2];
  bool Numeric = true;
  for (int I = 0; I < 2; ++I) {
    const ast::Expr &Operand = E.Operands[I];
    Sides[I] = checkExpr(Operand, /*InArithmetic=*/true);
    if (!Sides[I])
      continue;
    if (!Sides[I]->isNumeric()) {
      DiagnosticBuilder B = Diags.reportAt(DiagKind::ArithmeticTypeMismatch, Operand.Range,
                                           ast::spelling(E.Op).str(), Sides[I]->str());
      noteVariableType(B, Operand);
      Numeric = false;
    }
  }
  if (!Numeric || !Sides[0] || !Sides[1])
    return std::nullopt;
  if (Sides[0]->kind() == Type::Kind::Int && Sides[1]->kind() == Type::Kind::Int)
    return Type::intTy();
  return Type::floatTy();
}

void ClauseChecker::checkComparison(const ast::BodyLiteral &L) {
  std::optional<Type> Lt = checkExpr(L.Lhs);
  std::optional<Type> Rt = checkExpr(L.Rhs);
  if (Lt && Rt && !Type::comparable(*Lt, *Rt)) {
    DiagnosticBuilder B =
        Diags.reportAt(DiagKind::ComparisonTypeMismatch, L.Lhs->Range, Lt->str(), Rt->str());
    B.range(L.Rhs->Range);
    noteVariableType(B, L.Lhs);
    noteVariableType(B, L.Rhs);
    return;
  }
  if (L.Op != ast::CompareOp::Eq)
    return;
  // `V = expr` with V untyped is an assignment: V takes the type of expr.
  const ast::Expr &A = L.Lhs->stripParens(), &B = L.Rhs->stripParens();
  if (A.isVariable() && !VarTypes.count(A.Text) && Rt)
    VarTypes.try_emplace(A.Text, VarType{*Rt, {}, {}, nullptr});
  else if (B.isVariable() && !VarTypes.count(B.Text) && Lt)
    VarTypes.try_emplace(B.Text, VarType{*Lt, {}, {}, nullptr});
}
