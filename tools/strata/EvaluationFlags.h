//===- EvaluationFlags.h - The engine's limits from flags --------*- C++ -*-===//
//
// Every command that may evaluate IQL in this process (on a `file:` target,
// or as `strata serve`) takes the same four limits, each a flag or else an
// environment variable, so that a deploy job can raise one for all its
// commands: --max-memory (STRATA_MAX_MEMORY), --max-rows, --max-facts,
// --max-steps. docs/security.md lists them with their defaults. The
// variable STRATA_EVALUATION=full makes bound queries evaluate in full
// rather than demand-driven (strata/Engine/Evaluation.h).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_TOOLS_EVALUATIONFLAGS_H
#define STRATA_TOOLS_EVALUATIONFLAGS_H

#include "CommandLine.h"
#include <cstdint>
#include <optional>

namespace strata::driver {

/// --max-memory, --max-rows, --max-facts, --max-steps.
std::vector<OptionSpec> evaluationOptions();

/// Sets the engine's evaluation limits from the flags, else from the
/// STRATA_MAX_* environment variables; the engine's defaults stay for the
/// rest. False after printing a usage error (Exit is set then).
bool applyEvaluationOptions(const Invocation &Inv, int &Exit);

/// A byte count: digits, optionally followed by K, M, G or T (powers of
/// 1024, any case, with an optional `B` or `iB`): `512M`, `2G`, `1048576`.
/// Nullopt for anything else, for zero, and past 2^62.
std::optional<uint64_t> parseByteSize(llvm::StringRef Text);

} // namespace strata::driver

#endif
