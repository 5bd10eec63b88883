//===- NewMigration.h - A migration is checked before it is written -*- C++ -*-===//
//
// makemigrations never writes what Strata itself would reject: the file it
// is about to write is read back and must apply, operation by operation,
// to the state the history reaches; reach the schema's state; and lower.
// Anything else is a bug in Strata, reported as one, with nothing written.
// (Verifying the lowering on the catalog model belongs here too, once the
// model accepts everything the server accepts.)
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_VERIFY_NEWMIGRATION_H
#define STRATA_VERIFY_NEWMIGRATION_H

#include "strata/CodeGen/Lowering.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include <optional>

namespace strata {

/// Checks M (read back from its text) against From, the state the
/// history reaches. Expected, when given, is the state M must reach (the
/// schema's). Reports each problem into Diags and returns nullopt; on
/// success returns M's lowering (for the lints). The checks: M applies to
/// From, reaches Expected, lowers, and its streams verify on the catalog
/// model forward and back (verifyMigration).
std::optional<LoweredMigration> checkNewMigration(const Migration &M, const SchemaState &From,
                                                  const SchemaState *Expected,
                                                  DiagnosticEngine &Diags);

} // namespace strata

#endif
