//===- StateFileLock.h - One writer per state file --------------*- C++ -*-===//
#ifndef STRATA_LIB_EXEC_STATEFILELOCK_H
#define STRATA_LIB_EXEC_STATEFILELOCK_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace strata::exec {

/// An exclusive OS lock (flock) on `STATE.lock`, which holds the holder's
/// name while locked. The kernel drops it when the process exits, however
/// it exits, so a crash never leaves it stale.
class StateFileLock {
public:
  StateFileLock() = default;
  StateFileLock(StateFileLock &&Other) noexcept : Fd(Other.Fd) { Other.Fd = -1; }
  StateFileLock &operator=(StateFileLock &&Other) noexcept;
  ~StateFileLock() { release(); }

  /// Takes the lock for Holder, or fails at once naming the current holder;
  /// What names the state file's owner in that message (a target URL).
  static llvm::Expected<StateFileLock> acquire(llvm::StringRef StatePath, llvm::StringRef Holder,
                                               llvm::StringRef What);
  bool held() const { return Fd >= 0; }
  void release();

private:
  int Fd = -1;
};

} // namespace strata::exec

#endif
