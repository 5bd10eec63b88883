//===- Lock.h - The advisory migration lock kept as a fact -------*- C++ -*-===//
//
// A server has no transactions and no locks, so two `strata migrate` runs
// against one ws:// target agree through a fact:
//
//   strata_lock(holder: string, expires_at: int)   // unix seconds
//
// The holder is `user@host pid N since TIME` (currentLockHolder). Taking
// it: read the relation; a fact held by someone else stands unless it
// expired, or its holder is provably gone (this host, and no process N, or
// N is this process under another start time), or `--break-lock` was
// given and the holder is not provably alive (a live process on this
// host is never broken). Otherwise the lock fails fast, naming the holder
// and the expiry. Then delete what is there, insert ours, and read back to
// check ours is the only one. It is advisory: a client that ignores it is
// not stopped, and the read-then-write has a small race window
// (docs/safety.md).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_LOCK_H
#define STRATA_EXEC_LOCK_H

#include "strata/Exec/Target.h"
#include <chrono>
#include <optional>

namespace strata::exec {

/// How long a lock fact stays valid without being released.
constexpr std::chrono::seconds LockLease{15 * 60};

/// Takes the lock; returns the fact that holds it, for unlockFact.
llvm::Expected<std::string> lockWithFact(Target &T, llvm::StringRef Holder, const LockOptions &LO);
/// Deletes the lock fact (best effort: an expired lease frees it anyway).
void unlockFact(Target &T, llvm::StringRef Fact);

/// `user@host pid N since TIME`, for lock holders; the same all through
/// one process.
std::string currentLockHolder();

/// Whether Holder (as currentLockHolder writes it) is provably gone: a
/// process of this host that no longer exists. Nullopt when it cannot be
/// told (another host, or a holder in another form); false when alive.
std::optional<bool> lockHolderGone(llvm::StringRef Holder);

} // namespace strata::exec

#endif
