//===- LoginThrottle.h - Backoff after failed logins -------------*- C++ -*-===//
//
// `strata serve` answers every login, so without a brake a client could try
// passwords as fast as it can reconnect. Failures are counted per user name
// and per client address; past a few free failures each further one locks
// that key out for a time that doubles with every failure (up to a cap).
// While a key is locked out, attempts on it are refused without looking at
// the credentials. A success clears both keys.
//
// The clock is passed in, so tests step time instead of sleeping.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_LOGINTHROTTLE_H
#define STRATA_LIB_EXEC_LOGINTHROTTLE_H

#include "llvm/ADT/StringRef.h"
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace strata::exec {

struct LoginThrottleOptions {
  /// Failures per key answered without delay.
  unsigned FreeFailures = 3;
  /// The lock-out after the first failure past the free ones; doubles with
  /// each further failure. Zero turns throttling off.
  std::chrono::milliseconds BaseDelay{1000};
  std::chrono::milliseconds MaxDelay{std::chrono::minutes(5)};
};

class LoginThrottle {
public:
  using Clock = std::chrono::steady_clock;
  explicit LoginThrottle(LoginThrottleOptions Opts) : Opts(Opts) {}

  /// How long attempts for this user or from this address must still wait;
  /// zero when they may go ahead.
  std::chrono::milliseconds lockedFor(llvm::StringRef User, llvm::StringRef Address,
                                      Clock::time_point Now);
  void recordFailure(llvm::StringRef User, llvm::StringRef Address, Clock::time_point Now);
  void recordSuccess(llvm::StringRef User, llvm::StringRef Address);

  /// Keys remembered; expired ones are forgotten as new failures arrive.
  size_t size();

private:
  struct Record {
    unsigned Failures = 0;
    Clock::time_point LockedUntil;
  };
  void fail(const std::string &Key, Clock::time_point Now);
  std::chrono::milliseconds remaining(const std::string &Key, Clock::time_point Now) const;
  void forgetExpired(Clock::time_point Now);

  LoginThrottleOptions Opts;
  std::mutex Mutex;
  std::map<std::string, Record> Records;
};

} // namespace strata::exec

#endif
