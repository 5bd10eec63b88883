//===- NewMigration.cpp - A migration is checked before it is written -----===//
#include "strata/Verify/NewMigration.h"
#include "strata/Migrate/Autodetect.h"
#include "strata/Verify/Verifier.h"

using namespace strata;

/// The state M reaches from From, or nullopt after reporting the first
/// operation that does not apply.
static std::optional<SchemaState> replay(const Migration &M, const SchemaState &From,
                                         DiagnosticEngine &Diags) {
  SchemaState State = From;
  for (const OperationPtr &Op : M.Operations)
    if (!Op->apply(State, Diags))
      return std::nullopt;
  return State;
}

std::optional<LoweredMigration> strata::checkNewMigration(const Migration &M,
                                                          const SchemaState &From,
                                                          const SchemaState *Expected,
                                                          DiagnosticEngine &Diags) {
  std::optional<SchemaState> After = replay(M, From, Diags);
  if (!After)
    return std::nullopt;
  if (Expected && schemaFingerprint(*After) != schemaFingerprint(*Expected)) {
    Diags.report(DiagKind::NewMigrationMisses, M.NameLoc.Start, M.Name);
    return std::nullopt;
  }
  std::optional<LoweredMigration> L = lowerMigration(M, From, Diags);
  if (!L)
    return std::nullopt;
  L->M = &M;
  // The streams must run on the catalog model forward to After and back
  // to From, as `strata verify` will later require.
  VerifyResult R = verifyMigration(*L, From, *After);
  if (R.Failure) {
    reportVerifyFailure(*R.Failure, &M, Diags);
    return std::nullopt;
  }
  return L;
}
