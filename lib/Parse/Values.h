//===- Values.h - Constants, names as values and fill literals --*- C++ -*-===//
//
// How a token's text becomes a value, shared by the two ways an AST is
// built: from ANTLR's parse tree (ASTBuilder) and by the recursive-descent
// parser (RecursiveDescent.h). Everything here works on source ranges, so
// neither parser's token type leaks in.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_VALUES_H
#define STRATA_LIB_PARSE_VALUES_H

#include "strata/AST/Expr.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"

namespace strata::parse {

/// The source text a range covers.
inline llvm::StringRef sourceText(llvm::SMRange R) {
  return {R.Start.getPointer(), size_t(R.End.getPointer() - R.Start.getPointer())};
}

enum class ConstantKind { Int, Float, String };

/// The constant a token spells (its Range): integers and floats out of
/// range and unknown escapes are reported.
ast::Expr constantValue(ConstantKind Kind, llvm::SMRange Range, DiagnosticEngine &Diags);

/// A name used as a value: a variable, `_`, `true`/`false` or a bare word.
ast::Expr nameValue(llvm::SMRange Range);

/// `-5` or `-1.5` outside rule bodies: Range runs from the minus to the
/// end of Digits, the number's text.
ast::Expr negativeLiteral(bool IsFloat, llvm::StringRef Digits, llvm::SMRange Range,
                          DiagnosticEngine &Diags);

/// A bare name where a literal belongs: `true`/`false`, anything else is
/// reported with a fix-it that quotes it.
ast::Expr wordLiteral(llvm::SMRange Range, DiagnosticEngine &Diags);

/// The size in `vector(384)`; an absurd one saturates and Sema reports it.
int64_t sizeValue(llvm::StringRef Digits);

/// The value of a string token: quotes removed, escapes decoded. Reports
/// unknown escapes.
std::string unescapeString(llvm::StringRef Token, llvm::SMLoc TokenLoc, DiagnosticEngine &Diags);

// ---- expressions (Operators.cpp)

/// Left-associative folding of an operator chain with two precedence
/// levels (* / % over + -), without recursion.
ast::Expr applyPrecedence(llvm::MutableArrayRef<ast::Expr> Operands,
                          llvm::ArrayRef<ast::BinaryOp> Ops);

/// Applies one unary minus per entry of MinusStarts (where each minus is
/// written, outermost first) to Operand: `-5` folds into a constant, other
/// negations are kept as written.
ast::Expr negate(ast::Expr Operand, llvm::ArrayRef<llvm::SMLoc> MinusStarts);

/// 9223372036854775808 does not fit in 64 bits, but its negation does: the
/// minus is folded before the range check. Whether Digits is that number.
bool isMinIntMagnitude(llvm::StringRef Digits);
/// INT64_MIN, written from Minus to End.
ast::Expr minIntValue(llvm::SMLoc Minus, llvm::SMLoc End);

/// The operator a `+ - * / %` token stands for. TokenType is the
/// generated parser's numbering, which the scanner's tokens share.
ast::BinaryOp binaryOpOfToken(size_t TokenType);

/// An Error expression covering R.
ast::Expr errorExpr(llvm::SMRange R);

} // namespace strata::parse

#endif
