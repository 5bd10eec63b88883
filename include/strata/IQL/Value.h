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
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace strata::iql {

class Value {
public:
  enum class Kind : uint8_t { Null, Bool, Int, Float, String, List };

  Value() = default;
  Value(const Value &O) = default;
  Value(Value &&O) noexcept = default;
  /// Touches the string and the list only when either side holds one:
  /// joins copy integers into their bindings millions of times.
  Value &operator=(const Value &O) {
    K = O.K;
    Scalar = O.Scalar;
    if (!Text.empty() || !O.Text.empty())
      Text = O.Text;
    if (Elements || O.Elements)
      Elements = O.Elements;
    return *this;
  }
  Value &operator=(Value &&O) noexcept = default;
  static Value null() { return Value(); }
  static Value boolean(bool B);
  static Value integer(int64_t I);
  static Value real(double D);
  static Value string(std::string S);
  static Value list(std::vector<Value> Elements);

  Kind kind() const { return K; }
  bool isNull() const { return K == Kind::Null; }
  bool isNumber() const { return K == Kind::Int || K == Kind::Float; }
  bool asBool() const { return Scalar.B; }
  int64_t asInt() const { return Scalar.I; }
  double asFloat() const { return Scalar.D; }
  const std::string &asString() const { return Text; }
  const std::vector<Value> &asList() const;
  /// The numeric value of an Int or Float.
  double toDouble() const { return K == Kind::Int ? double(Scalar.I) : Scalar.D; }

  bool operator==(const Value &O) const {
    if (K != O.K)
      return false;
    return K == Kind::Int ? Scalar.I == O.Scalar.I : equalSameKind(O);
  }
  bool operator!=(const Value &O) const { return !(*this == O); }
  size_t hash() const;

  /// The value as a reply cell (a non-finite float is null: JSON has none).
  Cell toCell() const;
  /// IQL literal text that the parser reads back to an equal value
  /// (floats keep every bit; infinities print as 1e999).
  std::string literal() const;

private:
  bool equalSameKind(const Value &O) const;

  Kind K = Kind::Null;
  union {
    bool B;
    int64_t I;
    double D;
  } Scalar{};
  std::string Text;
  std::shared_ptr<const std::vector<Value>> Elements;
};

/// A total order used to sort result rows: null < bool < numbers (compared
/// numerically, ints before floats on a tie) < strings < lists.
int compareValues(const Value &A, const Value &B);

using Tuple = std::vector<Value>;

struct TupleHash {
  size_t operator()(const Tuple &T) const;
  /// The hash of the tuple of T's values at the columns of Mask's bits
  /// (among the first 64), in column order, without building that tuple.
  static size_t columns(const Tuple &T, uint64_t Mask);
};

} // namespace strata::iql

#endif
