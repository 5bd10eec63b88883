//===- History.cpp - Verifying a whole migration history ------------------===//
#include "strata/Verify/History.h"
#include "strata/CodeGen/History.h"
#include "strata/Verify/Verifier.h"
#include "llvm/ADT/DenseSet.h"

using namespace strata;

namespace {
/// Replays Ms (in the graph's order) from an empty state.
std::optional<SchemaState> replay(const MigrationGraph &G,
                                  const llvm::DenseSet<const Migration *> &Ms,
                                  DiagnosticEngine &Diags) {
  SchemaState State;
  for (const Migration *M : G.order())
    if (Ms.count(M))
      for (const OperationPtr &Op : M->Operations)
        if (!Op->apply(State, Diags))
          return std::nullopt;
  return State;
}

/// The state before M: empty, or the replay of everything its
/// dependencies applied.
std::optional<SchemaState> stateBefore(const MigrationGraph &G,
                                       const std::vector<const Migration *> &Deps,
                                       DiagnosticEngine &Diags) {
  if (Deps.empty())
    return SchemaState();
  llvm::DenseSet<const Migration *> Applied;
  for (const Migration *D : Deps)
    for (const Migration *A : appliedAt(G, D))
      Applied.insert(A);
  return replay(G, Applied, Diags);
}
} // namespace

HistoryVerification strata::verifyHistory(const MigrationGraph &G, const LintOptions &Lint,
                                          DiagnosticEngine &Diags) {
  HistoryVerification Result;
  // In a linear history the state after one migration is the next one's
  // state before: one HistoryVerifier walks it without replays or copies.
  const Migration *Prev = nullptr;
  std::optional<HistoryVerifier> HV;
  for (const Migration *M : G.order()) {
    if (G.replacedBy(M))
      continue; // its squash migration stands for it
    std::vector<const Migration *> Deps = G.effectiveDepends(M);
    if (!HV || !(Deps.size() == 1 && Deps[0] == Prev)) {
      std::optional<SchemaState> Before = stateBefore(G, Deps, Diags);
      if (!Before) {
        Result.Ok = false;
        return Result;
      }
      HV.emplace(std::move(*Before));
    }
    bool ApplyFailed = false;
    std::optional<LoweredMigration> L = HV->lower(*M, Diags, ApplyFailed);
    if (!L) {
      if (!ApplyFailed)
        Diags.report(DiagKind::VerifyCannotLower, M->NameLoc.Start, M->Name);
      Result.Ok = false;
      return Result;
    }
    L->M = M;
    lintMigration(*M, *L, HV->before(), M->AllowComments, Lint, Diags);
    VerifyResult R = HV->verifyAndAdvance(*L, Diags);
    if (R.Failure) {
      reportVerifyFailure(*R.Failure, M, Diags);
      Result.Ok = false;
      return Result;
    }
    ++Result.Verified;
    Result.Statements += R.Statements;
    if (!R.BackwardChecked)
      Result.ForwardOnly.push_back(M->Name);
    Prev = M;
  }
  return Result;
}
