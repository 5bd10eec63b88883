//===- Functions.h - Built-in functions and arithmetic ----------*- C++ -*-===//
//
// Every failure (a wrong argument type, a string that is not a number,
// overflow, division by zero) yields null rather than an error: one bad
// value never aborts a whole statement.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_FUNCTIONS_H
#define STRATA_LIB_ENGINE_FUNCTIONS_H

#include "IqlTypes.h"
#include "llvm/ADT/StringRef.h"
#include <vector>

namespace strata::engine {

/// Whether the embedded engine runs F (every other function of
/// Functions.def is refused before evaluation, with a clear error).
bool isImplemented(iql::FunctionId F);
Value callFunction(iql::FunctionId F, const std::vector<Value> &Args);
/// `+ - * / %`; `/` always divides as floats, as the server does.
Value arithmetic(char Op, const Value &A, const Value &B);

} // namespace strata::engine

#endif
