//===- Exceptions.h - Deliberate checker/engine differences -----*- C++ -*-===//
//
// The few places where the checker refuses what the server accepts, on
// purpose. Each is a way a migration can differ from what `strata verify`
// predicts, so each is named, justified in docs/iql-backend.md and tested
// (test/DiffTest/exceptions.test); every other disagreement is a bug.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_DIFFTEST_EXCEPTIONS_H
#define STRATA_DIFFTEST_EXCEPTIONS_H

#include "Differential.h"
#include "strata/IQL/Syntax.h"
#include <string>

namespace strata::difftest {

/// The name of the documented exception a disagreement between the
/// reference verdict (the server's, else the engine's) and the checker's
/// falls under, or empty. S is null for a statement that does not parse.
std::string documentedException(const iql::Statement *S, const Verdict &Reference,
                                const Verdict &Checker);

} // namespace strata::difftest

#endif
