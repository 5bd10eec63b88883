//===- FunctionsLsh.cpp - Locality-sensitive hashing -----------------------===//
//
// Random-hyperplane LSH as the server computes it, so that buckets agree
// with the server's to the bit (transcripts 31_lsh): bit h of a bucket is
// set when the vector lies on the positive side of hyperplane h of its
// table. The hyperplanes are derived, not stored: component d of
// hyperplane h of table T is a pseudo-random number in [-1, 1) drawn from
// the seed T * 1000000007 + h * 31337 + d (wrapping in 64 bits) by
// SipHash-1-3 with zero keys, the hash the server's language uses by
// default. At most 62 hyperplanes count, so a bucket fits an Int. The
// server reads the counts of hyperplanes and probes as unsigned sizes, so
// a negative count is a huge one: all 62 hyperplanes, every probe.
//
//===----------------------------------------------------------------------===//
#include "FunctionSupport.h"
#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>

using namespace strata::engine;
using strata::iql::FunctionId;

namespace {

constexpr int64_t MaxHyperplanes = 62;

uint64_t rotl(uint64_t X, int B) { return (X << B) | (X >> (64 - B)); }

struct SipState {
  uint64_t V0 = 0x736f6d6570736575ULL, V1 = 0x646f72616e646f6dULL;
  uint64_t V2 = 0x6c7967656e657261ULL, V3 = 0x7465646279746573ULL;
  void round() {
    V0 += V1, V1 = rotl(V1, 13), V1 ^= V0, V0 = rotl(V0, 32);
    V2 += V3, V3 = rotl(V3, 16), V3 ^= V2;
    V0 += V3, V3 = rotl(V3, 21), V3 ^= V0;
    V2 += V1, V1 = rotl(V1, 17), V1 ^= V2, V2 = rotl(V2, 32);
  }
  void absorb(uint64_t M) {
    V3 ^= M;
    round(); // SipHash-1-3: one round per block
    V0 ^= M;
  }
};

/// SipHash-1-3, zero keys, of the 8 little-endian bytes of X.
uint64_t sipHash13(uint64_t X) {
  SipState S;
  S.absorb(X);
  S.absorb(uint64_t(8) << 56); // the last block: no bytes left, length 8
  S.V2 ^= 0xff;
  for (int I = 0; I < 3; ++I)
    S.round();
  return S.V0 ^ S.V1 ^ S.V2 ^ S.V3;
}

float hyperplaneComponent(int64_t Table, int64_t Plane, size_t Dim) {
  uint64_t Seed = uint64_t(Table) * 1000000007ULL + uint64_t(Plane) * 31337ULL + Dim;
  double Unit = double(uint32_t(sipHash13(Seed))) / double(UINT32_MAX);
  return float(Unit * 2.0 - 1.0);
}

/// The components of table Table's first Planes hyperplanes in Dims
/// dimensions, plane after plane. Drawing them costs a hash per component,
/// so each thread keeps the last few tables it used, as the server does.
const std::vector<float> &hyperplanes(int64_t Table, int64_t Planes, size_t Dims) {
  using Key = std::tuple<int64_t, int64_t, size_t>;
  thread_local std::map<Key, std::vector<float>> Cache;
  Key K{Table, Planes, Dims};
  if (auto It = Cache.find(K); It != Cache.end())
    return It->second;
  if (Cache.size() >= 64)
    Cache.clear();
  std::vector<float> &Out = Cache[K];
  for (int64_t P = 0; P < Planes; ++P)
    for (size_t D = 0; D < Dims; ++D)
      Out.push_back(hyperplaneComponent(Table, P, D));
  return Out;
}

/// The bucket of V and, per hyperplane, how far V lies from it.
struct Hashed {
  int64_t Bucket = 0;
  std::vector<double> Margins;
};

Hashed hashVector(const std::vector<float> &V, int64_t Table, int64_t Planes) {
  Hashed H;
  if (V.empty())
    return H;
  int64_t Count = std::min(Planes, MaxHyperplanes);
  const std::vector<float> &Planes32 = hyperplanes(Table, Count, V.size());
  for (int64_t P = 0; P < Count; ++P) {
    float Dot32 = 0; // the bucket reads a float sum, the margins a double one
    double Dot = 0;
    for (size_t D = 0; D < V.size(); ++D) {
      float C = Planes32[size_t(P) * V.size() + D];
      Dot32 += V[D] * C;
      Dot += double(V[D]) * double(C);
    }
    if (Dot32 > 0)
      H.Bucket |= int64_t(1) << P;
    H.Margins.push_back(std::fabs(Dot));
  }
  return H;
}

/// Bucket, then bucket with one bit of Bits flipped, then two, then three,
/// in the order Bits lists them, until Count probes.
std::vector<int64_t> probes(int64_t Bucket, const std::vector<int64_t> &Bits, int64_t Count) {
  std::vector<int64_t> Out;
  if (Count <= 0)
    return Out;
  Out.push_back(Bucket);
  size_t N = Bits.size();
  auto Full = [&] { return int64_t(Out.size()) >= Count; };
  for (size_t I = 0; I < N && !Full(); ++I)
    Out.push_back(Bucket ^ (int64_t(1) << Bits[I]));
  for (size_t I = 0; I < N; ++I)
    for (size_t J = I + 1; J < N && !Full(); ++J)
      Out.push_back(Bucket ^ (int64_t(1) << Bits[I]) ^ (int64_t(1) << Bits[J]));
  for (size_t I = 0; I < N; ++I)
    for (size_t J = I + 1; J < N; ++J)
      for (size_t K = J + 1; K < N && !Full(); ++K)
        Out.push_back(Bucket ^ (int64_t(1) << Bits[I]) ^ (int64_t(1) << Bits[J]) ^
                      (int64_t(1) << Bits[K]));
  return Out;
}

/// Hyperplanes nearest V first: the bits a small move of V would flip.
std::vector<int64_t> bitsByMargin(const std::vector<double> &Margins) {
  std::vector<int64_t> Bits(Margins.size());
  std::iota(Bits.begin(), Bits.end(), 0);
  std::stable_sort(Bits.begin(), Bits.end(),
                   [&](int64_t A, int64_t B) { return Margins[A] < Margins[B]; });
  return Bits;
}

} // namespace

/// A count of hyperplanes or probes as the server reads it: a negative one
/// wraps to a huge unsigned size.
static int64_t unsignedCount(const Value &V) { return V.asInt() < 0 ? INT64_MAX : V.asInt(); }

Value strata::engine::callLshFunction(FunctionId F, Args A) {
  std::vector<float> V;
  if (F == FunctionId::LshProbes) { // (bucket, hyperplanes, probes)
    int64_t Bucket = A[0].asInt();
    std::vector<int64_t> Bits(std::min(unsignedCount(A[1]), MaxHyperplanes));
    std::iota(Bits.begin(), Bits.end(), 0);
    return intListValue(probes(Bucket, Bits, unsignedCount(A[2])));
  }
  if (!readVector(A[0], V))
    return Value::null();
  Hashed H = hashVector(V, A[1].asInt(), unsignedCount(A[2]));
  if (F == FunctionId::LshBucket)
    return Value::integer(H.Bucket);
  return intListValue(probes(H.Bucket, bitsByMargin(H.Margins), unsignedCount(A[3])));
}
