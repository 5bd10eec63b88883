//===- FileDigests.h - Content hashes remembered by file status -*- C++ -*-===//
//
// The build cache is keyed by what files contain, and hashing thousands of
// migration files on every run would cost more than the cache saves. As
// git's index does, a file's SHA-256 is remembered with its size, times and
// identity; while the file stats the same, the remembered hash is used
// without reading it. A file changed less than a second before the run
// began is never remembered ("racily clean": it may have changed again
// within its time stamp's resolution, or while it was being read).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_FILEDIGESTS_H
#define STRATA_SUPPORT_FILEDIGESTS_H

#include "strata/Support/CacheDir.h"
#include "strata/Support/FileStatus.h"
#include "strata/Support/Sha256.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace strata {

class FileDigests {
public:
  /// The table kept in Cache (a missing or damaged one is empty). Files
  /// must be read after this is constructed: it is what tells a file that
  /// changed before the read from one that may have changed after it.
  explicit FileDigests(const CacheDir &Cache);

  /// Lowercase hex SHA-256 of Path's bytes: the remembered one when Path
  /// stats as it did when hashed, otherwise Path is read and hashed.
  /// Nullopt when Path cannot be read.
  std::optional<std::string> digest(llvm::StringRef Path);
  /// The same for a file whose bytes are already in memory (read after
  /// this table was constructed): Bytes are hashed only when nothing valid
  /// is remembered for the file as it stats now (never from useStatuses).
  std::optional<std::string> digest(llvm::StringRef Path, llvm::StringRef Bytes);
  /// Remembers Digest as the hash of Path as it stats now (the caller
  /// hashed the bytes it read from Path).
  void remember(llvm::StringRef Path, llvm::StringRef Digest);
  /// The same for the file as it was when its bytes were read (St, from
  /// loadSourceFile): no second look at it.
  void remember(llvm::StringRef Path, llvm::StringRef Digest, const FileStatus &St);

  /// Writes the table back when it changed. Silent on failure.
  void save();

  unsigned reused() const { return Reused; }
  unsigned hashed() const { return Hashed; }

  /// Statuses taken earlier in the run (by the sync stamp): a file listed
  /// there is not examined again before it is looked up.
  void useStatuses(FileStatuses Statuses);

private:
  struct Entry {
    FileStatus Stat;
    std::string Digest;
  };
  std::optional<FileStatus> statusOf(llvm::StringRef Path);
  /// Records Digest for Path when St is old enough to be trusted.
  void record(llvm::StringRef Path, const FileStatus &St, llvm::StringRef Digest);
  const std::string *lookup(llvm::StringRef Path, const FileStatus &St) const;
  /// Paths are remembered absolute, whatever directory a run starts in.
  std::string keyOf(llvm::StringRef Path) const;

  const CacheDir &Cache;
  llvm::StringMap<Entry> Table;
  FileStatuses Seen;
  int64_t OpenedNs;
  std::string WorkingDir;
  bool Changed = false;
  unsigned Reused = 0, Hashed = 0;
};

} // namespace strata

#endif
