//===- SumFile.h - migrations/strata.sum: integrity of the history -*- C++ -*-===//
//
// `strata.sum` records a SHA-256 of every migration file and one over the
// whole directory (the idea of go.sum and atlas.sum):
//
//   h1:<sha256 hex of the lines below, each ending in \n>
//   0001_initial.mig h1:<sha256 hex of the file's bytes>
//   0002_add_department.mig h1:<...>
//
// one line per file, sorted by name. A file edited, added or removed after
// the sum was written is reported with its name; `strata hash` rewrites the
// sum after an intended change.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_SUMFILE_H
#define STRATA_MIGRATE_SUMFILE_H

#include "strata/Migrate/MigrationGraph.h"
#include "strata/Support/Diagnostics.h"
#include "strata/Support/FileDigests.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strata {

constexpr const char *SumFileName = "strata.sum";

/// One recorded file: its name (`0001_initial.mig`) and checksum (hex).
struct SumEntry {
  std::string File;
  std::string Checksum;
};

/// The text of a sum file for Entries (sorted by file name here).
std::string renderSumFile(std::vector<SumEntry> Entries);

/// The path of the sum file of migrations directory Dir.
std::string sumFilePath(llvm::StringRef Dir);

/// Checks Dir's sum file against Entries, the files on disk. Reports every
/// edited, added and removed file, a malformed sum file, and a missing one
/// when there are migrations. Returns false after reporting.
bool verifySumFile(llvm::StringRef Dir, const std::vector<SumEntry> &Entries,
                   DiagnosticEngine &Diags);

/// The entries of every migration in Graph.
std::vector<SumEntry> sumEntries(const MigrationGraph &Graph);

/// Hashes every `*.mig` file directly under Dir and writes Dir's sum file
/// atomically (a temporary file renamed over the old one). Returns the
/// number of files recorded, or nullopt after reporting.
std::optional<size_t> writeSumFile(llvm::StringRef Dir, DiagnosticEngine &Diags);

/// What every command that reads migrations calls: loads and checks the
/// graph (MigrationGraph::load), then verifies the sum file against it.
/// Returns nullopt after reporting any problem; a missing directory is an
/// empty history. Feed: as for MigrationGraph::load.
std::optional<MigrationGraph> loadHistory(llvm::StringRef Dir, DiagnosticEngine &Diags,
                                          const SourceOverlay *Overlay = nullptr,
                                          const MigrationFileFeed *Feed = nullptr);

} // namespace strata

#endif
