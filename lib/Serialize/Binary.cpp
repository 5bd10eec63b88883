//===- Binary.cpp - Varints, zig-zag integers, doubles and strings --------===//
//
// Every read checks the bytes left first. A failed read returns zero (or an
// empty string) and leaves the reader failed, so callers can read a whole
// record and test ok() once.
//
//===----------------------------------------------------------------------===//
#include "strata/Serialize/Binary.h"
#include <cstring>

using namespace strata::serialize;

// ---- writing

void BinaryWriter::u64Long(uint64_t V) {
  // Seven bits a byte, low bits first; the high bit says more follow.
  char Buf[10];
  size_t N = 0;
  while (V >= 0x80) {
    Buf[N++] = static_cast<char>((V & 0x7f) | 0x80);
    V >>= 7;
  }
  Buf[N++] = static_cast<char>(V);
  Out.append(Buf, N);
}

void BinaryWriter::i64(int64_t V) {
  // Zig-zag keeps small negative numbers small: 0, -1, 1, -2 -> 0, 1, 2, 3.
  uint64_t U = static_cast<uint64_t>(V);
  u64((U << 1) ^ (V < 0 ? ~uint64_t(0) : 0));
}

void BinaryWriter::f64(double V) {
  uint64_t Bits;
  std::memcpy(&Bits, &V, sizeof Bits);
  char Buf[8];
  for (char &B : Buf) {
    B = static_cast<char>(Bits & 0xff);
    Bits >>= 8;
  }
  Out.append(Buf, sizeof Buf);
}

void BinaryWriter::str(llvm::StringRef S) {
  u64(S.size());
  Out.append(S.data(), S.size());
}

// ---- reading

uint64_t BinaryReader::u64Long() {
  if (Failed)
    return 0;
  uint64_t V = 0;
  for (unsigned Shift = 0; Shift < 64; Shift += 7) {
    if (Pos == Data.size())
      break;
    uint64_t Byte = static_cast<unsigned char>(Data[Pos++]);
    // The tenth byte holds the single top bit; more would overflow.
    if (Shift == 63 && Byte > 1)
      break;
    V |= (Byte & 0x7f) << Shift;
    if (!(Byte & 0x80))
      return V;
  }
  Failed = true;
  return 0;
}

int64_t BinaryReader::i64() {
  uint64_t U = u64();
  return static_cast<int64_t>((U >> 1) ^ (~(U & 1) + 1));
}

double BinaryReader::f64() {
  if (Failed || remaining() < 8) {
    Failed = true;
    return 0;
  }
  uint64_t Bits = 0;
  for (unsigned I = 0; I < 8; ++I)
    Bits |= uint64_t(static_cast<unsigned char>(Data[Pos + I])) << (8 * I);
  Pos += 8;
  double V;
  std::memcpy(&V, &Bits, sizeof V);
  return V;
}

bool BinaryReader::boolean() {
  uint64_t V = u64();
  if (V > 1)
    Failed = true;
  return V == 1;
}

llvm::StringRef BinaryReader::str() {
  uint64_t Size = u64();
  if (Failed || Size > remaining()) {
    Failed = true;
    return {};
  }
  llvm::StringRef S = Data.substr(Pos, Size);
  Pos += Size;
  return S;
}

uint64_t BinaryReader::count(size_t MinBytes) {
  uint64_t N = u64();
  if (Failed || (MinBytes && N > remaining() / MinBytes)) {
    Failed = true;
    return 0;
  }
  return N;
}
