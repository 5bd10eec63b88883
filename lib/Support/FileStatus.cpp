//===- FileStatus.cpp -----------------------------------------------------===//
#include "strata/Support/FileStatus.h"
#include <sys/stat.h>

using namespace strata;

std::optional<FileStatus> strata::statFile(llvm::StringRef Path) {
  struct stat St;
  if (::stat(Path.str().c_str(), &St) != 0 || !S_ISREG(St.st_mode))
    return std::nullopt;
  FileStatus S;
  S.Size = uint64_t(St.st_size);
  S.Device = uint64_t(St.st_dev);
  S.Inode = uint64_t(St.st_ino);
  S.ModifiedNs = int64_t(St.st_mtim.tv_sec) * 1000000000 + St.st_mtim.tv_nsec;
  S.ChangedNs = int64_t(St.st_ctim.tv_sec) * 1000000000 + St.st_ctim.tv_nsec;
  return S;
}
