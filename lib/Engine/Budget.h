//===- Budget.h - What one statement has spent ------------------*- C++ -*-===//
//
// One statement's evaluation charges its join steps, its rows and the
// bytes it materialises against the process's EvaluationLimits
// (strata/Engine/Limits.h). Once a bound is crossed the budget is
// exhausted for good and says which bound, and how to raise it: the
// search unwinds and the statement fails with that reason, changing
// nothing.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_BUDGET_H
#define STRATA_LIB_ENGINE_BUDGET_H

#include "IqlTypes.h"
#include "strata/Engine/Limits.h"
#include <string>

namespace strata::engine {

/// What one stored value costs: itself, plus for a string or a list the
/// heap block it shares with its copies (Budget.cpp).
uint64_t valueBytes(const Value &V);

/// An estimate of the heap a tuple takes once stored in a TupleSet: the
/// set's node and bucket, the vector, each value and the characters of a
/// string too long to sit inside its value. Errs high rather than low.
/// Inline, as every derived fact is charged: a value that holds no block
/// (a number, a boolean, null) costs itself alone.
inline uint64_t materialisedBytes(const Tuple &T) {
  // The fact set's slot (cached hash, the tuple's address) and the tuple
  // (the vector and its heap block with the allocator's rounding).
  uint64_t N = 16 + sizeof(Tuple) + 8 + 16;
  for (const Value &V : T)
    N += V.kind() < Value::Kind::String ? sizeof(Value) : valueBytes(V);
  return N;
}
/// The same for the tuple of T's values at the columns of Columns' bits
/// (an index key), without building it. Inline too: every fact filed in an
/// index is charged.
inline uint64_t materialisedBytes(const Tuple &T, uint64_t Columns) {
  uint64_t N = 16 + sizeof(Tuple) + 8 + 16;
  for (size_t I = 0; I < T.size() && I < 64; ++I)
    if ((Columns >> I) & 1)
      N += T[I].kind() < Value::Kind::String ? sizeof(Value) : valueBytes(T[I]);
  return N;
}

/// Bytes as people read them: `512 MiB`, `2.5 GiB`, `900 bytes`.
std::string byteSizeText(uint64_t Bytes);

class Budget {
public:
  Budget() : Limits(evaluationLimits()) {}

  // A join charges these several times per derived fact, so the common
  // case (no bound near, no deadline check due) is decided inline; the
  // out-of-line halves do exactly what a charge did before.

  /// Charges one join step; false once any bound is crossed.
  bool step() {
    if (Reason.empty() && Steps + 1 <= Limits.Steps && (Steps + 1) % DeadlineEvery != 0) {
      ++Steps;
      return true;
    }
    return chargeStep();
  }
  /// Charges one join step and one row that will be kept (Vals's bytes).
  bool row(const Tuple &Vals) { return row() && bytes(materialisedBytes(Vals)); }
  /// Charges one join step and one row whose bytes are charged with
  /// bytes() if it is kept.
  bool row() { return step() && (++Rows <= Limits.Rows || rowsExceeded()); }
  /// Charges bytes materialised outside rows (an index, a copied relation).
  bool bytes(uint64_t N) {
    if (Reason.empty() && Bytes + N <= Limits.MemoryBytes) {
      Bytes += N;
      return true;
    }
    return chargeBytes(N);
  }
  /// Ends the evaluation with Why (an index search that failed).
  void stop(std::string Why);

  bool exhausted() const { return !Reason.empty(); }
  /// Why the evaluation stopped; empty while it may go on.
  const std::string &reason() const { return Reason; }
  const EvaluationLimits &limits() const { return Limits; }

private:
  /// How many steps apart the clock is read.
  static constexpr uint64_t DeadlineEvery = 4096;
  bool chargeStep();
  bool rowsExceeded();
  bool chargeBytes(uint64_t N);

  EvaluationLimits Limits;
  uint64_t Steps = 0, Rows = 0, Bytes = 0;
  std::string Reason;
};

/// The error text for an allocation that failed during an evaluation.
std::string outOfMemoryText();

/// Whether a relation holding Existing would pass Limit facts once the
/// facts of Deleted are removed and those of Added inserted (a fact added
/// twice, or already there, counts once).
bool passesFactLimit(const TupleSet &Existing, const std::vector<const Tuple *> &Deleted,
                     const std::vector<const Tuple *> &Added, uint64_t Limit);

/// The error text for a relation that would hold more than Limit facts.
std::string relationFactsExceeded(const std::string &Relation, uint64_t Limit);

} // namespace strata::engine

#endif
