//===- Functions.cpp - Built-in functions and arithmetic -------------------===//
#include "Functions.h"
#include "Limits.h"
#include "llvm/ADT/StringExtras.h"
#include <cerrno>
#include <cmath>
#include <cstdlib>

using namespace strata::engine;
using llvm::StringRef;

static Value real(double D) { return std::isnan(D) ? Value::null() : Value::real(D); }

Value strata::engine::arithmetic(char Op, const Value &A, const Value &B) {
  // A string past MaxStringBytes is an overflow: doubling one every round
  // would exhaust memory within a few dozen rounds.
  if (A.kind() == Value::Kind::String && B.kind() == Value::Kind::String && Op == '+')
    return A.asString().size() + B.asString().size() > MaxStringBytes
               ? Value::null()
               : Value::string(A.asString() + B.asString());
  if (!A.isNumber() || !B.isNumber())
    return Value::null();
  bool Ints = A.kind() == Value::Kind::Int && B.kind() == Value::Kind::Int;
  if (Op == '/') {
    if (B.toDouble() == 0.0)
      return Value::null();
    return real(A.toDouble() / B.toDouble());
  }
  if (Ints) {
    int64_t X = A.asInt(), Y = B.asInt(), R = 0;
    switch (Op) {
    case '+':
      if (__builtin_add_overflow(X, Y, &R))
        return Value::null();
      return Value::integer(R);
    case '-':
      if (__builtin_sub_overflow(X, Y, &R))
        return Value::null();
      return Value::integer(R);
    case '*':
      if (__builtin_mul_overflow(X, Y, &R))
        return Value::null();
      return Value::integer(R);
    case '%':
      if (Y == 0)
        return Value::null();
      if (Y == -1)
        return Value::integer(0);
      return Value::integer(X % Y);
    }
    return Value::null();
  }
  double X = A.toDouble(), Y = B.toDouble();
  switch (Op) {
  case '+':
    return real(X + Y);
  case '-':
    return real(X - Y);
  case '*':
    return real(X * Y);
  case '%':
    return Y == 0.0 ? Value::null() : real(std::fmod(X, Y));
  }
  return Value::null();
}

static Value parseInt(StringRef S) {
  S = S.trim();
  long long V;
  if (llvm::getAsSignedInteger(S, 10, V))
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
  return real(D);
}

static Value toInt(const Value &V) {
  switch (V.kind()) {
  case Value::Kind::Int:
    return V;
  case Value::Kind::Float: {
    double D = std::trunc(V.asFloat());
    if (!std::isfinite(D) || D < -9.2233720368547758e18 || D >= 9.2233720368547758e18)
      return Value::null();
    return Value::integer(int64_t(D));
  }
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

static std::string display(const Value &V) {
  return V.kind() == Value::Kind::String ? V.asString() : V.literal();
}

static int64_t codePoints(const std::string &S) {
  int64_t N = 0;
  for (unsigned char C : S)
    N += (C & 0xC0) != 0x80;
  return N;
}

using strata::iql::FunctionId;

static Value vectorMetric(FunctionId F, const Value &A, const Value &B) {
  if (A.kind() != Value::Kind::List || B.kind() != Value::Kind::List ||
      A.asList().size() != B.asList().size())
    return Value::null();
  double Dot = 0, NA = 0, NB = 0, L2 = 0, L1 = 0;
  for (size_t I = 0; I < A.asList().size(); ++I) {
    const Value &X = A.asList()[I], &Y = B.asList()[I];
    if (!X.isNumber() || !Y.isNumber())
      return Value::null();
    double P = X.toDouble(), Q = Y.toDouble();
    Dot += P * Q;
    NA += P * P;
    NB += Q * Q;
    L2 += (P - Q) * (P - Q);
    L1 += std::fabs(P - Q);
  }
  switch (F) {
  case FunctionId::Cosine:
    return NA == 0 || NB == 0 ? Value::null() : real(Dot / (std::sqrt(NA) * std::sqrt(NB)));
  case FunctionId::Euclidean:
    return real(std::sqrt(L2));
  case FunctionId::Dot:
    return real(Dot);
  default:
    return real(L1);
  }
}

static Value concat(const std::vector<Value> &Args) {
  std::string S;
  for (const Value &A : Args) {
    if (A.isNull())
      return Value::null();
    S += display(A);
    if (S.size() > MaxStringBytes)
      return Value::null();
  }
  return Value::string(std::move(S));
}

static Value minOrMax(bool Min, const std::vector<Value> &Args) {
  if (Args.size() != 2 || !Args[0].isNumber() || !Args[1].isNumber())
    return Value::null();
  bool Less = compareValues(Args[0], Args[1]) < 0;
  return Min == Less ? Args[0] : Args[1];
}

static Value length(const Value &V) {
  if (V.kind() == Value::Kind::String)
    return Value::integer(codePoints(V.asString()));
  if (V.kind() == Value::Kind::List)
    return Value::integer(int64_t(V.asList().size()));
  return Value::null();
}

static Value absolute(const Value &V) {
  if (V.kind() == Value::Kind::Int)
    return V.asInt() == INT64_MIN ? Value::null() : Value::integer(std::llabs(V.asInt()));
  if (V.kind() == Value::Kind::Float)
    return Value::real(std::fabs(V.asFloat()));
  return Value::null();
}

static Value stringCase(FunctionId F, const Value &V) {
  if (V.kind() != Value::Kind::String)
    return Value::null();
  StringRef S = V.asString();
  switch (F) {
  case FunctionId::Trim:
    return Value::string(S.trim().str());
  case FunctionId::Upper:
    return Value::string(S.upper());
  default:
    return Value::string(S.lower());
  }
}

/// sqrt, floor, ceil: an int argument of floor and ceil is returned as is.
static Value rounding(FunctionId F, const Value &V) {
  if (!V.isNumber())
    return Value::null();
  double D = V.toDouble();
  if (F == FunctionId::Sqrt)
    return D < 0 ? Value::null() : real(std::sqrt(D));
  if (V.kind() == Value::Kind::Int)
    return V;
  return real(F == FunctionId::Floor ? std::floor(D) : std::ceil(D));
}

bool strata::engine::isImplemented(FunctionId F) {
  switch (F) {
  case FunctionId::Concat:
  case FunctionId::MinVal:
  case FunctionId::MaxVal:
  case FunctionId::Cosine:
  case FunctionId::Euclidean:
  case FunctionId::Dot:
  case FunctionId::Manhattan:
  case FunctionId::ToInt:
  case FunctionId::ToFloat:
  case FunctionId::Len:
  case FunctionId::Upper:
  case FunctionId::Lower:
  case FunctionId::Trim:
  case FunctionId::Abs:
  case FunctionId::Sqrt:
  case FunctionId::Floor:
  case FunctionId::Ceil:
    return true;
  default:
    return false;
  }
}

Value strata::engine::callFunction(FunctionId F, const std::vector<Value> &Args) {
  switch (F) {
  case FunctionId::Concat:
    return concat(Args);
  case FunctionId::MinVal:
  case FunctionId::MaxVal:
    return minOrMax(F == FunctionId::MinVal, Args);
  case FunctionId::Cosine:
  case FunctionId::Euclidean:
  case FunctionId::Dot:
  case FunctionId::Manhattan:
    return Args.size() == 2 ? vectorMetric(F, Args[0], Args[1]) : Value::null();
  default:
    break;
  }
  if (Args.size() != 1 || Args[0].isNull())
    return Value::null();
  const Value &V = Args[0];
  switch (F) {
  case FunctionId::ToInt:
    return toInt(V);
  case FunctionId::ToFloat:
    return toFloat(V);
  case FunctionId::Len:
    return length(V);
  case FunctionId::Upper:
  case FunctionId::Lower:
  case FunctionId::Trim:
    return stringCase(F, V);
  case FunctionId::Abs:
    return absolute(V);
  case FunctionId::Sqrt:
  case FunctionId::Floor:
  case FunctionId::Ceil:
    return rounding(F, V);
  default:
    return Value::null();
  }
}
