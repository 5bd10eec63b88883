//===- StateFileLock.cpp - One writer per state file ----------------------===//
#include "StateFileLock.h"
#include "ExecError.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

using namespace strata;
using namespace strata::exec;

StateFileLock &StateFileLock::operator=(StateFileLock &&Other) noexcept {
  if (this != &Other) {
    release();
    Fd = Other.Fd;
    Other.Fd = -1;
  }
  return *this;
}

llvm::Expected<StateFileLock> StateFileLock::acquire(llvm::StringRef StatePath,
                                                     llvm::StringRef Holder, llvm::StringRef What) {
  llvm::StringRef Dir = llvm::sys::path::parent_path(StatePath);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return execError(
          fmt::format("cannot create `{}` for the state file: {}", Dir.str(), EC.message()));
  std::string Path = StatePath.str() + ".lock";
  int Fd = ::open(Path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0)
    return execError(fmt::format("cannot open the lock file `{}`: {}", Path, std::strerror(errno)));
  if (::flock(Fd, LOCK_EX | LOCK_NB) != 0) {
    int Err = errno;
    char Buf[256] = {};
    ssize_t N = ::pread(Fd, Buf, sizeof(Buf) - 1, 0);
    ::close(Fd);
    if (Err != EWOULDBLOCK)
      return execError(fmt::format("cannot lock `{}`: {}", Path, std::strerror(Err)));
    std::string Current = N > 0 ? llvm::StringRef(Buf, size_t(N)).trim().str() : "another process";
    return execError(fmt::format("{} is locked by {} (another `strata migrate`, `revert`, "
                                 "`exec` or `serve` is using it; wait for it to finish)",
                                 What.str(), Current));
  }
  std::string Text = Holder.str() + "\n";
  if (::ftruncate(Fd, 0) != 0 || ::pwrite(Fd, Text.data(), Text.size(), 0) < 0) {
    ::close(Fd);
    return execError(
        fmt::format("cannot write the lock file `{}`: {}", Path, std::strerror(errno)));
  }
  StateFileLock L;
  L.Fd = Fd;
  return L;
}

void StateFileLock::release() {
  if (Fd < 0)
    return;
  // Only the holder's name is lost if this fails; the lock goes with the fd.
  (void)!::ftruncate(Fd, 0);
  ::flock(Fd, LOCK_UN);
  ::close(Fd);
  Fd = -1;
}
