//===- History.h - Verifying a whole migration history ----------*- C++ -*-===//
//
// `strata verify` in library form, so that the language server checks a
// history exactly as the command does: every migration lowered, linted and
// verified forward and backward from the state before it, stopping at the
// first migration that breaks.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_VERIFY_HISTORY_H
#define STRATA_VERIFY_HISTORY_H

#include "strata/Migrate/MigrationGraph.h"
#include "strata/Support/Diagnostics.h"
#include "strata/Verify/Lints.h"
#include <string>
#include <vector>

namespace strata {

struct HistoryVerification {
  /// False when a migration failed; the reason has been reported.
  bool Ok = true;
  size_t Verified = 0;
  size_t Statements = 0;
  /// Migrations checked forward only (an operation has no backward).
  std::vector<std::string> ForwardOnly;
};

/// Verifies every migration of G (squashed originals are skipped: their
/// squash migration stands for them), reporting lints with Lint.
HistoryVerification verifyHistory(const MigrationGraph &G, const LintOptions &Lint,
                                  DiagnosticEngine &Diags);

} // namespace strata

#endif
