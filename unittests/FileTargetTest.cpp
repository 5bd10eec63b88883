//===- FileTargetTest.cpp - file: targets never lose another's update -----===//
#include "strata/Engine/StateFile.h"
#include "strata/Exec/Target.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::exec;

namespace {
std::unique_ptr<Target> open(const std::string &Url) {
  llvm::Expected<std::unique_ptr<Target>> T = openTarget(Url, TargetOptions());
  EXPECT_TRUE(bool(T)) << llvm::toString(T.takeError());
  return T ? std::move(*T) : nullptr;
}

std::string rowsOf(Target &T, const std::string &Query) {
  llvm::Expected<Reply> R = T.execute(Query);
  EXPECT_TRUE(bool(R)) << llvm::toString(R.takeError());
  return R ? std::to_string(R->Rows.size()) : "error";
}

struct StateDir : ::testing::Test {
  llvm::SmallString<128> Dir;
  std::string Url;
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-filetarget", Dir));
    Url = "file:" + std::string(Dir) + "/dev.kg";
    std::unique_ptr<Target> Seed = open(Url);
    ASSERT_TRUE(Seed);
    ASSERT_FALSE(bool(Seed->execute("+a[(1)]").takeError()));
    ASSERT_FALSE(bool(Seed->commit()));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }
};
} // namespace

// Issue 14, finding 4: the state used to be read when the target was
// opened and kept after the lock was taken, so a process that opened the
// file, then waited for the lock while another wrote it, wrote back the
// stale copy and lost the other's change.
TEST_F(StateDir, AWriteBetweenOpenAndLockIsNotLost) {
  std::unique_ptr<Target> Slow = open(Url); // reads the state now
  ASSERT_TRUE(Slow);
  {
    std::unique_ptr<Target> Fast = open(Url);
    ASSERT_TRUE(Fast);
    ASSERT_FALSE(bool(Fast->lock("fast", exec::LockOptions())));
    ASSERT_FALSE(bool(Fast->execute("+a[(2)]").takeError()));
    ASSERT_FALSE(bool(Fast->commit()));
    Fast->unlock();
  }
  ASSERT_FALSE(bool(Slow->lock("slow", exec::LockOptions())));
  ASSERT_FALSE(bool(Slow->execute("+a[(3)]").takeError()));
  ASSERT_FALSE(bool(Slow->commit()));
  Slow->unlock();
  std::unique_ptr<Target> Check = open(Url);
  ASSERT_TRUE(Check);
  EXPECT_EQ(rowsOf(*Check, "?a(X)"), "3");
}

TEST_F(StateDir, ACommitThatChangedNothingDoesNotRewriteTheFile) {
  llvm::sys::fs::file_status Before, After;
  ASSERT_FALSE(llvm::sys::fs::status(std::string(Dir) + "/dev.kg", Before));
  std::unique_ptr<Target> Reader = open(Url);
  ASSERT_TRUE(Reader);
  EXPECT_EQ(rowsOf(*Reader, "?a(X)"), "1");
  ASSERT_FALSE(bool(Reader->commit()));
  ASSERT_FALSE(llvm::sys::fs::status(std::string(Dir) + "/dev.kg", After));
  EXPECT_EQ(Before.getUniqueID(), After.getUniqueID());
}

// A reader that never locks (migrate --plan) and commits after another
// process wrote keeps that process's state too: it changed nothing itself.
TEST_F(StateDir, AnUnlockedReaderNeverUndoesAWriter) {
  std::unique_ptr<Target> Reader = open(Url);
  ASSERT_TRUE(Reader);
  {
    std::unique_ptr<Target> Writer = open(Url);
    ASSERT_TRUE(Writer);
    ASSERT_FALSE(bool(Writer->execute("+a[(2)]").takeError()));
    ASSERT_FALSE(bool(Writer->commit()));
  }
  EXPECT_EQ(rowsOf(*Reader, "?a(X)"), "1");
  ASSERT_FALSE(bool(Reader->commit()));
  std::unique_ptr<Target> Check = open(Url);
  ASSERT_TRUE(Check);
  EXPECT_EQ(rowsOf(*Check, "?a(X)"), "2");
}

// The same with the state journal in use: another process's append, not
// only a new state file, makes the waiting writer read the state again.
TEST_F(StateDir, AJournalAppendBetweenOpenAndLockIsNotLost) {
  engine::JournalPolicy Saved = engine::journalPolicy();
  engine::journalPolicy().SmallStateBytes = 0;
  engine::journalPolicy().CompactPercent = engine::journalPolicy().RecordPercent = 1000000;
  std::unique_ptr<Target> Slow = open(Url);
  ASSERT_TRUE(Slow);
  for (int I = 2; I <= 3; ++I) {
    std::unique_ptr<Target> Fast = open(Url);
    ASSERT_TRUE(Fast);
    ASSERT_FALSE(bool(Fast->lock("fast", exec::LockOptions())));
    ASSERT_FALSE(bool(Fast->execute("+a[(" + std::to_string(I) + ")]").takeError()));
    ASSERT_FALSE(bool(Fast->commit()));
    Fast->unlock();
  }
  EXPECT_TRUE(llvm::sys::fs::exists(std::string(Dir) + "/dev.kg.journal"));
  ASSERT_FALSE(bool(Slow->lock("slow", exec::LockOptions())));
  ASSERT_FALSE(bool(Slow->execute("+a[(4)]").takeError()));
  ASSERT_FALSE(bool(Slow->commit()));
  Slow->unlock();
  std::unique_ptr<Target> Check = open(Url);
  ASSERT_TRUE(Check);
  EXPECT_EQ(rowsOf(*Check, "?a(X)"), "4");
  engine::journalPolicy() = Saved;
}

// The state file replaced between open and lock by one that cannot be read
// (its header names a digest its body does not have): the lock reports the
// damaged file instead of running on the copy read before, and nothing is
// written over it.
TEST_F(StateDir, AnUnreadableStateBetweenOpenAndLockIsAnError) {
  std::unique_ptr<Target> Slow = open(Url);
  ASSERT_TRUE(Slow);
  std::string Path = std::string(Dir) + "/dev.kg";
  std::string Damaged =
      "STRATA-ENGINE-STATE 1\nlength 5\nsha256 " + std::string(64, '0') + "\n\nxxxxx";
  {
    std::error_code EC;
    llvm::raw_fd_ostream Out(Path, EC);
    ASSERT_FALSE(EC);
    Out << Damaged;
  }
  llvm::Error E = Slow->lock("slow", exec::LockOptions());
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("dev.kg"), std::string::npos);
  auto Text = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(bool(Text));
  EXPECT_EQ((*Text)->getBuffer(), Damaged);
}
