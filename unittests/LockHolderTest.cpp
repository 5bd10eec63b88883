//===- LockHolderTest.cpp - Telling a dead lock holder from a live one ----===//
#include "strata/Exec/Lock.h"
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
