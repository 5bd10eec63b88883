//===- Lock.cpp - The advisory migration lock kept as a fact --------------===//
#include "strata/Exec/Lock.h"
#include "ExecError.h"
#include "strata/AST/Printer.h"
#include "strata/Exec/ReplyCheck.h"
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

std::string exec::currentLockHolder() {
  const char *User = ::getenv("USER");
  char Host[256] = {};
  if (::gethostname(Host, sizeof(Host) - 1) != 0)
    Host[0] = '\0';
  return fmt::format("{}@{} pid {}", User && *User ? User : "unknown", *Host ? Host : "localhost",
                     ::getpid());
}

llvm::Expected<std::string> exec::lockWithFact(Target &T, llvm::StringRef Holder) {
  llvm::Expected<std::vector<LockFact>> Locks = readLocks(T);
  if (!Locks)
    return Locks.takeError();
  for (const LockFact &F : *Locks)
    if (F.ExpiresAt > now() && F.Holder != Holder)
      return execError(fmt::format("{} is locked by {} until {} (unix time; another `strata "
                                   "migrate` or `revert` is running, or crashed: the lock "
                                   "expires by itself)",
                                   T.describe(), F.Holder, F.ExpiresAt));
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
