//===- Limits.h - What one statement may cost ------------------*- C++ -*-===//
//
// The engine evaluates whatever rules it is given, and some never finish
// (`p(Y) <- p(X), Y = X + 1` has no fixpoint) or grow past memory (a cross
// join, a string doubled every round). These bounds turn such statements
// into an error, or a null for strings, instead of a hang or an
// out-of-memory. Each is a process-wide setting that the `strata` commands
// set from `--max-*` flags or `STRATA_MAX_*` variables; docs/engine.md and
// docs/security.md list them with their defaults.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_ENGINE_LIMITS_H
#define STRATA_ENGINE_LIMITS_H

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace strata::engine {

/// A quarter of the machine's physical memory, or of the address space the
/// process may use (RLIMIT_AS) when that is smaller; 1 GiB when neither can
/// be read. The rest is headroom for the stored facts, for a query's answer
/// held a second time as its reply, and for what the estimate of
/// EvaluationLimits::MemoryBytes does not see.
uint64_t defaultMemoryBudget();

/// Bounds on one statement's evaluation (a query, a conditional delete, an
/// update, and the rules they read) and on what a relation may hold.
struct EvaluationLimits {
  /// Join steps: a body literal tried against one binding, or one fact
  /// scanned. They bound a statement's time (about 60 ns each, so some 30
  /// seconds): enough to move a relation of RelationFacts facts a few
  /// times over.
  uint64_t Steps = 500'000'000;
  /// Rows: solutions of a body, derived or answered, duplicates included.
  /// At least RelationFacts, so that a statement can copy a whole relation
  /// (what a column migration does through its staging relation).
  uint64_t Rows = 100'000'000;
  /// Facts one base relation may hold; an insert or update that would
  /// pass it is refused whole.
  uint64_t RelationFacts = 50'000'000;
  /// Bytes one statement may materialise: facts its rules derive (each
  /// new fact once, however often derived), rows it answers, indexes and
  /// copies it builds, estimated from their values
  /// (materialisedBytes). The facts already stored are not counted.
  uint64_t MemoryBytes = defaultMemoryBudget();
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
/// them: the `strata` commands from their flags, the fuzzer lowers them,
/// under sanitizers, so that a runaway input costs milliseconds rather
/// than a minute.
EvaluationLimits &evaluationLimits();

/// Bytes of a string built by `+` or `concat`; longer is an overflow and
/// yields null, as integer overflow does.
constexpr size_t MaxStringBytes = size_t(1) << 20;

} // namespace strata::engine

#endif
