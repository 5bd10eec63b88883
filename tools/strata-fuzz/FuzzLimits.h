//===- FuzzLimits.h - Evaluation limits shared by the engine fuzzers ------===//
//
// Tighter than the engine's defaults so that one input cannot take seconds:
// a fuzzer explores breadth, and a hostile program hitting a limit is an
// ordinary error reply (what is being tested), not a timeout.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_TOOLS_FUZZ_FUZZLIMITS_H
#define STRATA_TOOLS_FUZZ_FUZZLIMITS_H

#include "strata/Engine/Limits.h"

namespace strata::fuzz {
inline void useFuzzEvaluationLimits() {
  engine::EvaluationLimits &L = engine::evaluationLimits();
  L.Steps = 20000;
  L.Rows = 10000;
  L.RecursionRounds = 500;
  L.MemoryBytes = 64 << 20; // far below -rss_limit_mb, so the budget stops a statement first
}
} // namespace strata::fuzz

#endif
