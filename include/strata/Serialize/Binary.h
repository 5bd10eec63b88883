//===- Binary.h - A compact byte encoding for cached data -------*- C++ -*-===//
//
// The primitives of Strata's cache files (docs/performance.md, "The build
// cache"): LEB128 varints, zig-zag signed integers, doubles as their IEEE
// bits in little-endian order, and length-prefixed strings. The same bytes
// mean the same values on every machine.
//
// A reader never reads past its data: a read that does not fit fails, and
// the reader stays failed, so a caller may check ok() once after a batch of
// reads. Cache files can be truncated or damaged; they must never crash us.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SERIALIZE_BINARY_H
#define STRATA_SERIALIZE_BINARY_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>

namespace strata::serialize {

class BinaryWriter {
public:
  void u64(uint64_t V) {
    // Most values (tags, counts, short lengths) take one byte.
    if (V < 0x80)
      Out.push_back(static_cast<char>(V));
    else
      u64Long(V);
  }
  void i64(int64_t V);
  void f64(double V);
  void boolean(bool B) { u64(B ? 1 : 0); }
  /// Length, then the bytes.
  void str(llvm::StringRef S);

  const std::string &data() const { return Out; }
  std::string take() { return std::move(Out); }

private:
  void u64Long(uint64_t V);

  std::string Out;
};

class BinaryReader {
public:
  explicit BinaryReader(llvm::StringRef Data) : Data(Data) {}

  uint64_t u64() {
    // The common case, one byte, inline.
    if (!Failed && Pos < Data.size() && static_cast<unsigned char>(Data[Pos]) < 0x80)
      return static_cast<unsigned char>(Data[Pos++]);
    return u64Long();
  }
  int64_t i64();
  double f64();
  /// Only 0 or 1; anything else fails.
  bool boolean();
  /// A view into the data (valid while the data is).
  llvm::StringRef str();
  /// An element count, failing when the bytes left could not hold that
  /// many elements of at least MinBytes each (so a damaged count cannot
  /// make a caller reserve gigabytes).
  uint64_t count(size_t MinBytes = 1);

  bool ok() const { return !Failed; }
  void fail() { Failed = true; }
  bool atEnd() const { return Pos == Data.size(); }
  size_t remaining() const { return Data.size() - Pos; }

private:
  uint64_t u64Long();

  llvm::StringRef Data;
  size_t Pos = 0;
  bool Failed = false;
};

} // namespace strata::serialize

#endif
