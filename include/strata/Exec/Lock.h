//===- Lock.h - The advisory migration lock kept as a fact -------*- C++ -*-===//
//
// A server has no transactions and no locks, so two `strata migrate` runs
// against one ws:// target agree through a fact:
//
//   strata_lock(holder: string, expires_at: int)   // unix seconds
//
// Taking it: read the relation; a live fact held by someone else fails
// fast, naming the holder and the expiry; otherwise (none, or expired)
// delete what is there, insert ours, and read back to check ours is the
// only one. It is advisory: a client that ignores it is not stopped, and
// the read-then-write has a small race window (docs/targets.md).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_LOCK_H
#define STRATA_EXEC_LOCK_H

#include "strata/Exec/Target.h"
#include <chrono>

namespace strata::exec {

/// How long a lock fact stays valid without being released.
constexpr std::chrono::seconds LockLease{15 * 60};

/// Takes the lock; returns the fact that holds it, for unlockFact.
llvm::Expected<std::string> lockWithFact(Target &T, llvm::StringRef Holder);
/// Deletes the lock fact (best effort: an expired lease frees it anyway).
void unlockFact(Target &T, llvm::StringRef Fact);

/// `user@host pid N`, for lock holders.
std::string currentLockHolder();

} // namespace strata::exec

#endif
