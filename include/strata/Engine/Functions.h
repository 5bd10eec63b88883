//===- Functions.h - The engine's built-in functions --------------*- C++ -*-===//
//
// Every function of the server's vocabulary (strata/IQL/Functions.def) as
// the embedded engine runs it, dispatched by its FunctionId; the families
// live in lib/Engine/Functions{Math,String,Time,Vector,Lsh}.cpp and
// docs/engine.md states their semantics.
//
// Every failure (a wrong argument type, a string that is not a number,
// overflow, division by zero, NaN, vectors of different lengths) yields
// null rather than an error: one bad value never aborts a whole statement.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_ENGINE_FUNCTIONS_H
#define STRATA_ENGINE_FUNCTIONS_H

#include "strata/IQL/Builtins.h"
#include "strata/IQL/Value.h"
#include <cstdint>
#include <vector>

namespace strata::engine {

/// F applied to Args; null when F fails on them or Args has the wrong
/// count.
iql::Value callFunction(iql::FunctionId F, const std::vector<iql::Value> &Args);

/// The clock `time_now()` reads: Unix milliseconds. It is the engine's
/// only reading of the time, so a test that installs its own clock makes
/// every `time_now()` deterministic. Null (the default) is the system
/// clock; setClock returns the clock it replaces, to put back.
using Clock = int64_t (*)();
Clock setClock(Clock C);
int64_t nowMillis();

} // namespace strata::engine

#endif
