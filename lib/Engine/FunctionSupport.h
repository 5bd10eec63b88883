//===- FunctionSupport.h - What the built-in function families share -*- C++ -*-===//
//
// Reading arguments and building results for the families of built-in
// functions (FunctionsMath.cpp, FunctionsString.cpp, FunctionsTime.cpp,
// FunctionsVector.cpp, FunctionsLsh.cpp). callFunction has already
// checked every argument against its type in Functions.def (an `int` is an
// Int, a `number` an Int or a Float, a `vector` a list), so the families
// read arguments directly; only what the table cannot say (a list's
// elements, a pair of `ordered` values) is checked here, and each family
// turns such a failure into null, as Functions.h promises.
//
// The server stores a vector as 32-bit floats and an int8 vector as
// integers in [-128, 127]; the engine stores both as lists (of numbers,
// of ints), so readers narrow each element as the server would.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_FUNCTIONSUPPORT_H
#define STRATA_LIB_ENGINE_FUNCTIONSUPPORT_H

#include "IqlTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include <cmath>
#include <cstdint>
#include <vector>

namespace strata::engine {

using Args = llvm::ArrayRef<Value>;

/// A float result; NaN is a failure, so it yields null.
inline Value realOrNull(double D) { return std::isnan(D) ? Value::null() : Value::real(D); }

/// A vector: a list whose elements are all numbers, narrowed to float.
bool readVector(const Value &V, std::vector<float> &Out);
/// An int8 vector: a list of ints, each in [-128, 127].
bool readInt8Vector(const Value &V, std::vector<int8_t> &Out);

Value vectorValue(llvm::ArrayRef<float> V);
Value int8VectorValue(llvm::ArrayRef<int8_t> V);
Value intListValue(llvm::ArrayRef<int64_t> V);

// The families' entry points; each is called only with functions of its
// family, with as many arguments as Functions.def declares, each of its
// declared type.
Value callMathFunction(iql::FunctionId F, Args A);
Value callStringFunction(iql::FunctionId F, Args A);
Value callTimeFunction(iql::FunctionId F, Args A);
Value callVectorFunction(iql::FunctionId F, Args A);
Value callQuantizationFunction(iql::FunctionId F, Args A);
Value callLshFunction(iql::FunctionId F, Args A);

} // namespace strata::engine

#endif
