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
#include <unordered_set>
#include <vector>

namespace strata::iql {

class Value {
public:
  enum class Kind : uint8_t { Null, Bool, Int, Float, String, List };

  Value() = default;
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

  bool operator==(const Value &O) const;
  bool operator!=(const Value &O) const { return !(*this == O); }
  size_t hash() const;

  /// The value as a reply cell (a non-finite float is null: JSON has none).
  Cell toCell() const;
  /// IQL literal text that the parser reads back to an equal value
  /// (floats keep every bit; infinities print as 1e999).
  std::string literal() const;

private:
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
};
using TupleSet = std::unordered_set<Tuple, TupleHash>;

bool tupleLess(const Tuple &A, const Tuple &B);
/// The tuples of S in the order replies and the state file use.
std::vector<Tuple> sortedTuples(const TupleSet &S);
/// The same order without copying the tuples (a state file of a million
/// facts is written from these).
std::vector<const Tuple *> sortedTupleRefs(const TupleSet &S);

} // namespace strata::iql

#endif
