//===- History.h - Lowering migrations where they sit in the history -*- C++ -*-===//
#ifndef STRATA_CODEGEN_HISTORY_H
#define STRATA_CODEGEN_HISTORY_H

#include "strata/CodeGen/Lowering.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// The migrations applied once Target is: Target and everything it depends
/// on, transitively, in the graph's order (a squash migration standing for
/// the ones it replaces, as in MigrationGraph::stateAfter). Null Target is
/// `zero`, the empty history.
std::vector<const Migration *> appliedAt(const MigrationGraph &G, const Migration *Target);

/// Lowers M against the state its dependencies leave.
std::optional<LoweredMigration> lowerInHistory(const MigrationGraph &G, const Migration &M,
                                               DiagnosticEngine &Diags);

/// The streams between two points of the history, for printing: each
/// statement keeps its text and purpose but not its tree (IqlStatement::Tree
/// is empty), since the trees of a whole history were most of `strata
/// plan`'s memory (docs/performance.md, issue 18 item 5) and the writers
/// read the text.
struct Plan {
  /// From is after To: the backward streams are to run.
  bool Backward = false;
  /// In execution order: oldest first going forward, newest first going
  /// backward.
  std::vector<LoweredMigration> Steps;
};

/// The plan from From to To (null: `zero`). One must be applied at the
/// other (an ancestor); otherwise fails, saying they are on different
/// branches. Reports what cannot be replayed or lowered to Diags, and then
/// returns nullopt.
llvm::Expected<std::optional<Plan>> planBetween(const MigrationGraph &G, const Migration *From,
                                                const Migration *To, DiagnosticEngine &Diags);

} // namespace strata

#endif
