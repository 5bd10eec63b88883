//===- Value.h - One cell of a fact -----------------------------*- C++ -*-===//
//
// The values the engine stores: 64-bit integers, doubles, strings, booleans,
// lists (vectors are lists of numbers) and null, which a failed conversion
// or arithmetic error yields (docs/engine.md). Facts are tuples of values and
// a relation is a set of tuples, so values hash and compare exactly: the
// integer 1 and the float 1.0 are different cells.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_VALUE_H
#define STRATA_IQL_VALUE_H

#include "strata/Support/Cell.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace strata::iql {

namespace detail {
/// The start of a string's or a list's heap block: how many values hold
/// it. Values are copied between threads (Sema's two halves, the server's
/// connections, the replay thread), so the count is atomic; integers,
/// floats, booleans and null have no block and never touch it.
struct ValueBlock {
  mutable std::atomic<uint32_t> Owners{1};
};

/// A string value's block. Its hash is computed on first use and kept
/// (0: not yet), since a fact's strings are hashed again each time a
/// derived tuple that copies them is looked up.
struct StringBlock : ValueBlock {
  explicit StringBlock(std::string S) : Text(std::move(S)) {}
  const std::string Text;
  mutable std::atomic<size_t> Hash{0};
};

/// What asString() returns for a value that holds no text.
const std::string &emptyText();
} // namespace detail

/// 16 bytes: a kind and an 8-byte payload, the number itself or a pointer
/// to an immutable block that copies share. A value moved from keeps its
/// kind and holds no block: an empty string or an empty list (as the
/// std::string and shared list it replaced left behind); a number keeps
/// its number.
class Value {
public:
  enum class Kind : uint8_t { Null, Bool, Int, Float, String, List };

  Value() noexcept { Payload.I = 0; }
  Value(const Value &O) noexcept : K(O.K), Payload(O.Payload) { retain(); }
  Value(Value &&O) noexcept : K(O.K), Payload(O.Payload) { O.dropPointer(); }
  Value &operator=(const Value &O) noexcept {
    O.retain(); // first: O may be this value, or share its block
    release();
    K = O.K;
    Payload = O.Payload;
    return *this;
  }
  Value &operator=(Value &&O) noexcept {
    if (this != &O) {
      release();
      K = O.K;
      Payload = O.Payload;
      O.dropPointer();
    }
    return *this;
  }
  ~Value() { release(); }

  static Value null() { return Value(); }
  static Value boolean(bool B);
  static Value integer(int64_t I);
  static Value real(double D);
  static Value string(std::string S);
  static Value list(std::vector<Value> Elements);

  Kind kind() const { return K; }
  bool isNull() const { return K == Kind::Null; }
  bool isNumber() const { return K == Kind::Int || K == Kind::Float; }
  bool asBool() const { return Payload.B; }
  int64_t asInt() const { return Payload.I; }
  double asFloat() const { return Payload.D; }
  /// The text of a String; an empty string for every other kind.
  const std::string &asString() const;
  /// The elements of a List; an empty list for every other kind.
  const std::vector<Value> &asList() const;
  /// The numeric value of an Int or Float.
  double toDouble() const { return K == Kind::Int ? double(Payload.I) : Payload.D; }

  bool operator==(const Value &O) const {
    if (K != O.K)
      return false;
    return K == Kind::Int ? Payload.I == O.Payload.I : equalSameKind(O);
  }
  bool operator!=(const Value &O) const { return !(*this == O); }
  size_t hash() const;

  /// The value as a reply cell (a non-finite float is null: JSON has none).
  Cell toCell() const;
  /// IQL literal text that the parser reads back to an equal value
  /// (floats keep every bit; infinities print as 1e999).
  std::string literal() const;

private:
  bool holdsBlock() const { return K >= Kind::String && Payload.P; }
  void retain() const {
    if (holdsBlock())
      Payload.P->Owners.fetch_add(1, std::memory_order_relaxed);
  }
  void release() {
    if (holdsBlock())
      releaseBlock();
  }
  /// After a move: the block now belongs to the value moved to.
  void dropPointer() {
    if (K >= Kind::String)
      Payload.P = nullptr;
  }
  void releaseBlock();
  bool equalSameKind(const Value &O) const;
  size_t stringHash() const;

  Kind K = Kind::Null;
  union {
    bool B;
    int64_t I;
    double D;
    const detail::ValueBlock *P; // String and List; null when empty
  } Payload;
};

static_assert(sizeof(Value) == 16, "a value is a kind and an 8-byte payload");

inline const std::string &Value::asString() const {
  if (K == Kind::String && Payload.P)
    return static_cast<const detail::StringBlock *>(Payload.P)->Text;
  return detail::emptyText();
}

/// A total order used to sort result rows: null < bool < numbers (compared
/// numerically, ints before floats on a tie) < strings < lists.
int compareValues(const Value &A, const Value &B);

using Tuple = std::vector<Value>;

namespace detail {
/// Folds H into Seed. Every bit of both reaches every bit of the result
/// (splitmix64's finaliser): the additive combination used before gave
/// the pairs of small integers of a graph's edges a few distinct hashes
/// (65 thousand for a million pairs), and joins spent their time
/// comparing colliding tuples.
inline size_t mixHash(size_t Seed, size_t H) {
  uint64_t X = ((uint64_t(Seed) << 5) | (uint64_t(Seed) >> 59)) ^ uint64_t(H);
  X ^= X >> 30;
  X *= 0xbf58476d1ce4e5b9ULL;
  X ^= X >> 27;
  X *= 0x94d049bb133111ebULL;
  X ^= X >> 31;
  return size_t(X);
}

/// V.hash(), with an integer's (most of a graph's values) worked out
/// inline: tuples are hashed for every fact derived and every index
/// lookup and filing.
inline size_t valueHash(const Value &V) {
  if (V.kind() == Value::Kind::Int)
    return mixHash(size_t(Value::Kind::Int), std::hash<int64_t>()(V.asInt()));
  return V.hash();
}
} // namespace detail

struct TupleHash {
  size_t operator()(const Tuple &T) const {
    size_t H = T.size();
    for (const Value &V : T)
      H = detail::mixHash(H, detail::valueHash(V));
    return H;
  }
  /// The hash of the tuple of T's values at the columns of Mask's bits
  /// (among the first 64), in column order, without building that tuple.
  static size_t columns(const Tuple &T, uint64_t Mask) {
    // The key's columns are Mask's bits below the tuple's size, visited
    // lowest first, as the tuple of them would be hashed. Counted by a
    // loop: a key has a few columns, and without the processor's popcnt
    // instruction in the baseline the builtin is a library call.
    if (T.size() < 64)
      Mask &= (uint64_t(1) << T.size()) - 1;
    size_t H = 0;
    for (uint64_t M = Mask; M; M &= M - 1)
      ++H;
    for (; Mask; Mask &= Mask - 1)
      H = detail::mixHash(H, detail::valueHash(T[size_t(__builtin_ctzll(Mask))]));
    return H;
  }
};

} // namespace strata::iql

#endif
