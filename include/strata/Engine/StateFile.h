//===- StateFile.h - The engine's state on disk -----------------*- C++ -*-===//
//
// The state of a `file:` target or of `strata serve --state PATH` is two
// files (docs/safety.md, "The state file and its journal"):
//  - PATH, the snapshot: a header (format version, length, SHA-256) and
//    the body Engine::serialize writes; always written whole, to a fresh
//    O_EXCL temporary that is fsync'ed and renamed over it.
//  - PATH.journal, present only while PATH lags behind: a header naming
//    the snapshot it extends, then one record per commit (what changed,
//    framed by its length and SHA-256), each fsync'ed before the commit
//    returns.
// Loading reads the snapshot and replays the journal's records; a record
// torn by a crash at the end is ignored, damage before the end is an error.
// A commit appends a record, or writes the snapshot whole when it is small
// or the journal has grown to four times its size (compaction), and
// removes the journal.
//
// Paths are distrusted: the state file may be a symbolic link (followed
// once, to a regular file); FIFOs, devices, directories and a journal that
// is a link are refused before anything is read; files larger than
// MaxStateFileBytes are refused.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_ENGINE_STATEFILE_H
#define STRATA_ENGINE_STATEFILE_H

#include "strata/Engine/Engine.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace strata::engine {

/// When a commit writes the snapshot whole instead of a journal record.
struct JournalPolicy {
  /// A snapshot smaller than this is rewritten whole at every commit: it
  /// costs about what a record does, and the file alone is the state.
  uint64_t SmallStateBytes = 64 << 10;
  /// The journal is compacted into the snapshot when a record would make
  /// it larger than this percentage of the snapshot. Four times, not once:
  /// a move over ws:// in batches commits each batch, and a column change
  /// (two moves, each removing and adding every fact) records about four
  /// lines per fact where the snapshot holds one; at 100% the whole
  /// snapshot was rewritten every few batches. Bounded all the same, and replaying it costs a read
  /// of fact lines (FactLine.h), far less than writing the snapshot.
  uint64_t CompactPercent = 400;
  /// A commit whose record alone would be larger than this percentage of
  /// the snapshot writes the snapshot instead (a migration that rewrites
  /// most of a relation in one commit): about the same write, and the
  /// file alone is then the state.
  uint64_t RecordPercent = 100;
};
/// The process's policy (the driver sets it; tests lower SmallStateBytes).
JournalPolicy &journalPolicy();

/// A state file and its journal, as the process that holds its lock (or a
/// reader) sees them. Not thread-safe.
class StateFile {
public:
  /// Reads the state file at Path (a missing file is a fresh engine) and
  /// replays its journal into E, which then records its changes
  /// (Engine::recordChanges). Writes nothing, even over a torn record.
  static llvm::Expected<StateFile> open(llvm::StringRef Path, Engine &E);
  StateFile(StateFile &&Other) noexcept;
  StateFile &operator=(StateFile &&Other) noexcept;
  ~StateFile();

  /// Makes what changed in E since open or the last commit durable: a
  /// journal record, or the snapshot written whole (see JournalPolicy).
  /// Nothing is written when nothing changed. Call with the lock held.
  llvm::Error commit(Engine &E);
  /// Writes E whole as the snapshot and removes the journal, unless there
  /// is nothing to fold in (no record, no change).
  llvm::Error compact(Engine &E);

  /// Names the snapshot and journal as last read or written: it differs
  /// from readVersion when another process wrote them since.
  const std::string &version() const { return Version; }
  static llvm::Expected<std::string> readVersion(llvm::StringRef Path);

  /// The state file's path with a link followed.
  const std::string &path() const { return Path; }
  /// Records in the journal that extend the snapshot.
  uint64_t journalRecords() const { return Records; }
  /// Bytes at the end of the journal that were ignored when it was read
  /// (a record torn by a crash); they are cut off before the next append.
  uint64_t tornBytes() const { return TornBytes; }

private:
  StateFile() = default;
  llvm::Error writeWhole(Engine &E);
  llvm::Error append(llvm::StringRef Record);
  llvm::Error startJournal();
  llvm::Error openForAppend();
  void closeJournal();
  void setVersion(bool JournalExists);

  std::string Path, JournalPath;
  std::string SnapshotDigest; // "" when there is no state file
  uint64_t SnapshotBytes = 0;
  bool JournalCurrent = false; // a journal extending this snapshot exists
  std::string Nonce;           // of the journal file, current or not
  uint64_t JournalBytes = 0;   // its valid length (header and records)
  uint64_t Records = 0;
  uint64_t TornBytes = 0;
  bool NeedsWholeWrite = false; // a failed write left the journal behind E
  int Fd = -1;
  std::string Version;
};

/// Reads the state file and its journal (StateFile::open, keeping nothing
/// but the engine); Digest (optional) is set to the snapshot body's
/// SHA-256, "" for a missing file.
llvm::Expected<Engine> loadStateFile(llvm::StringRef Path, std::string *Digest = nullptr);
/// Writes E whole as the state file and removes its journal.
llvm::Error saveStateFile(const Engine &E, llvm::StringRef Path);

/// What loading does once the snapshot's bytes are read: checks the
/// header, length and checksum of Text and reads the body. Path only names
/// the file in errors. (Also the fuzzers' way in, without a file.)
llvm::Expected<Engine> parseStateFile(llvm::StringRef Text, llvm::StringRef Path,
                                      std::string *Digest = nullptr);
/// The file's text for a body that Engine::serialize wrote: the header,
/// then Body.
std::string stateFileText(llvm::StringRef Body);

/// A journal read from bytes: the records that extend the snapshot whose
/// digest is given, and what was ignored.
struct JournalText {
  bool Current = false; // the header names that snapshot
  std::string Nonce;    // the header's
  std::vector<llvm::StringRef> Records;
  uint64_t ValidBytes = 0; // header and complete records
  uint64_t TornBytes = 0;  // a torn record at the end
};
/// Checks a journal's header and the framing (sequence, length, SHA-256)
/// of each record; Path only names the file in errors. A record cut short
/// or damaged at the very end is a torn tail (ignored); damage followed by
/// more bytes is an error. A journal naming another snapshot is stale:
/// Current is false and no record is read.
llvm::Expected<JournalText> parseJournal(llvm::StringRef Text, llvm::StringRef Path,
                                         llvm::StringRef SnapshotDigest);
/// The journal text holding Records after a header naming SnapshotDigest.
std::string journalText(llvm::StringRef SnapshotDigest, llvm::StringRef Nonce,
                        const std::vector<std::string> &Records);

/// The body digest in the state file's header ("" when there is no file),
/// reading only the header.
llvm::Expected<std::string> readStateDigest(llvm::StringRef Path);

/// Path with a symbolic link followed once; an error when it leads
/// nowhere or to something other than a regular file. A missing path is
/// returned as it is (a fresh engine).
llvm::Expected<std::string> resolveStatePath(llvm::StringRef Path);

/// The largest state file, and journal, read: 4 GiB. Larger ones are
/// refused (a state that big belongs on a server).
constexpr uint64_t MaxStateFileBytes = uint64_t(4) << 30;

} // namespace strata::engine

#endif
