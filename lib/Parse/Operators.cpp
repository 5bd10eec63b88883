//===- Operators.cpp - Precedence, unary minus and the smallest integer ---===//
#include "StrataParser.h"
#include "Values.h"

using namespace strata;
using namespace strata::parse;

ast::Expr strata::parse::errorExpr(llvm::SMRange R) {
  ast::Expr E;
  E.TheKind = ast::Expr::Kind::Error;
  E.Range = R;
  return E;
}

ast::BinaryOp strata::parse::binaryOpOfToken(size_t TokenType) {
  using P = strata_antlr::StrataParser;
  switch (TokenType) {
  case P::MINUS:
    return ast::BinaryOp::Sub;
  case P::STAR:
    return ast::BinaryOp::Mul;
  case P::SLASH:
    return ast::BinaryOp::Div;
  case P::PERCENT:
    return ast::BinaryOp::Mod;
  default:
    return ast::BinaryOp::Add;
  }
}

static ast::Expr binary(ast::BinaryOp Op, ast::Expr L, ast::Expr R) {
  ast::Expr E;
  E.TheKind = ast::Expr::Kind::Binary;
  E.Op = Op;
  E.Range = {L.Range.Start, R.Range.End};
  E.Operands.reserve(2);
  E.Operands.push_back(std::move(L));
  E.Operands.push_back(std::move(R));
  return E;
}

ast::Expr strata::parse::applyPrecedence(llvm::MutableArrayRef<ast::Expr> Operands,
                                         llvm::ArrayRef<ast::BinaryOp> Ops) {
  // Runs of * / % fold first, then + - over the results.
  std::vector<ast::Expr> Sums;
  std::vector<ast::BinaryOp> SumOps;
  ast::Expr Current = std::move(Operands[0]);
  for (size_t I = 0; I < Ops.size(); ++I) {
    if (ast::precedence(Ops[I]) > 1) {
      Current = binary(Ops[I], std::move(Current), std::move(Operands[I + 1]));
      continue;
    }
    Sums.push_back(std::move(Current));
    SumOps.push_back(Ops[I]);
    Current = std::move(Operands[I + 1]);
  }
  Sums.push_back(std::move(Current));
  ast::Expr Result = std::move(Sums[0]);
  for (size_t I = 0; I < SumOps.size(); ++I)
    Result = binary(SumOps[I], std::move(Result), std::move(Sums[I + 1]));
  return Result;
}

ast::Expr strata::parse::negate(ast::Expr Operand, llvm::ArrayRef<llvm::SMLoc> MinusStarts) {
  for (size_t I = MinusStarts.size(); I-- > 0;) {
    llvm::SMRange R{MinusStarts[I], Operand.Range.End};
    bool Numeric =
        Operand.TheKind == ast::Expr::Kind::Int || Operand.TheKind == ast::Expr::Kind::Float;
    if (Numeric && Operand.Text[0] != '-') {
      Operand.Text = "-" + Operand.Text;
      Operand.IntValue = -Operand.IntValue;
      Operand.FloatValue = -Operand.FloatValue;
      Operand.Range = R;
      continue;
    }
    ast::Expr Neg;
    Neg.TheKind = ast::Expr::Kind::Negate;
    Neg.Range = R;
    Neg.Operands.push_back(std::move(Operand));
    Operand = std::move(Neg);
  }
  return Operand;
}

bool strata::parse::isMinIntMagnitude(llvm::StringRef Digits) {
  return Digits == "9223372036854775808";
}

ast::Expr strata::parse::minIntValue(llvm::SMLoc Minus, llvm::SMLoc End) {
  ast::Expr E;
  E.TheKind = ast::Expr::Kind::Int;
  E.Range = {Minus, End};
  E.Text = "-9223372036854775808";
  E.IntValue = INT64_MIN;
  return E;
}
