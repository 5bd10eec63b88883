//===- MoveBatches.h - A move of facts cut into bounded requests -*- C++ -*-===//
//
// On a server, a column change's move `-src(A), +dst(..) <- src(A), ...`
// would run as one request however many facts src holds: one request the
// server must finish before anything else, within its request time limit.
// Instead the executor reads src's facts and sends them back in batches,
// each batch one request that moves exactly its facts:
//
//   -strata_batch_N(A) <- strata_batch_N(A)          (clears a leftover)
//   +strata_batch_N[(..), (..), ...]                 (the batch's facts)
//   -src(A), +dst(..) <- strata_batch_N(A), src(A), ...
//   .rel drop strata_batch_N
//
// N is the arity. The batch relation is Strata's (`strata_` names are
// refused in schemas and never compared with the history), and joining it
// with src moves only facts src still holds, so a batch whose request ran
// already, or a leftover from a program a server stopped in the middle of,
// moves nothing twice. Batches are bounded by the server's message limit
// and by a number of facts (docs/safety.md, "Moves in batches").
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_MOVEBATCHES_H
#define STRATA_LIB_EXEC_MOVEBATCHES_H

#include "strata/CodeGen/Lowering.h"
#include "strata/Engine/Reply.h"
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace strata::exec {

/// A move statement that can be sent in batches.
struct BatchableMove {
  std::string Source;        // the relation it empties
  std::string Arguments;     // its delete head's arguments: `C0, C1`
  std::string BatchRelation; // `strata_batch_N`
  std::string Restricted;    // the move, the batch relation first in its body

  /// `?src(C0, C1)`: reads the facts the move carries.
  std::string sourceQuery() const { return "?" + Source + "(" + Arguments + ")"; }
};

/// St's lowered tree when it is an atomic update (`-a(..), +b(..) <- body`),
/// else null.
const iql::Statement *loweredAtomicUpdate(const IqlStatement &St);

/// The move St as a batchable one, or nullopt when St is not a move
/// whose delete head is all variables.
std::optional<BatchableMove> batchableMove(const IqlStatement &St);

/// One request of a batched move.
struct MoveBatch {
  std::string Program; // without the journal's lines
  size_t Facts = 0;
};

/// Cuts Facts (the rows of sourceQuery()) into batches of at most
/// MaxFacts facts (at least 1) whose programs, as JSON string text, take
/// at most MaxBytes less room for the journal's lines and the request's
/// envelope. Nullopt when they cannot be sent this way: a value IQL has
/// no literal for (a record), or one fact alone over MaxBytes; the move
/// then runs whole.
std::optional<std::vector<MoveBatch>> cutIntoBatches(const BatchableMove &M, const Reply &Facts,
                                                     size_t MaxFacts, size_t MaxBytes);

/// The bytes Text takes as a JSON string's contents (escapes counted).
size_t jsonStringBytes(llvm::StringRef Text);

} // namespace strata::exec

#endif
