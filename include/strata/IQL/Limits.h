//===- Limits.h - How large one IQL statement may be -----------*- C++ -*-===//
//
// The parser and every walker of the tree recurse, so deeper or longer
// statements would exhaust the stack; the parser refuses them with a
// located error of kind IqlLimitExceeded instead. printStatement prints any
// statement within the bounds as text within them. The bounds sit far above anything a migration
// or the server's transcripts send (docs/engine.md, "Limits").
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_LIMITS_H
#define STRATA_IQL_LIMITS_H

#include <cstddef>

namespace strata::iql {

/// Literals in one body.
constexpr size_t MaxBodyLiterals = 500;
/// Binary operators in one statement.
constexpr size_t MaxOperators = 2000;
/// Nesting of parentheses, calls and lists in one expression.
constexpr unsigned MaxExprDepth = 200;
/// Nesting of list and record column types.
constexpr unsigned MaxTypeDepth = 32;

} // namespace strata::iql

#endif
