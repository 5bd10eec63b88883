//===- SyncStamp.h - Knowing nothing changed without reading it --*- C++ -*-===//
//
// Whether the schema files and the migration history agree depends only on
// their contents (and on the strata binary). After a run that leaves them
// in agreement, makemigrations records every input file's size,
// modification and change times and identity; a later run whose inputs all
// stat the same can answer "no changes" without reading anything, as git's
// index avoids rereading unchanged files. The stamp is only a cache: a missing,
// stale or unreadable one means a full run.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_SYNCSTAMP_H
#define STRATA_MIGRATE_SYNCSTAMP_H

#include "strata/Support/FileStatus.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace strata {

/// The fingerprint of the inputs: the strata executable, every `.strata`
/// file under SchemaDir and every file directly in MigrationsDir (the
/// migrations and strata.sum). Nullopt when a file cannot be examined, or
/// when one changed within the last second — a "racily clean" file whose
/// next edit might keep the same time stamp, so it must not be trusted.
/// The statuses of the input files go to Seen, when given, for the rest of
/// the run (FileDigests::useStatuses).
std::optional<std::string> syncFingerprint(llvm::StringRef SchemaDir, llvm::StringRef MigrationsDir,
                                           FileStatuses *Seen = nullptr);

/// Whether the stamp at StampPath holds exactly Fingerprint.
bool syncStampMatches(llvm::StringRef StampPath, llvm::StringRef Fingerprint);

/// Writes Fingerprint to StampPath (creating its directory). Failure is
/// silent: the stamp only saves time.
void writeSyncStamp(llvm::StringRef StampPath, llvm::StringRef Fingerprint);

} // namespace strata

#endif
