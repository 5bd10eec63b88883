//===- FunctionsMath.cpp - Math, conversions and scalar min/max ------------===//
//
// Math functions take an Int or a Float (an int is read as a double unless
// the function keeps ints: abs, floor, ceil, sign, min_val, max_val); the
// signatures in Functions.def say which, and callFunction checks them. A
// float result that is not finite (exp(1000), pow(0, -1)) is an overflow
// and yields null; an int result saturates at the int64 bounds, as the
// server's abs_int64, sum and float-to-int conversions do (abs of the
// least int64 is the greatest, floor(1e300) the greatest int64).
// docs/builtins.md lists every edge case.
//
//===----------------------------------------------------------------------===//
#include "FunctionSupport.h"
#include "llvm/ADT/StringExtras.h"
#include <cerrno>
#include <cstdlib>

using namespace strata::engine;
using llvm::StringRef;
using strata::iql::FunctionId;

static Value finiteOrNull(double D) { return std::isfinite(D) ? Value::real(D) : Value::null(); }

/// The int64 a double truncates to, saturating at the int64 bounds (a
/// float-to-int conversion of the server's language); NaN is null.
static Value truncatedInt(double D) {
  if (std::isnan(D))
    return Value::null();
  if (D <= -9.2233720368547758e18)
    return Value::integer(INT64_MIN);
  if (D >= 9.2233720368547758e18)
    return Value::integer(INT64_MAX);
  return Value::integer(int64_t(D));
}

/// abs keeps the argument's kind; abs_int64 takes only ints (its
/// signature), abs_float64 widens an int. Both int forms saturate: the
/// least int64 gives the greatest, as the server documents for abs_int64.
static Value absolute(FunctionId F, const Value &V) {
  if (V.kind() == Value::Kind::Int && F != FunctionId::AbsFloat64) {
    int64_t I = V.asInt();
    if (I == INT64_MIN)
      return Value::integer(INT64_MAX);
    return Value::integer(I < 0 ? -I : I);
  }
  return Value::real(std::fabs(V.toDouble()));
}

/// floor, ceil: an Int result; an int argument is returned as is.
static Value rounding(FunctionId F, const Value &V) {
  if (V.kind() == Value::Kind::Int)
    return V;
  double D = V.asFloat();
  return truncatedInt(F == FunctionId::Floor ? std::floor(D) : std::ceil(D));
}

static Value sign(const Value &V) {
  double D = V.toDouble();
  return Value::integer(D > 0 ? 1 : D < 0 ? -1 : 0); // NaN: 0, as documented
}

/// sqrt, log, exp, sin, cos, tan: a float of one number.
static Value unary(FunctionId F, const Value &V) {
  double D = V.toDouble();
  switch (F) {
  case FunctionId::Sqrt:
    return D < 0 ? Value::null() : finiteOrNull(std::sqrt(D));
  case FunctionId::Log:
    return D <= 0 ? Value::null() : finiteOrNull(std::log(D));
  case FunctionId::Exp:
    return finiteOrNull(std::exp(D));
  case FunctionId::Sin:
    return finiteOrNull(std::sin(D));
  case FunctionId::Cos:
    return finiteOrNull(std::cos(D));
  default:
    return finiteOrNull(std::tan(D));
  }
}

static Value power(const Value &Base, const Value &Exponent) {
  return finiteOrNull(std::pow(Base.toDouble(), Exponent.toDouble()));
}

static Value parseInt(StringRef S) {
  long long V;
  if (llvm::getAsSignedInteger(S.trim(), 10, V))
    return Value::null();
  return Value::integer(V);
}

static Value parseFloat(StringRef S) {
  std::string T = S.trim().str();
  if (T.empty())
    return Value::null();
  char *End = nullptr;
  errno = 0;
  double D = std::strtod(T.c_str(), &End);
  if (End != T.c_str() + T.size())
    return Value::null();
  return realOrNull(D);
}

static Value toInt(const Value &V) {
  switch (V.kind()) {
  case Value::Kind::Int:
    return V;
  case Value::Kind::Float:
    return truncatedInt(std::trunc(V.asFloat()));
  case Value::Kind::String:
    return parseInt(V.asString());
  case Value::Kind::Bool:
    return Value::integer(V.asBool() ? 1 : 0);
  default:
    return Value::null();
  }
}

static Value toFloat(const Value &V) {
  switch (V.kind()) {
  case Value::Kind::Int:
    return Value::real(double(V.asInt()));
  case Value::Kind::Float:
    return V;
  case Value::Kind::String:
    return parseFloat(V.asString());
  default:
    return Value::null();
  }
}

/// min_val, max_val: two ints give an int, an int and a float a float, two
/// strings compare lexicographically; a string and a number fail.
static Value minOrMax(bool Min, const Value &A, const Value &B) {
  bool Strings = A.kind() == Value::Kind::String && B.kind() == Value::Kind::String;
  if (!Strings && !(A.isNumber() && B.isNumber()))
    return Value::null();
  bool Less = compareValues(A, B) < 0;
  const Value &Pick = Min == Less ? A : B;
  if (Strings || A.kind() == B.kind())
    return Pick;
  return Value::real(Pick.toDouble());
}

Value strata::engine::callMathFunction(FunctionId F, Args A) {
  switch (F) {
  case FunctionId::Abs:
  case FunctionId::AbsInt64:
  case FunctionId::AbsFloat64:
    return absolute(F, A[0]);
  case FunctionId::Floor:
  case FunctionId::Ceil:
    return rounding(F, A[0]);
  case FunctionId::Sign:
    return sign(A[0]);
  case FunctionId::Pow:
    return power(A[0], A[1]);
  case FunctionId::ToInt:
    return toInt(A[0]);
  case FunctionId::ToFloat:
    return toFloat(A[0]);
  case FunctionId::MinVal:
  case FunctionId::MaxVal:
    return minOrMax(F == FunctionId::MinVal, A[0], A[1]);
  default:
    return unary(F, A[0]);
  }
}
