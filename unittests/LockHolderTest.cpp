//===- LockHolderTest.cpp - Telling a dead lock holder from a live one ----===//
#include "strata/Exec/Lock.h"
#include <algorithm>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace strata;
using namespace strata::exec;

namespace {
std::string thisHost() {
  char Host[256] = {};
  ::gethostname(Host, sizeof(Host) - 1);
  return *Host ? Host : "localhost";
}

/// The pid of a child that has exited and been reaped: no such process.
pid_t goneProcess() {
  pid_t Child = ::fork();
  if (Child == 0)
    ::_exit(0);
  ::waitpid(Child, nullptr, 0);
  return Child;
}
} // namespace

TEST(LockHolder, NamesUserHostPidAndStartTime) {
  std::string H = currentLockHolder();
  EXPECT_NE(H.find("@" + thisHost() + " pid " + std::to_string(::getpid()) + " since "),
            std::string::npos)
      << H;
  EXPECT_EQ(H, currentLockHolder()); // one holder for the whole process
}

TEST(LockHolder, ThisProcessIsAlive) {
  EXPECT_EQ(lockHolderGone(currentLockHolder()), std::optional<bool>(false));
}

TEST(LockHolder, AnExitedProcessOnThisHostIsGone) {
  std::string H = "ann@" + thisHost() + " pid " + std::to_string(goneProcess()) + " since t";
  EXPECT_EQ(lockHolderGone(H), std::optional<bool>(true));
}

TEST(LockHolder, ThisPidUnderAnotherStartTimeIsGone) {
  std::string H = "ann@" + thisHost() + " pid " + std::to_string(::getpid()) + " since then";
  EXPECT_EQ(lockHolderGone(H), std::optional<bool>(true));
}

TEST(LockHolder, ALiveProcessOnThisHostIsNotGone) {
  std::string H = "ann@" + thisHost() + " pid 1 since t";
  EXPECT_EQ(lockHolderGone(H), std::optional<bool>(false));
}

TEST(LockHolder, AnotherHostOrAnotherFormCannotBeTold) {
  EXPECT_EQ(lockHolderGone("ann@elsewhere.invalid pid 1 since t"), std::nullopt);
  EXPECT_EQ(lockHolderGone("somebody"), std::nullopt);
  EXPECT_EQ(lockHolderGone("ann@" + thisHost() + " pid x"), std::nullopt);
}

namespace {
/// A target whose lock relation holds one fact expiring at the double
/// 2^63, which no int64 holds; every other statement succeeds.
class HugeExpiryTarget final : public Target {
public:
  std::string describe() const override { return "huge:"; }
  llvm::Expected<Reply> execute(llvm::StringRef Program) override {
    Sent.push_back(Program.str());
    if (!Program.startswith("?strata_lock"))
      return Reply::message("ok");
    Reply R;
    R.Columns = {"Holder", "ExpiresAt"};
    if (!Answered)
      R.Rows.push_back({Cell("someone"), Cell(9223372036854775808.0)});
    Answered = true;
    return R;
  }
  llvm::Error lock(llvm::StringRef, const LockOptions &) override { return llvm::Error::success(); }
  void unlock() override {}
  std::vector<std::string> Sent;
  bool Answered = false;
};
} // namespace

// An expiry that is no int64 reads as none (jsonInteger), so the lock is
// expired and taken over, its fact deleted as `0`.
TEST(LockFacts, AnExpiryBeyondInt64IsNoExpiry) {
  HugeExpiryTarget T;
  llvm::Expected<std::string> Fact = lockWithFact(T, "me", LockOptions());
  ASSERT_TRUE(bool(Fact)) << llvm::toString(Fact.takeError());
  EXPECT_NE(std::find(T.Sent.begin(), T.Sent.end(), "-strata_lock(\"someone\", 0)"), T.Sent.end());
}
