//===- CacheDir.h - A directory of checked cache entries --------*- C++ -*-===//
//
// The build cache (`.strata/cache` in a project) holds results that are
// expensive to recompute and cheap to check: a parsed file, an analysed
// schema, the state a migration history reaches. Each entry is one file
// holding one payload under a key; it is written atomically (a temporary
// file renamed into place) and read back only when it is intact (length
// and xxHash64 of the payload), was written by this very strata executable
// and holds exactly the key asked for. Anything else is a miss: the cache
// can be deleted, truncated or shared between branches at any time and
// only costs time, never correctness.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_CACHEDIR_H
#define STRATA_SUPPORT_CACHEDIR_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// An entry read back: the payload is a view into the file's buffer.
struct CacheEntry {
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  llvm::StringRef Payload;
};

class CacheDir {
public:
  /// Dir need not exist; it is created by the first store.
  explicit CacheDir(std::string Dir) : Dir(std::move(Dir)) {}

  const std::string &path() const { return Dir; }

  /// The entry file Name, if it is intact, from this executable, for Key.
  std::optional<CacheEntry> load(llvm::StringRef Name, llvm::StringRef Key) const;
  /// The entry file Name if it is intact and from this executable,
  /// whatever its key, which is put in Key.
  std::optional<CacheEntry> loadAnyKey(llvm::StringRef Name, std::string &Key) const;
  /// The names of the entries whose names start with Prefix, newest first
  /// (by modification time, then name).
  std::vector<std::string> entryNames(llvm::StringRef Prefix) const;
  /// Writes Payload under Key as entry file Name, replacing any entry of
  /// that name. False when it could not (nothing is reported: a cache that
  /// cannot be written only costs time).
  bool store(llvm::StringRef Name, llvm::StringRef Key, llvm::StringRef Payload) const;
  /// Removes the oldest entries whose names start with Prefix (by
  /// modification time, then name) until at most Keep remain.
  void prune(llvm::StringRef Prefix, size_t Keep) const;

  /// What identifies the running executable (path, size, time stamp,
  /// inode): entries written by another build are never trusted, as its
  /// parser or analysis may differ.
  static const std::string &executableIdentity();

private:
  std::string entryPath(llvm::StringRef Name) const;
  struct Found {
    std::string Path;
    int64_t Time;
  };
  /// The entries whose names start with Prefix, newest first, and removes
  /// temporary files of theirs left for over an hour.
  std::vector<Found> entries(llvm::StringRef Prefix) const;

  std::string Dir;
};

/// Lowercase hex of the first 8 bytes of SHA-256(Text): short, stable
/// names for entries keyed by long strings.
std::string shortHash(llvm::StringRef Text);

} // namespace strata

#endif
