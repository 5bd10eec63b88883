//===- Expr.cpp -----------------------------------------------------------===//
#include "strata/AST/Expr.h"
#include "strata/AST/Rule.h"
#include "strata/AST/SourceFile.h"

using namespace strata::ast;

llvm::StringRef strata::ast::spelling(BinaryOp Op) {
  switch (Op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::Mod:
    return "%";
  }
  return "+";
}

int strata::ast::precedence(BinaryOp Op) {
  return (Op == BinaryOp::Add || Op == BinaryOp::Sub) ? 1 : 2;
}

llvm::StringRef strata::ast::spelling(CompareOp Op) {
  switch (Op) {
  case CompareOp::Eq:
    return "=";
  case CompareOp::Ne:
    return "!=";
  case CompareOp::Lt:
    return "<";
  case CompareOp::Le:
    return "<=";
  case CompareOp::Gt:
    return ">";
  case CompareOp::Ge:
    return ">=";
  }
  return "=";
}

const Expr &Expr::stripParens() const {
  const Expr *E = this;
  while (E->TheKind == Kind::Paren && !E->Operands.empty())
    E = &E->Operands.front();
  return *E;
}

const Ident &strata::ast::declaredName(const Item &I) {
  return std::visit([](const auto &D) -> const Ident & { return D.Name; }, I);
}
