//===- Functions.h - Built-in functions and arithmetic ----------*- C++ -*-===//
//
// The engine's side of strata/Engine/Functions.h, plus the arithmetic
// operators, which follow the same rule: a failure yields null.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_FUNCTIONS_H
#define STRATA_LIB_ENGINE_FUNCTIONS_H

#include "IqlTypes.h"
#include "strata/Engine/Functions.h"

namespace strata::engine {

/// `+ - * / %`; `/` always divides as floats, as the server does.
Value arithmetic(char Op, const Value &A, const Value &B);

} // namespace strata::engine

#endif
