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

/// An estimate of the heap a tuple takes once stored in a TupleSet: the
/// set's node and bucket, the vector, each value and the characters of a
/// string too long to sit inside its value. Errs high rather than low.
uint64_t materialisedBytes(const Tuple &T);
/// The same for the tuple of T's values at the columns of Columns' bits
/// (an index key), without building it.
uint64_t materialisedBytes(const Tuple &T, uint64_t Columns);

/// Bytes as people read them: `512 MiB`, `2.5 GiB`, `900 bytes`.
std::string byteSizeText(uint64_t Bytes);

class Budget {
public:
  Budget() : Limits(evaluationLimits()) {}

  /// Charges one join step; false once any bound is crossed.
  bool step();
  /// Charges one join step and one row that will be kept (Vals's bytes).
  bool row(const Tuple &Vals);
  /// Charges one join step and one row whose bytes are charged with
  /// bytes() if it is kept.
  bool row();
  /// Charges bytes materialised outside rows (an index, a copied relation).
  bool bytes(uint64_t N);
  /// Ends the evaluation with Why (an index search that failed).
  void stop(std::string Why);

  bool exhausted() const { return !Reason.empty(); }
  /// Why the evaluation stopped; empty while it may go on.
  const std::string &reason() const { return Reason; }
  const EvaluationLimits &limits() const { return Limits; }

private:
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
