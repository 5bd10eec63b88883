//===- FileStatus.h - What stat says of a file, to tell it changed -*- C++ -*-===//
//
// Size, modification and change times (nanoseconds) and identity: a file
// that stats the same has not been written to since (every write moves the
// change time, which no tool can set back). The sync stamp and the digest
// table both rely on it, and share one stat of each file per run.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_FILESTATUS_H
#define STRATA_SUPPORT_FILESTATUS_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace strata {

struct FileStatus {
  uint64_t Size = 0, Device = 0, Inode = 0;
  int64_t ModifiedNs = 0, ChangedNs = 0;

  /// The later of the two times.
  int64_t newestNs() const { return ModifiedNs > ChangedNs ? ModifiedNs : ChangedNs; }
  bool operator==(const FileStatus &O) const {
    return Size == O.Size && Device == O.Device && Inode == O.Inode && ModifiedNs == O.ModifiedNs &&
           ChangedNs == O.ChangedNs;
  }
  bool operator!=(const FileStatus &O) const { return !(*this == O); }
};

/// The status of the regular file at Path; nullopt for anything else or
/// when it cannot be examined.
std::optional<FileStatus> statFile(llvm::StringRef Path);

/// What fstat says of an open file descriptor.
struct OpenFileStatus {
  bool Directory = false;
  std::optional<FileStatus> Regular; // set for a regular file
};
/// The status of the open descriptor FD; nullopt when fstat fails (errno
/// says why).
std::optional<OpenFileStatus> statOpenFile(int FD);

/// Statuses taken once in a run, by path, for whoever needs them next.
using FileStatuses = llvm::StringMap<FileStatus>;

} // namespace strata

#endif
