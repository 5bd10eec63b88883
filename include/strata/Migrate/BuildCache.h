//===- BuildCache.h - makemigrations' inputs through the cache --*- C++ -*-===//
//
// `strata makemigrations` compares two states: the one the migration
// history reaches and the one the schema files declare. Both depend only
// on file contents (and on the strata executable), so both are kept in the
// project's build cache, `.strata/cache` (strata/Support/CacheDir.h):
//
//   history-*  the state after the history's leaf, its leaves and next
//              number, under strata.sum's directory hash; used only after
//              the files on disk are checked against strata.sum, as every
//              command checks them (their hashes come from FileDigests);
//   lineage-*  the strata.sum of each history-* entry: after a `git pull`
//              added migrations after its leaf, only they are loaded and
//              replayed onto its state (AppendedHistory.cpp);
//   schema-*   the analysed schema and its hints, with locations into the
//              files, under the paths and contents of every schema file
//              (stored when it matches the history or a migration was
//              written for it);
//   file-*     each schema file's text and syntax tree, so that an edited
//              file is parsed again only where it changed (Reparse.h);
//   digests    migration file hashes remembered by file status.
//
// Only results that came with no diagnostic at all are stored, so a hit
// never hides one. Anything unexpected (a damaged entry, a sum file that
// does not match, a file that cannot be read) is a miss, and a miss does
// exactly what makemigrations did without a cache, reporting the same.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_BUILDCACHE_H
#define STRATA_MIGRATE_BUILDCACHE_H

#include "strata/Migrate/Autodetect.h"
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/CacheDir.h"
#include "strata/Support/Diagnostics.h"
#include "strata/Support/FileDigests.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace strata {

/// What makemigrations needs of the migration history.
struct HistoryView {
  /// The effective leaves (strata/Migrate/Squash.h), sorted by name; more
  /// than one means divergent branches.
  std::vector<std::string> Leaves;
  unsigned NextNumber = 1;
  bool Empty = true;
  /// Whether a migration squashes others (`replaces`): leaves are then not
  /// simply the migrations nothing depends on.
  bool HasSquash = false;
  /// The loaded graph when the history was read from its files; null when
  /// it came from the cache, whole or in part (only ever for a history
  /// with at most one leaf).
  const MigrationGraph *Graph = nullptr;
  /// schemaFingerprint of the state, when the cache knows it.
  std::string Fingerprint;
  /// The state after the leaf when there is exactly one; empty otherwise.
  /// On a cache hit it is read back only by BuildCache::loadState.
  SchemaState State;
  bool StateLoaded = false;
};

/// What makemigrations needs of the schema files.
struct SchemaView {
  /// schemaFingerprint of the state, when the cache knows it.
  std::string Fingerprint;
  /// On a cache hit read back only by BuildCache::loadState.
  SchemaState State;
  SchemaHints Hints;
  bool StateLoaded = false;
};

/// What the cache did in one run (`makemigrations --stats`).
struct CacheReport {
  bool Enabled = false;
  /// "hit" (only the fingerprint was needed), "hit, state read back",
  /// "miss, stored" or "miss" (not stored: a diagnostic, divergent leaves,
  /// an empty history, a schema with changes not yet written, or the cache
  /// could not be written); for the history also "miss, N added migrations
  /// replayed on a kept state[, stored]".
  std::string History = "not read", Schema = "not read";
  unsigned Migrations = 0;
  /// Hashes of migration files and strata.sum: remembered / computed.
  unsigned DigestsReused = 0, DigestsComputed = 0;
  unsigned SchemaFiles = 0;
  /// Schema files whose syntax tree was read back whole, parsed again only
  /// where they changed, or parsed whole.
  unsigned FilesUnchanged = 0, FilesReparsed = 0, FilesParsed = 0;
  /// Items of the partly reparsed files: read back, or parsed.
  unsigned ItemsReused = 0, ItemsParsed = 0;

  /// A few `cache: ...` lines.
  void print(llvm::raw_ostream &OS) const;
};

class BuildCache {
public:
  /// The cache of the project whose directory is ProjectRoot. A disabled
  /// cache reads and writes nothing: every lookup is a full load.
  /// Seen: statuses of input files taken earlier in the run.
  BuildCache(llvm::StringRef ProjectRoot, bool Enabled, FileStatuses Seen = {});
  BuildCache(const BuildCache &) = delete;
  BuildCache &operator=(const BuildCache &) = delete;
  ~BuildCache();

  /// The history in Dir; reports what MigrationGraph::load, the sum file
  /// check and the replay report, and returns nullopt after an error.
  /// After setReplayMeanwhile(true), a full load returns once the files are
  /// read: they are parsed, checked and replayed on another thread, and
  /// settle() then reports what that found and fills the view (until then
  /// it holds nothing).
  std::optional<HistoryView> history(llvm::StringRef Dir, DiagnosticEngine &Diags);
  void setReplayMeanwhile(bool On) { ReplayMeanwhile = On; }
  /// Waits for a load or replay history() left running, and puts what it
  /// found in H, reporting into Diags what a load in line would have
  /// reported, in the same order. False after an error. To be called
  /// before H is used or anything is reported after the history.
  bool settle(HistoryView &H, DiagnosticEngine &Diags);

  /// The schema of the `.strata` files under Dir, as parsing and
  /// analysing them gives it; nullopt after an error.
  std::optional<SchemaView> schema(llvm::StringRef Dir, DiagnosticEngine &Diags);

  /// Reads back the state of a view that came from the cache, so that the
  /// states can be compared (two equal fingerprints need no comparison).
  /// Should the entry not read back, the full load runs and reports as it
  /// always does. False after an error.
  bool loadState(HistoryView &H, DiagnosticEngine &Diags);
  bool loadState(SchemaView &S, DiagnosticEngine &Diags);

  /// Stores the state schema() analysed (when it came without any
  /// diagnostic), so the next run with the same files reads it back.
  /// makemigrations calls it when the schema is worth keeping: it matched
  /// the history, or a migration was just written to match it. A run that
  /// only reports changes (--check, --dry-run) leaves the schema mid-edit.
  void storeSchema(SchemaView &S);

  /// After M, just written to Dir along with a new strata.sum, on top of
  /// the history Before: stores the state the history now reaches, so the
  /// next run does not replay everything. M's Path and Checksum must be set.
  void addedMigration(llvm::StringRef Dir, HistoryView &Before, const Migration &M);

  /// The fingerprint of H (as history() gave it): after a full load it is
  /// computed, with the entry stored, on another thread, which this waits
  /// for (for the fingerprint only, after loadMeanwhile).
  const std::string &fingerprint(HistoryView &H);

  /// Waits for work on other threads and writes back what changed of the
  /// digest table (silent on failure). Call before exiting.
  void save();

  const CacheReport &report() const;

private:
  std::optional<HistoryView> fullHistory(llvm::StringRef Dir, DiagnosticEngine &Diags);
  /// The history when a kept one is all of it but migrations added after
  /// its leaf: those replayed onto its state (and stored); nullopt, having
  /// reported nothing, when not.
  std::optional<HistoryView> appendedHistory(llvm::StringRef Dir, DiagnosticEngine &Diags);
  /// Once the schema is known to need parsing and comparing (it was not in
  /// the cache), reads the cached history's state back on another thread,
  /// overlapping the schema's parse and analysis.
  void prefetch();
  std::optional<SchemaView> fullSchema(llvm::StringRef Dir, DiagnosticEngine &Diags);
  std::optional<HistoryView> cachedHistory(llvm::StringRef Dir);
  /// The state of the history entry cachedHistory found, read back (by the
  /// prefetch if it ran); nullopt when there is none or it does not read.
  std::optional<SchemaState> cachedHistoryState();
  bool storeHistory(llvm::StringRef MigrationsDir, const HistoryView &H);
  /// Stores the history H, with its fingerprint, on another thread: a
  /// cold run goes on to parse the schema meanwhile (HistoryMeanwhile.cpp).
  void storeHistoryMeanwhile(llvm::StringRef MigrationsDir, const HistoryView &H);
  /// Replays the loaded graph up to H's leaf on another thread, then (when
  /// Storable) stores it there too.
  void replayMeanwhile(llvm::StringRef MigrationsDir, const HistoryView &H, bool Storable);
  /// Reads Dir's migration files into Diags' SourceMgr (so that their
  /// buffers come before the schema's, as in a load in line), then loads,
  /// replays and (when Storable) stores the history on another thread;
  /// nullopt, having reported nothing, when a file does not read quietly.
  std::optional<HistoryView> loadMeanwhile(llvm::StringRef Dir, bool Storable,
                                           DiagnosticEngine &Diags);
  struct LoadedHistory;
  /// loadMeanwhile's thread: loads Dir's history from Load's feed and
  /// replays it; true when it did so without a diagnostic.
  static bool loadAndReplay(llvm::StringRef Dir, LoadedHistory &Load);
  /// settle() for a loadMeanwhile.
  bool settleLoad(HistoryView &H, DiagnosticEngine &Diags);
  /// Waits for that thread, and reports what it stored.
  void finishHistoryStore();
  ast::SourceFile parseSchemaFile(llvm::StringRef Path, unsigned BufferID, DiagnosticEngine &Diags);
  std::optional<ast::SourceFile> cachedFile(llvm::StringRef Path, unsigned BufferID,
                                            llvm::SourceMgr &SM);
  void storeFile(llvm::StringRef Path, unsigned BufferID, const ast::SourceFile &F,
                 llvm::SourceMgr &SM);

  bool Enabled;
  CacheDir Store;
  /// The key storeSchema stores under: that of the last schema() analysed
  /// without a diagnostic, until it is stored.
  std::string PendingSchemaKey;
  /// The entry for it, when schema() had time to encode it ahead.
  std::string PendingSchemaEntry;
  std::unique_ptr<FileDigests> Digests;
  std::unique_ptr<MigrationGraph> Graph;
  /// The migrations appendedHistory replayed (the state may point into
  /// their operations).
  std::unique_ptr<MigrationGraph> Appended;
  /// The entries read on a hit, with where their states begin, for
  /// loadState; and the directories, should they not read back.
  std::optional<CacheEntry> HistoryEntry, SchemaEntry;
  size_t HistoryStateAt = 0, SchemaStateAt = 0;
  /// The schema files' texts, in order: what locations are relative to.
  /// The prefetch: it reads HistoryEntry and writes Prefetched, which
  /// nothing reads before the thread is joined.
  std::thread Prefetch;
  std::optional<SchemaState> Prefetched;
  /// The thread of storeHistoryMeanwhile, replayMeanwhile or loadMeanwhile; it writes the
  /// two fields after it, which nothing reads before it is joined, and the
  /// replayed state (or nothing, after a diagnostic) into ReplayedState.
  bool ReplayMeanwhile = false;
  std::thread HistoryThread;
  std::future<std::optional<SchemaState>> ReplayedState;
  /// What loadMeanwhile's thread loaded: the graph, the state, and what it
  /// reported (into an engine of its own, over views of the buffers).
  std::future<std::shared_ptr<LoadedHistory>> LoadedMeanwhile;
  /// The fingerprint of the state loadMeanwhile stores, given before the
  /// entry is written (empty when it stores none).
  std::future<std::string> FingerprintMeanwhile;
  std::string StoredFingerprint;
  bool HistoryStored = false;
  std::vector<llvm::StringRef> SchemaFiles;
  std::string MigrationsDir, SchemaDir;
  mutable CacheReport Report;
};

} // namespace strata

#endif
