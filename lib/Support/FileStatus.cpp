//===- FileStatus.cpp -----------------------------------------------------===//
#include "strata/Support/FileStatus.h"
#include <sys/stat.h>

using namespace strata;

namespace {
FileStatus statusOf(const struct stat &St) {
  FileStatus S;
  S.Size = uint64_t(St.st_size);
  S.Device = uint64_t(St.st_dev);
  S.Inode = uint64_t(St.st_ino);
  S.ModifiedNs = int64_t(St.st_mtim.tv_sec) * 1000000000 + St.st_mtim.tv_nsec;
  S.ChangedNs = int64_t(St.st_ctim.tv_sec) * 1000000000 + St.st_ctim.tv_nsec;
  return S;
}
} // namespace

std::optional<FileStatus> strata::statFile(llvm::StringRef Path) {
  struct stat St;
  if (::stat(Path.str().c_str(), &St) != 0 || !S_ISREG(St.st_mode))
    return std::nullopt;
  return statusOf(St);
}

std::optional<OpenFileStatus> strata::statOpenFile(int FD) {
  struct stat St;
  if (::fstat(FD, &St) != 0)
    return std::nullopt;
  OpenFileStatus S;
  S.Directory = S_ISDIR(St.st_mode);
  if (S_ISREG(St.st_mode))
    S.Regular = statusOf(St);
  return S;
}
