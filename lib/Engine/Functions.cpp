//===- Functions.cpp - Arithmetic and dispatch of built-in functions -------===//
#include "Functions.h"
#include "FunctionSupport.h"
#include "strata/Engine/Limits.h"
#include "strata/IQL/Builtins.h"
#include <cmath>

using namespace strata::engine;
using strata::iql::FunctionId;

static Value integerArithmetic(char Op, int64_t X, int64_t Y) {
  int64_t R = 0;
  bool Overflow = false;
  switch (Op) {
  case '+':
    Overflow = __builtin_add_overflow(X, Y, &R);
    break;
  case '-':
    Overflow = __builtin_sub_overflow(X, Y, &R);
    break;
  case '*':
    Overflow = __builtin_mul_overflow(X, Y, &R);
    break;
  case '%':
    if (Y == 0)
      return Value::null();
    return Value::integer(Y == -1 ? 0 : X % Y); // INT64_MIN % -1 traps
  default:
    return Value::null();
  }
  return Overflow ? Value::null() : Value::integer(R);
}

Value strata::engine::arithmetic(char Op, const Value &A, const Value &B) {
  // A string past MaxStringBytes is an overflow: doubling one every round
  // would exhaust memory within a few dozen rounds.
  if (A.kind() == Value::Kind::String && B.kind() == Value::Kind::String && Op == '+')
    return A.asString().size() + B.asString().size() > MaxStringBytes
               ? Value::null()
               : Value::string(A.asString() + B.asString());
  if (!A.isNumber() || !B.isNumber())
    return Value::null();
  if (Op == '/')
    return B.toDouble() == 0.0 ? Value::null() : realOrNull(A.toDouble() / B.toDouble());
  if (A.kind() == Value::Kind::Int && B.kind() == Value::Kind::Int)
    return integerArithmetic(Op, A.asInt(), B.asInt());
  double X = A.toDouble(), Y = B.toDouble();
  switch (Op) {
  case '+':
    return realOrNull(X + Y);
  case '-':
    return realOrNull(X - Y);
  case '*':
    return realOrNull(X * Y);
  case '%':
    return Y == 0.0 ? Value::null() : realOrNull(std::fmod(X, Y));
  }
  return Value::null();
}

Value strata::engine::callFunction(FunctionId F, const std::vector<Value> &Args) {
  const iql::BuiltinFunction &Info = iql::functionInfo(F);
  if (Args.size() != Info.Arity)
    return Value::null();
  // An argument of the wrong type makes the call null; the families below
  // may then read each argument as its declared type.
  for (size_t I = 0; I < Args.size(); ++I)
    if (!iql::valueFits(Info.Params[I], Args[I]))
      return Value::null();
  // No default: a function added to Functions.def must be given a family
  // here, or the build warns.
  switch (F) {
  case FunctionId::Euclidean:
  case FunctionId::Cosine:
  case FunctionId::Dot:
  case FunctionId::Manhattan:
  case FunctionId::Normalize:
  case FunctionId::VecDim:
  case FunctionId::VecAdd:
  case FunctionId::VecScale:
    return callVectorFunction(F, Args);
  case FunctionId::LshBucket:
  case FunctionId::LshProbes:
  case FunctionId::LshMultiProbe:
    return callLshFunction(F, Args);
  case FunctionId::TimeNow:
  case FunctionId::TimeDiff:
  case FunctionId::TimeAdd:
  case FunctionId::TimeSub:
  case FunctionId::IntervalDuration:
  case FunctionId::TimeDecay:
  case FunctionId::TimeDecayLinear:
  case FunctionId::TimeBefore:
  case FunctionId::TimeAfter:
  case FunctionId::TimeBetween:
  case FunctionId::WithinLast:
  case FunctionId::PointInInterval:
  case FunctionId::IntervalsOverlap:
  case FunctionId::IntervalContains:
    return callTimeFunction(F, Args);
  case FunctionId::QuantizeLinear:
  case FunctionId::QuantizeSymmetric:
  case FunctionId::Dequantize:
  case FunctionId::DequantizeScaled:
  case FunctionId::EuclideanInt8:
  case FunctionId::CosineInt8:
  case FunctionId::DotInt8:
  case FunctionId::ManhattanInt8:
    return callQuantizationFunction(F, Args);
  case FunctionId::Abs:
  case FunctionId::AbsInt64:
  case FunctionId::AbsFloat64:
  case FunctionId::Sqrt:
  case FunctionId::Log:
  case FunctionId::Exp:
  case FunctionId::Sin:
  case FunctionId::Cos:
  case FunctionId::Tan:
  case FunctionId::Pow:
  case FunctionId::Floor:
  case FunctionId::Ceil:
  case FunctionId::Sign:
  case FunctionId::ToFloat:
  case FunctionId::ToInt:
  case FunctionId::MinVal:
  case FunctionId::MaxVal:
    return callMathFunction(F, Args);
  case FunctionId::Len:
  case FunctionId::Upper:
  case FunctionId::Lower:
  case FunctionId::Trim:
  case FunctionId::Substr:
  case FunctionId::Replace:
  case FunctionId::Concat:
    return callStringFunction(F, Args);
  }
  return Value::null();
}
