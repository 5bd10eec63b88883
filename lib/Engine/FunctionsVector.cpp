//===- FunctionsVector.cpp - Vector distances, vector arithmetic, int8 -----===//
//
// The server keeps vector elements as 32-bit floats, and the printed
// digits of its results come from that: sums of squares accumulate in
// float, products for dot and manhattan in double. Each function here
// narrows its elements the same way so that results agree to the last
// digit. Vectors of different lengths: `dot` and `dot_int8` answer 0.0, as
// the server's do; the distances fail (null), where the server computes
// infinity, which its JSON replies carry as null (docs/builtins.md).
//
//===----------------------------------------------------------------------===//
#include "FunctionSupport.h"
#include <algorithm>

using namespace strata::engine;
using strata::iql::FunctionId;

bool strata::engine::readVector(const Value &V, std::vector<float> &Out) {
  if (V.kind() != Value::Kind::List)
    return false;
  Out.clear();
  for (const Value &E : V.asList()) {
    if (!E.isNumber())
      return false;
    Out.push_back(float(E.toDouble()));
  }
  return true;
}

bool strata::engine::readInt8Vector(const Value &V, std::vector<int8_t> &Out) {
  if (V.kind() != Value::Kind::List)
    return false;
  Out.clear();
  for (const Value &E : V.asList()) {
    if (E.kind() != Value::Kind::Int || E.asInt() < -128 || E.asInt() > 127)
      return false;
    Out.push_back(int8_t(E.asInt()));
  }
  return true;
}

Value strata::engine::vectorValue(llvm::ArrayRef<float> V) {
  std::vector<Value> Elements;
  for (float F : V) {
    if (!std::isfinite(F)) // an element overflowed float
      return Value::null();
    Elements.push_back(Value::real(double(F)));
  }
  return Value::list(std::move(Elements));
}

Value strata::engine::int8VectorValue(llvm::ArrayRef<int8_t> V) {
  std::vector<Value> Elements;
  for (int8_t I : V)
    Elements.push_back(Value::integer(I));
  return Value::list(std::move(Elements));
}

Value strata::engine::intListValue(llvm::ArrayRef<int64_t> V) {
  std::vector<Value> Elements;
  for (int64_t I : V)
    Elements.push_back(Value::integer(I));
  return Value::list(std::move(Elements));
}

/// 1 - cos(angle), clamped to [0, 2]; a zero vector is at distance Zero.
static double cosineDistance(double Dot, double NormA, double NormB, double Zero) {
  if (NormA == 0 || NormB == 0)
    return Zero;
  return 1.0 - std::clamp(Dot / (NormA * NormB), -1.0, 1.0);
}

static Value distance(FunctionId F, const std::vector<float> &A, const std::vector<float> &B) {
  if (A.size() != B.size())
    return F == FunctionId::Dot ? Value::real(0.0) : Value::null();
  float SumSq = 0, Dot32 = 0, NormA = 0, NormB = 0;
  double Dot = 0, L1 = 0;
  for (size_t I = 0; I < A.size(); ++I) {
    float Diff = A[I] - B[I];
    SumSq += Diff * Diff;
    Dot32 += A[I] * B[I];
    NormA += A[I] * A[I];
    NormB += B[I] * B[I];
    Dot += double(A[I]) * double(B[I]);
    L1 += std::fabs(double(Diff));
  }
  switch (F) {
  case FunctionId::Euclidean:
    return realOrNull(std::sqrt(double(SumSq)));
  case FunctionId::Cosine:
    return realOrNull(
        cosineDistance(Dot32, std::sqrt(double(NormA)), std::sqrt(double(NormB)), 0.0));
  case FunctionId::Dot:
    return realOrNull(Dot);
  default:
    return realOrNull(L1);
  }
}

static Value normalize(const std::vector<float> &V) {
  float SumSq = 0;
  for (float X : V)
    SumSq += X * X;
  double Norm = std::sqrt(double(SumSq));
  std::vector<float> Out(V.size(), 0.0f);
  if (Norm != 0)
    for (size_t I = 0; I < V.size(); ++I)
      Out[I] = V[I] / float(Norm);
  return vectorValue(Out);
}

static Value add(const std::vector<float> &A, const std::vector<float> &B) {
  if (A.size() != B.size())
    return Value::null();
  std::vector<float> Out(A.size());
  for (size_t I = 0; I < A.size(); ++I)
    Out[I] = A[I] + B[I];
  return vectorValue(Out);
}

static Value scale(std::vector<float> V, const Value &Factor) {
  double S = Factor.toDouble();
  for (float &X : V)
    X *= float(S);
  return vectorValue(V);
}

Value strata::engine::callVectorFunction(FunctionId F, Args A) {
  std::vector<float> X, Y;
  if (!readVector(A[0], X))
    return Value::null();
  switch (F) {
  case FunctionId::Normalize:
    return normalize(X);
  case FunctionId::VecDim:
    return Value::integer(int64_t(X.size()));
  case FunctionId::VecScale:
    return scale(std::move(X), A[1]);
  default:
    break;
  }
  if (!readVector(A[1], Y))
    return Value::null();
  return F == FunctionId::VecAdd ? add(X, Y) : distance(F, X, Y);
}

//===-- Int8 quantization ---------------------------------------------------===//

static int8_t roundedInt8(float X, float Low) {
  return int8_t(std::clamp(std::round(X), Low, 127.0f)); // round: half away from zero
}

/// Maps [min, max] onto [-128, 127]; a constant vector becomes zeros.
static Value quantizeLinear(const std::vector<float> &V) {
  std::vector<int8_t> Out(V.size(), 0);
  if (V.empty())
    return int8VectorValue(Out);
  auto [Min, Max] = std::minmax_element(V.begin(), V.end());
  float Range = *Max - *Min;
  if (Range != 0)
    for (size_t I = 0; I < V.size(); ++I)
      Out[I] = roundedInt8((V[I] - *Min) / Range * 255.0f - 128.0f, -128.0f);
  return int8VectorValue(Out);
}

/// Maps [-max|x|, max|x|] onto [-127, 127], keeping zero at zero.
static Value quantizeSymmetric(const std::vector<float> &V) {
  float MaxAbs = 0;
  for (float X : V)
    MaxAbs = std::max(MaxAbs, std::fabs(X));
  std::vector<int8_t> Out(V.size(), 0);
  if (MaxAbs != 0)
    for (size_t I = 0; I < V.size(); ++I)
      Out[I] = roundedInt8(V[I] * (127.0f / MaxAbs), -127.0f);
  return int8VectorValue(Out);
}

static Value dequantize(const std::vector<int8_t> &Q, float Scale) {
  std::vector<float> Out;
  for (int8_t I : Q)
    Out.push_back(float(I) * Scale);
  return vectorValue(Out);
}

/// Int8 distances accumulate exactly in int64, as the server's do.
static Value int8Distance(FunctionId F, const std::vector<int8_t> &A,
                          const std::vector<int8_t> &B) {
  if (A.size() != B.size())
    return F == FunctionId::DotInt8 ? Value::real(0.0) : Value::null();
  int64_t SumSq = 0, Dot = 0, NormA = 0, NormB = 0, L1 = 0;
  for (size_t I = 0; I < A.size(); ++I) {
    int64_t X = A[I], Y = B[I];
    SumSq += (X - Y) * (X - Y);
    Dot += X * Y;
    NormA += X * X;
    NormB += Y * Y;
    L1 += X > Y ? X - Y : Y - X;
  }
  switch (F) {
  case FunctionId::EuclideanInt8:
    return Value::real(std::sqrt(double(SumSq)));
  case FunctionId::CosineInt8: // a zero vector is at the largest distance, 1.0
    return Value::real(
        cosineDistance(double(Dot), std::sqrt(double(NormA)), std::sqrt(double(NormB)), 1.0));
  case FunctionId::DotInt8:
    return Value::real(double(Dot));
  default:
    return Value::real(double(L1));
  }
}

Value strata::engine::callQuantizationFunction(FunctionId F, Args A) {
  std::vector<float> V;
  std::vector<int8_t> Q, R;
  switch (F) {
  case FunctionId::QuantizeLinear:
  case FunctionId::QuantizeSymmetric:
    if (!readVector(A[0], V))
      return Value::null();
    return F == FunctionId::QuantizeLinear ? quantizeLinear(V) : quantizeSymmetric(V);
  case FunctionId::Dequantize:
  case FunctionId::DequantizeScaled: {
    double Scale = 1.0;
    if (!readInt8Vector(A[0], Q))
      return Value::null();
    if (F == FunctionId::DequantizeScaled)
      Scale = A[1].toDouble();
    return dequantize(Q, float(Scale));
  }
  default:
    if (!readInt8Vector(A[0], Q) || !readInt8Vector(A[1], R))
      return Value::null();
    return int8Distance(F, Q, R);
  }
}
