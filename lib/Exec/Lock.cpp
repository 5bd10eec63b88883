//===- Lock.cpp - The advisory migration lock kept as a fact --------------===//
#include "strata/Exec/Lock.h"
#include "ExecError.h"
#include "strata/AST/Printer.h"
#include "strata/Exec/Ledger.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Support/Json.h"
#include <cerrno>
#include <csignal>
#include <ctime>
#include <fmt/format.h>
#include <unistd.h>

using namespace strata;
using namespace strata::exec;

namespace {
/// Runs one statement; a failure reply becomes an error.
llvm::Expected<Reply> run(Target &T, const std::string &Statement) {
  llvm::Expected<Reply> R = T.execute(Statement);
  if (!R)
    return R.takeError();
  if (std::optional<std::string> Why = replyFailure(*R))
    return execError(fmt::format("{}: `{}` failed: {}", T.describe(), Statement, *Why));
  return R;
}

struct LockFact {
  std::string Holder;
  int64_t ExpiresAt = 0;
};

llvm::Expected<std::vector<LockFact>> readLocks(Target &T) {
  llvm::Expected<Reply> R = T.execute("?strata_lock(Holder, ExpiresAt)");
  if (!R)
    return R.takeError();
  std::vector<LockFact> Out;
  // A graph that never had a lock answers with no rows or a message.
  if (R->IsError || R->isMessage())
    return Out;
  for (const auto &Row : R->Rows) {
    if (Row.size() != 2)
      continue;
    LockFact F;
    if (llvm::Optional<llvm::StringRef> S = Row[0].getAsString())
      F.Holder = S->str();
    if (llvm::Optional<int64_t> I = Row[1].getAsInteger())
      F.ExpiresAt = *I;
    Out.push_back(std::move(F));
  }
  return Out;
}

std::string factText(const LockFact &F) {
  return fmt::format("strata_lock({}, {})", ast::quoteString(F.Holder), F.ExpiresAt);
}

int64_t now() { return int64_t(std::time(nullptr)); }
} // namespace

namespace {
std::string hostName() {
  char Host[256] = {};
  if (::gethostname(Host, sizeof(Host) - 1) != 0)
    Host[0] = '\0';
  return *Host ? Host : "localhost";
}

/// Why an unexpired lock fact held by someone else may be taken, or
/// nullopt when it stands.
std::optional<std::string> whyTakeOver(const LockFact &F, const LockOptions &LO) {
  std::optional<bool> Gone = lockHolderGone(F.Holder);
  if (Gone && *Gone)
    return fmt::format("took over the lock of {}: that process is gone", F.Holder);
  if (LO.Break && !Gone)
    return fmt::format("broke the lock of {} (--break-lock; it would have expired at {}, unix "
                       "time)",
                       F.Holder, F.ExpiresAt);
  return std::nullopt;
}

llvm::Error heldBy(Target &T, const LockFact &F, const LockOptions &LO) {
  if (LO.Break)
    return execError(fmt::format("{} is locked by {}, a live process on this host: "
                                 "--break-lock never breaks a live holder",
                                 T.describe(), F.Holder));
  return execError(fmt::format("{} is locked by {} until {} (unix time; another `strata "
                               "migrate` or `revert` is running, or ran on another host and "
                               "lost its connection: once sure it is gone, pass --break-lock)",
                               T.describe(), F.Holder, F.ExpiresAt));
}
} // namespace

std::string exec::currentLockHolder() {
  static const std::string Holder = [] {
    const char *User = ::getenv("USER");
    return fmt::format("{}@{} pid {} since {}", User && *User ? User : "unknown", hostName(),
                       ::getpid(), utcTimestamp());
  }();
  return Holder;
}

std::optional<bool> exec::lockHolderGone(llvm::StringRef Holder) {
  llvm::StringRef Rest = Holder.split('@').second;
  auto [Host, AfterHost] = Rest.split(" pid ");
  if (Host.empty() || AfterHost.empty() || Host != hostName())
    return std::nullopt;
  long long Pid = 0;
  if (AfterHost.consumeInteger(10, Pid) || Pid <= 0)
    return std::nullopt;
  // This very process under another start time: an earlier process whose
  // pid was reused by this one.
  if (Pid == ::getpid())
    return Holder != currentLockHolder();
  return ::kill(pid_t(Pid), 0) != 0 && errno == ESRCH;
}

llvm::Expected<std::string> exec::lockWithFact(Target &T, llvm::StringRef Holder,
                                               const LockOptions &LO) {
  llvm::Expected<std::vector<LockFact>> Locks = readLocks(T);
  if (!Locks)
    return Locks.takeError();
  for (const LockFact &F : *Locks) {
    if (F.ExpiresAt <= now() || F.Holder == Holder)
      continue;
    std::optional<std::string> Why = whyTakeOver(F, LO);
    if (!Why)
      return heldBy(T, F, LO);
    if (LO.Notice)
      *LO.Notice += (LO.Notice->empty() ? "" : "\n") + *Why;
  }
  if (Locks->empty())
    if (auto R = run(T, "+strata_lock(holder: string, expires_at: int)"); !R)
      return R.takeError();
  for (const LockFact &F : *Locks) // expired, or ours from an earlier run
    if (auto R = run(T, "-" + factText(F)); !R)
      return R.takeError();
  LockFact Mine{Holder.str(), now() + LockLease.count()};
  if (auto R = run(T, "+" + factText(Mine)); !R)
    return R.takeError();
  // Two clients may both have found the relation empty: read back, and
  // back off when ours is not alone.
  llvm::Expected<std::vector<LockFact>> After = readLocks(T);
  if (!After)
    return After.takeError();
  for (const LockFact &F : *After)
    if (F.Holder != Mine.Holder) {
      llvm::consumeError(run(T, "-" + factText(Mine)).takeError());
      return execError(fmt::format("{} is locked by {} (taken at the same moment as ours)",
                                   T.describe(), F.Holder));
    }
  return factText(Mine);
}

void exec::unlockFact(Target &T, llvm::StringRef Fact) {
  if (!Fact.empty())
    llvm::consumeError(run(T, "-" + Fact.str()).takeError());
}
