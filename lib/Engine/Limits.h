//===- Limits.h - What one statement may cost ------------------*- C++ -*-===//
//
// The engine evaluates whatever rules it is given, and some never finish
// (`p(Y) <- p(X), Y = X + 1` has no fixpoint) or grow past memory (a cross
// join, a string doubled every round). These bounds turn such statements
// into an error, or a null for strings, instead of a hang or an
// out-of-memory. The defaults sit far above what migrations and the benchmarks of
// docs/performance.md need (100 000 facts moved in one statement); the
// figures are in docs/engine.md.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_LIMITS_H
#define STRATA_LIB_ENGINE_LIMITS_H

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace strata::engine {

/// Bounds on one statement's evaluation (a query, a conditional delete, an
/// update, and the rules they read).
struct EvaluationLimits {
  /// Join steps: a body literal tried against one binding, or one fact
  /// scanned.
  uint64_t Steps = 20'000'000;
  /// Rows: solutions of a body, derived or answered, duplicates included.
  uint64_t Rows = 2'000'000;
  /// Rounds of one recursive component: each costs bookkeeping beyond its
  /// joins, so a fixpoint that adds one fact per round is bounded here.
  uint64_t RecursionRounds = 100'000;
  /// When the statements running now must be done by, on the wall clock:
  /// `strata serve` sets it for each request, so that a request of many
  /// statements, each within the bounds above, still ends in bounded time.
  std::chrono::steady_clock::time_point Deadline = std::chrono::steady_clock::time_point::max();
};

/// Whether L's deadline has passed; checked every few thousand steps.
inline bool pastDeadline(const EvaluationLimits &L) {
  return L.Deadline != std::chrono::steady_clock::time_point::max() &&
         std::chrono::steady_clock::now() > L.Deadline;
}

/// The limits every evaluation in this process uses. Only tools change
/// them: the fuzzer lowers them, under sanitizers, so that a runaway input
/// costs milliseconds rather than a minute.
EvaluationLimits &evaluationLimits();

/// Bytes of a string built by `+` or `concat`; longer is an overflow and
/// yields null, as integer overflow does.
constexpr size_t MaxStringBytes = size_t(1) << 20;

} // namespace strata::engine

#endif
