//===- Functions.h - Built-in functions and arithmetic ----------*- C++ -*-===//
//
// The engine runs every function of Functions.def, dispatched by its
// FunctionId; the families live in FunctionsMath.cpp, FunctionsString.cpp,
// FunctionsTime.cpp, FunctionsVector.cpp and FunctionsLsh.cpp.
//
// Every failure (a wrong argument type, a string that is not a number,
// overflow, division by zero, NaN, vectors of different lengths) yields
// null rather than an error: one bad value never aborts a whole statement.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_FUNCTIONS_H
#define STRATA_LIB_ENGINE_FUNCTIONS_H

#include "IqlTypes.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <vector>

namespace strata::engine {

/// F applied to Args; null when F fails on them or Args has the wrong
/// count.
Value callFunction(iql::FunctionId F, const std::vector<Value> &Args);
/// `+ - * / %`; `/` always divides as floats, as the server does.
Value arithmetic(char Op, const Value &A, const Value &B);

/// The clock `time_now()` reads: Unix milliseconds. It is the engine's
/// only reading of the time, so a test that installs its own clock makes
/// every `time_now()` deterministic. Null (the default) is the system
/// clock; setClock returns the clock it replaces.
using Clock = int64_t (*)();
Clock setClock(Clock C);
int64_t nowMillis();

} // namespace strata::engine

#endif
