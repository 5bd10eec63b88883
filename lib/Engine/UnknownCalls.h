//===- UnknownCalls.h - Calls of functions the server does not know -*- C++ -*-===//
//
// The server parses a call of a function it does not know as no term at
// all: `Y = max_int64(0, X)` and `M = MIN(A, B)` fail with `Parse error:
// Invalid term: 'max_int64(0, X)'` before anything else is checked
// (transcripts 32_math/23, 35_strings). lib/IQL keeps such a call in the
// tree with no function behind it; the engine refuses the statement here,
// with the server's words.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_UNKNOWNCALLS_H
#define STRATA_LIB_ENGINE_UNKNOWNCALLS_H

#include "IqlTypes.h"
#include <string>

namespace strata::engine {

/// The first call of an unknown function in E, outermost first, then left
/// to right; null when there is none.
const Expr *firstUnknownCall(const Expr &E);
/// The same over every expression of a statement.
const Expr *firstUnknownCall(const iql::Statement &St);
/// `Parse error: Invalid term: 'CALL'`, the call as written.
std::string unknownCallMessage(const Expr &Call);

} // namespace strata::engine

#endif
