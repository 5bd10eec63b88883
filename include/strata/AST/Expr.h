//===- Expr.h - Terms and expressions of IQL rule bodies --------*- C++ -*-===//
#ifndef STRATA_AST_EXPR_H
#define STRATA_AST_EXPR_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <string>
#include <vector>

namespace strata::ast {

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Mod };
llvm::StringRef spelling(BinaryOp Op);
/// Higher binds tighter: * / % over + -.
int precedence(BinaryOp Op);

/// The small fields come first, packed together: an expression is the most
/// frequent node (docs/performance.md, "Memory of the AST").
struct Expr {
  enum class Kind : uint8_t {
    Variable, // X, Name, _tmp (uppercase- or underscore-initial)
    Wildcard, // _
    Word,     // a bare lowercase word, e.g. `desc` in top_k<3, S, desc>
    Int,
    Float,
    String,
    Bool,
    List,   // [1, 2, 3]
    Negate, // -X
    Binary,
    Call,  // len(S), cosine(V, W)
    Paren, // (X + 1): kept so the formatter can print what was written
    Error, // placeholder for something that failed to parse or convert
  };

  Kind TheKind = Kind::Error;
  bool BoolValue = false;
  BinaryOp Op = BinaryOp::Add;
  llvm::SMRange Range;
  /// Variable, Word and Call: the name. String: the value, unescaped.
  /// Int, Float: the spelling as written.
  std::string Text;
  int64_t IntValue = 0;
  double FloatValue = 0;
  /// Negate, Paren: one. Binary: two. Call: arguments. List: elements.
  std::vector<Expr> Operands;

  bool isVariable() const { return TheKind == Kind::Variable; }
  bool isConstant() const {
    return TheKind == Kind::Int || TheKind == Kind::Float || TheKind == Kind::String ||
           TheKind == Kind::Bool;
  }
  /// The expression with any enclosing parentheses removed.
  const Expr &stripParens() const;
};

} // namespace strata::ast

#endif
