//===- LoginThrottle.cpp - Backoff after failed logins ---------------------===//
#include "LoginThrottle.h"
#include <algorithm>

using namespace strata::exec;
using std::chrono::milliseconds;

namespace {
/// Users and addresses share one table; the prefix keeps them apart. A
/// user name is cut short so that made-up names of megabytes cannot fill
/// memory (longer names share a record, which only makes them stricter).
std::string userKey(llvm::StringRef User) { return "user:" + User.take_front(256).str(); }
std::string addressKey(llvm::StringRef Address) { return "addr:" + Address.str(); }

/// Records kept at most; past it, records whose lock-out ended are dropped
/// so that a flood of made-up user names cannot grow the table for ever.
constexpr size_t MaxRecords = 10000;
} // namespace

milliseconds LoginThrottle::remaining(const std::string &Key, Clock::time_point Now) const {
  auto It = Records.find(Key);
  if (It == Records.end() || It->second.LockedUntil <= Now)
    return milliseconds(0);
  // Round up, so that a wait under a millisecond still reads as a wait.
  return std::chrono::ceil<milliseconds>(It->second.LockedUntil - Now);
}

milliseconds LoginThrottle::lockedFor(llvm::StringRef User, llvm::StringRef Address,
                                      Clock::time_point Now) {
  std::lock_guard<std::mutex> Lock(Mutex);
  milliseconds ByAddress = remaining(addressKey(Address), Now);
  if (User.empty())
    return ByAddress;
  return std::max(ByAddress, remaining(userKey(User), Now));
}

void LoginThrottle::fail(const std::string &Key, Clock::time_point Now) {
  Record &R = Records[Key];
  ++R.Failures;
  if (R.Failures <= Opts.FreeFailures || Opts.BaseDelay.count() == 0)
    return;
  // BaseDelay * 2^(failures past the free ones - 1), without overflowing.
  unsigned Doublings = std::min(R.Failures - Opts.FreeFailures - 1, 30u);
  milliseconds Delay = Opts.BaseDelay;
  for (unsigned I = 0; I < Doublings && Delay < Opts.MaxDelay; ++I)
    Delay *= 2;
  R.LockedUntil = Now + std::min(Delay, Opts.MaxDelay);
}

void LoginThrottle::recordFailure(llvm::StringRef User, llvm::StringRef Address,
                                  Clock::time_point Now) {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Records.size() >= MaxRecords)
    forgetExpired(Now);
  fail(addressKey(Address), Now);
  if (!User.empty())
    fail(userKey(User), Now);
}

void LoginThrottle::recordSuccess(llvm::StringRef User, llvm::StringRef Address) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Records.erase(addressKey(Address));
  if (!User.empty())
    Records.erase(userKey(User));
}

void LoginThrottle::forgetExpired(Clock::time_point Now) {
  // A record whose lock-out ended a full MaxDelay ago carries no weight
  // worth its memory; nor does one that never locked anything out.
  for (auto It = Records.begin(); It != Records.end();) {
    bool Stale = It->second.LockedUntil + Opts.MaxDelay <= Now;
    It = Stale ? Records.erase(It) : std::next(It);
  }
}

size_t LoginThrottle::size() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Records.size();
}
