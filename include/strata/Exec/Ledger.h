//===- Ledger.h - Which migrations a target has applied ----------*- C++ -*-===//
//
// The ledger is a plain relation on the target (target-iql.md, hazard 5):
//
//   strata_migrations(name: string, checksum: string, applied_at: string)
//
// one fact per applied migration, written in the same run as the
// migration's last statement and removed when it is reverted. `checksum` is
// the SHA-256 of the migration file (as in strata.sum); `applied_at` is UTC
// ISO 8601.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_LEDGER_H
#define STRATA_EXEC_LEDGER_H

#include "strata/Exec/Target.h"
#include <string>
#include <vector>

namespace strata::exec {

struct LedgerEntry {
  std::string Name;
  std::string Checksum;
  std::string AppliedAt;
  /// Rows removed together with this one: when a squash whose originals'
  /// files are gone is applied through the originals' rows (docs/cli.md,
  /// `strata squash`), reverting it forgets every one of them.
  std::vector<LedgerEntry> AlsoRemoves = {};
};

constexpr const char *LedgerRelation = "strata_migrations";

/// Reads the ledger (an absent relation is an empty ledger), sorted by
/// name. A transport error or an unreadable reply is an error.
llvm::Expected<std::vector<LedgerEntry>> readLedger(Target &T);

/// The statements that declare the ledger, record E, and forget E (with
/// the rows it also removes, in one program).
std::string ledgerDeclaration();
std::string ledgerInsert(const LedgerEntry &E);
std::string ledgerDelete(const LedgerEntry &E);

/// Now, as `2026-11-23T10:57:03Z` (SOURCE_DATE_EPOCH, when set, is now).
std::string utcTimestamp();

} // namespace strata::exec

#endif
