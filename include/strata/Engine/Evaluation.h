//===- Evaluation.h - How the engine answers a bound query ------*- C++ -*-===//
//
// A query whose atoms have bound arguments (`?reach(1, Y)`) is answered
// demand-driven by default: the rules it reads are rewritten so that they
// derive only what its bindings reach (magic sets, lib/Engine/Demand.h).
// Full evaluation derives every fact of every relation the query reads
// and filters them; it gives the same replies, more slowly, and is kept
// as the reference that differential tests compare against (the tools
// choose it with STRATA_EVALUATION=full).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_ENGINE_EVALUATION_H
#define STRATA_ENGINE_EVALUATION_H

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace strata::engine {

enum class QueryEvaluation { DemandDriven, Full };

/// The process-wide choice every evaluation uses; tools set it.
QueryEvaluation &queryEvaluation();

/// `demand` or `full`; none for any other text.
std::optional<QueryEvaluation> parseQueryEvaluation(llvm::StringRef Text);

} // namespace strata::engine

#endif
