//===- MigrationGraph.h - The migration history -----------------*- C++ -*-===//
//
// Every `NNNN_name.mig` file of a migrations directory, checked as a graph
// (names, numbers, `depends` edges, cycles) and replayable into the schema
// state after any migration.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_MIGRATIONGRAPH_H
#define STRATA_MIGRATE_MIGRATIONGRAPH_H

#include "strata/AST/SourceFile.h"
#include "strata/Migrate/Operation.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include "strata/Support/FileStatus.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace strata {

struct Migration {
  /// `0002_add_department`: the file name without `.mig`.
  std::string Name;
  /// The leading number (2 for 0002_...): for people and for ties in the
  /// order; two branches may both hold a 0002.
  unsigned Number = 0;
  std::string Path;
  std::vector<std::string> Depends;
  /// Migrations this one squashes (`replaces`), if any.
  std::vector<std::string> Replaces;
  std::vector<OperationPtr> Operations;
  /// The migration's name in its header, for diagnostics.
  llvm::SMRange NameLoc;
  /// SHA-256 of the file's bytes, lowercase hex.
  std::string Checksum;
  /// The file's `// strata:allow` comments (lint suppressions,
  /// strata/Verify/Lints.h), in source order.
  std::vector<ast::Comment> AllowComments;
};

/// Migration files read on another thread, handed over as they are read:
/// the build cache reads them on one thread and parses them on another. A
/// load given a feed takes each file's bytes from it (waiting for them)
/// into a view in its own SourceMgr, instead of reading the file. The
/// bytes must outlive the load's SourceMgr.
class MigrationFileFeed {
public:
  /// The reader: Path (Dir/NAME.mig) holds Bytes, read when it had Status.
  void add(llvm::StringRef Path, llvm::MemoryBufferRef Bytes, std::optional<FileStatus> Status);
  /// The reader is done. Failed: a file did not read quietly, so the load
  /// that takes from the feed is abandoned and takes nothing more.
  void close(bool Failed);

  /// Path's bytes once the reader added them; nullopt once it closed
  /// without them (the load then reads the file itself) or failed.
  std::optional<llvm::MemoryBufferRef> take(llvm::StringRef Path) const;
  /// After close(): whether the reader failed.
  bool failed() const;
  /// The status Path had when it was read, if known; for after close().
  std::optional<FileStatus> statusOf(llvm::StringRef Path) const;

private:
  struct File {
    llvm::MemoryBufferRef Bytes;
    std::optional<FileStatus> Status;
  };
  mutable std::mutex Lock;
  mutable std::condition_variable Added;
  llvm::StringMap<File> Files;
  bool Closed = false, Failed = false;
};

/// The names of the `.mig` files directly in Dir, sorted. Reports an
/// unreadable directory and returns nullopt.
std::optional<std::vector<std::string>> listMigrationFiles(llvm::StringRef Dir,
                                                           DiagnosticEngine &Diags);

class MigrationGraph {
public:
  /// Loads and checks every `.mig` file directly under Dir. A missing
  /// directory is an empty history. Returns nullopt after reporting
  /// problems: syntax errors, a header name that differs from the file
  /// name, bad names (path separators, `..`, no NNNN_ prefix), two names
  /// that differ only in the zeros of their number, an unknown dependency,
  /// a cycle (shown). Numbers may repeat (branches); names are identity.
  /// Overlay, when given, holds texts that stand for files of Dir (by
  /// path as Dir/NAME.mig). Feed, when given, hands over the files'
  /// bytes as another thread reads them (MigrationFileFeed).
  static std::optional<MigrationGraph> load(llvm::StringRef Dir, DiagnosticEngine &Diags,
                                            const SourceOverlay *Overlay = nullptr,
                                            const MigrationFileFeed *Feed = nullptr);

  /// A part of Dir's history: the migrations of the files FileNames of Dir,
  /// loaded and checked as load() checks them, where a `depends` may also
  /// name a migration of Known (names without `.mig`), migrations of Dir
  /// outside the part that loaded cleanly before. Their names count for
  /// the distinct-name check (a clash with one is reported without a note);
  /// the order, leaves and next number are the part's alone, and edges to
  /// Known migrations are left out. For the build cache, which replays the
  /// migrations a pull added onto a state it kept, and loads the whole
  /// directory to report what this reports.
  static std::optional<MigrationGraph> loadPart(llvm::StringRef Dir,
                                                llvm::ArrayRef<std::string> FileNames,
                                                llvm::ArrayRef<std::string> Known,
                                                DiagnosticEngine &Diags);

  /// All migrations in a deterministic topological order: dependencies
  /// first, ties broken by number then name.
  const std::vector<const Migration *> &order() const { return Order; }
  const Migration *find(llvm::StringRef Name) const;
  /// find(Name), or, when no file holds Name, the squash migration that
  /// lists it in `replaces` (its originals may be deleted: docs/cli.md,
  /// `strata squash`), or null.
  const Migration *resolve(llvm::StringRef Name) const;
  /// Migrations nothing depends on, sorted by name. More than one means
  /// divergent branches that need a merge.
  std::vector<const Migration *> leaves() const;
  /// The next free number (1 for an empty history).
  unsigned nextNumber() const;
  bool empty() const { return Order.empty(); }

  /// Replays, from an empty state, every migration Target depends on
  /// (transitively) and Target itself, in order(); null Target replays
  /// them all. Reports the exact operation that does not apply and returns
  /// nullopt.
  std::optional<SchemaState> stateAfter(const Migration *Target, DiagnosticEngine &Diags) const;

  /// The squash migration that replaces M (lists it in `replaces`), or
  /// null. A replay uses the squash migration in place of the originals.
  const Migration *replacedBy(const Migration *M) const;

  /// The migrations M depends on, with replaced migrations mapped to the
  /// migration that replaces them (sorted, no duplicates).
  std::vector<const Migration *> effectiveDepends(const Migration *M) const;

private:
  static std::optional<MigrationGraph>
  loadFiles(llvm::StringRef Dir, llvm::ArrayRef<std::string> FileNames,
            llvm::ArrayRef<std::string> Known, const SourceOverlay *Overlay,
            const MigrationFileFeed *Feed, DiagnosticEngine &Diags);

  std::vector<std::unique_ptr<Migration>> Storage;
  llvm::DenseMap<const Migration *, const Migration *> ReplacedBy;
  std::vector<const Migration *> Order;
  llvm::StringMap<const Migration *> ByName;
  /// Names in a `replaces` that no file holds, to the squash naming them.
  llvm::StringMap<const Migration *> GoneOriginals;
};

} // namespace strata

#endif
