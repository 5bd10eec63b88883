//===- Sha256.cpp - SHA-256 with the processor's SHA extensions -----------===//
//
// FIPS 180-4. The round constants and the initial state are computed rather
// than listed: the first 32 bits of the fractional parts of the cube roots
// of the first 64 primes and of the square roots of the first 8, exactly,
// with 128-bit integer roots.
//
// The SHA extensions keep the state as two vectors, ABEF and CDGH;
// sha256rnds2 runs two rounds, sha256msg1 and sha256msg2 extend the message
// schedule four words at a time.
//
//===----------------------------------------------------------------------===//
#include "strata/Support/Sha256.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define STRATA_SHA_EXTENSIONS 1
#include <cpuid.h>
#include <immintrin.h>
#endif

using namespace strata;

namespace {
/// The largest X with X^Power <= N.
unsigned __int128 integerRoot(unsigned __int128 N, int Power) {
  unsigned __int128 Low = 0, High = uint64_t(1) << (Power == 2 ? 63 : 42);
  auto Raise = [Power](unsigned __int128 X) { return Power == 2 ? X * X : X * X * X; };
  while (Low < High) {
    unsigned __int128 Mid = (Low + High + 1) / 2;
    if (Raise(Mid) <= N)
      Low = Mid;
    else
      High = Mid - 1;
  }
  return Low;
}

struct Constants {
  alignas(16) uint32_t K[64];
  uint32_t Initial[8];

  Constants() {
    unsigned Found = 0;
    for (unsigned P = 2; Found < 64; ++P) {
      bool Prime = true;
      for (unsigned D = 2; D * D <= P && Prime; ++D)
        Prime = P % D != 0;
      if (!Prime)
        continue;
      // frac(cbrt(P)) * 2^32 = cbrt(P * 2^96) mod 2^32; the same for
      // square roots with 2^64.
      K[Found] = uint32_t(integerRoot((unsigned __int128)P << 96, 3));
      if (Found < 8)
        Initial[Found] = uint32_t(integerRoot((unsigned __int128)P << 64, 2));
      ++Found;
    }
  }
};

const Constants &constants() {
  static const Constants C;
  return C;
}
} // namespace

#ifdef STRATA_SHA_EXTENSIONS
namespace {
/// Runs the compression function over Blocks 64-byte blocks; State holds
/// ABEF and CDGH.
__attribute__((target("sha,sse4.1,ssse3"))) void compress(__m128i &ABEF, __m128i &CDGH,
                                                          const uint8_t *Data, size_t Blocks) {
  const __m128i ByteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  const uint32_t *K = constants().K;
  for (; Blocks; --Blocks, Data += 64) {
    __m128i SavedABEF = ABEF, SavedCDGH = CDGH;
    // W[G % 4] holds words 4G..4G+3 of the schedule.
    __m128i W[4];
    for (unsigned G = 0; G < 16; ++G) {
      __m128i &Words = W[G % 4];
      if (G < 4) {
        Words = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(Data + 16 * G)),
                                 ByteSwap);
      } else {
        // w[t] = s1(w[t-2]) + w[t-7] + s0(w[t-15]) + w[t-16]
        __m128i T = _mm_sha256msg1_epu32(W[G % 4], W[(G + 1) % 4]);
        T = _mm_add_epi32(T, _mm_alignr_epi8(W[(G + 3) % 4], W[(G + 2) % 4], 4));
        Words = _mm_sha256msg2_epu32(T, W[(G + 3) % 4]);
      }
      __m128i Msg =
          _mm_add_epi32(Words, _mm_load_si128(reinterpret_cast<const __m128i *>(K + 4 * G)));
      CDGH = _mm_sha256rnds2_epu32(CDGH, ABEF, Msg);
      ABEF = _mm_sha256rnds2_epu32(ABEF, CDGH, _mm_shuffle_epi32(Msg, 0x0e));
    }
    ABEF = _mm_add_epi32(ABEF, SavedABEF);
    CDGH = _mm_add_epi32(CDGH, SavedCDGH);
  }
}

__attribute__((target("sha,sse4.1,ssse3"))) Sha256Digest hashWithExtensions(llvm::StringRef Bytes) {
  const uint32_t *H = constants().Initial;
  // A B C D and E F G H, as words 0..3 of two vectors, into ABEF and CDGH
  // (word 3 first: the instructions read the vectors from the top).
  __m128i DCBA = _mm_loadu_si128(reinterpret_cast<const __m128i *>(H));
  __m128i HGFE = _mm_loadu_si128(reinterpret_cast<const __m128i *>(H + 4));
  __m128i CDAB = _mm_shuffle_epi32(DCBA, 0xb1);
  __m128i EFGH = _mm_shuffle_epi32(HGFE, 0x1b);
  __m128i ABEF = _mm_alignr_epi8(CDAB, EFGH, 8);
  __m128i CDGH = _mm_blend_epi16(EFGH, CDAB, 0xf0);

  const uint8_t *Data = reinterpret_cast<const uint8_t *>(Bytes.data());
  size_t Full = Bytes.size() / 64;
  compress(ABEF, CDGH, Data, Full);
  // The tail, the 0x80 byte, zeros and the length in bits, big-endian.
  uint8_t Tail[128] = {};
  size_t Rest = Bytes.size() - 64 * Full;
  if (Rest)
    std::memcpy(Tail, Data + 64 * Full, Rest);
  Tail[Rest] = 0x80;
  size_t TailBlocks = Rest + 1 + 8 <= 64 ? 1 : 2;
  uint64_t Bits = uint64_t(Bytes.size()) * 8;
  for (int I = 0; I < 8; ++I)
    Tail[64 * TailBlocks - 1 - I] = uint8_t(Bits >> (8 * I));
  compress(ABEF, CDGH, Tail, TailBlocks);

  // Back to A..H, then big-endian bytes.
  __m128i FEBA = _mm_shuffle_epi32(ABEF, 0x1b);
  __m128i DCHG = _mm_shuffle_epi32(CDGH, 0xb1);
  __m128i OutDCBA = _mm_blend_epi16(FEBA, DCHG, 0xf0);
  __m128i OutHGFE = _mm_alignr_epi8(DCHG, FEBA, 8);
  uint32_t Words[8];
  _mm_storeu_si128(reinterpret_cast<__m128i *>(Words), OutDCBA);
  _mm_storeu_si128(reinterpret_cast<__m128i *>(Words + 4), OutHGFE);
  Sha256Digest Out;
  for (int I = 0; I < 8; ++I)
    for (int B = 0; B < 4; ++B)
      Out[4 * I + B] = uint8_t(Words[I] >> (24 - 8 * B));
  return Out;
}

bool detectShaExtensions() {
  unsigned A, B, C, D;
  if (!__get_cpuid(1, &A, &B, &C, &D))
    return false;
  bool Ssse3 = C & (1u << 9), Sse41 = C & (1u << 19);
  if (!__get_cpuid_count(7, 0, &A, &B, &C, &D))
    return false;
  return Ssse3 && Sse41 && (B & (1u << 29));
}
} // namespace

bool strata::hasShaExtensions() {
  static const bool Has = detectShaExtensions();
  return Has;
}

Sha256Digest strata::sha256WithShaExtensions(llvm::StringRef Bytes) {
  return hashWithExtensions(Bytes);
}
#else
bool strata::hasShaExtensions() { return false; }
Sha256Digest strata::sha256WithShaExtensions(llvm::StringRef Bytes) { return sha256(Bytes); }
#endif

Sha256Digest strata::sha256(llvm::StringRef Bytes) {
  if (hasShaExtensions())
    return sha256WithShaExtensions(Bytes);
  return llvm::SHA256::hash(llvm::arrayRefFromStringRef(Bytes));
}

std::string strata::sha256Hex(llvm::StringRef Bytes) {
  return llvm::toHex(sha256(Bytes), /*LowerCase=*/true);
}
