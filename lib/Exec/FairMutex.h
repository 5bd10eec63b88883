//===- FairMutex.h - A lock handed out in arrival order ----------*- C++ -*-===//
//
// `strata serve` runs one request at a time (the engine is not
// thread-safe). With a plain mutex the thread that just released it can
// take it straight back, so a client sending requests back to back could
// keep others waiting indefinitely. This lock serves waiters first come,
// first served: each connection has at most one request waiting, so
// connections take turns.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_FAIRMUTEX_H
#define STRATA_LIB_EXEC_FAIRMUTEX_H

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace strata::exec {

/// A ticket lock; meets the Lockable requirements (std::lock_guard works).
class FairMutex {
public:
  void lock() {
    std::unique_lock<std::mutex> L(M);
    uint64_t Mine = NextTicket++;
    Turn.wait(L, [&] { return NowServing == Mine; });
  }
  /// Takes the lock only when nobody holds it or waits for it.
  bool try_lock() {
    std::lock_guard<std::mutex> L(M);
    if (NextTicket != NowServing)
      return false;
    ++NextTicket;
    return true;
  }
  void unlock() {
    {
      std::lock_guard<std::mutex> L(M);
      ++NowServing;
    }
    Turn.notify_all();
  }
  /// Threads holding or waiting for the lock (for tests and diagnostics).
  uint64_t queued() {
    std::lock_guard<std::mutex> L(M);
    return NextTicket - NowServing;
  }

private:
  std::mutex M;
  std::condition_variable Turn;
  uint64_t NextTicket = 0, NowServing = 0;
};

} // namespace strata::exec

#endif
