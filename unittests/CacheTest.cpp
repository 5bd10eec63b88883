//===- CacheTest.cpp - Cache entries and remembered file hashes -----------===//
#include "strata/Support/CacheDir.h"
#include "strata/Support/FileDigests.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <chrono>
#include <thread>

using namespace strata;

namespace {
std::string hexDigest(llvm::StringRef Bytes) {
  llvm::SHA256 H;
  H.update(Bytes);
  return llvm::toHex(H.final(), /*LowerCase=*/true);
}

class CacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-cache-test", Root));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  std::string path(llvm::StringRef Name) const {
    llvm::SmallString<256> P(Root);
    llvm::sys::path::append(P, Name);
    return P.str().str();
  }
  void write(llvm::StringRef Name, llvm::StringRef Text) const {
    std::error_code EC;
    llvm::raw_fd_ostream OS(path(Name), EC);
    ASSERT_FALSE(EC);
    OS << Text;
  }
  std::string read(llvm::StringRef Name) const {
    auto B = llvm::MemoryBuffer::getFile(path(Name));
    return B ? (*B)->getBuffer().str() : "";
  }

  llvm::SmallString<256> Root;
};
} // namespace

TEST_F(CacheTest, EntryRoundTripsUnderItsKeyOnly) {
  CacheDir C(path("cache"));
  EXPECT_FALSE(C.load("a", "key"));
  ASSERT_TRUE(C.store("a", "key", std::string("pay\0load", 8)));
  std::optional<CacheEntry> E = C.load("a", "key");
  ASSERT_TRUE(E);
  EXPECT_EQ(E->Payload, llvm::StringRef("pay\0load", 8));
  EXPECT_FALSE(C.load("a", "other key"));
  EXPECT_FALSE(C.load("b", "key"));
}

// With an empty payload the header's last u64 ends exactly at the end of
// the file: that is a whole entry, not a short one.
TEST_F(CacheTest, EmptyPayloadRoundTrips) {
  CacheDir C(path("cache"));
  ASSERT_TRUE(C.store("a", "key", ""));
  std::optional<CacheEntry> E = C.load("a", "key");
  ASSERT_TRUE(E);
  EXPECT_TRUE(E->Payload.empty());
}

TEST_F(CacheTest, DamagedEntriesAreMisses) {
  CacheDir C(path("cache"));
  ASSERT_TRUE(C.store("a", "key", "the payload"));
  std::string Good = read("cache/a");
  // Every truncation, and a flipped byte anywhere, is a miss.
  for (size_t N = 0; N < Good.size(); ++N) {
    write("cache/a", Good.substr(0, N));
    EXPECT_FALSE(C.load("a", "key")) << "truncated to " << N;
  }
  for (size_t I = 0; I < Good.size(); ++I) {
    std::string Bad = Good;
    Bad[I] ^= 0x20;
    write("cache/a", Bad);
    EXPECT_FALSE(C.load("a", "key")) << "byte " << I << " flipped";
  }
  write("cache/a", Good);
  EXPECT_TRUE(C.load("a", "key"));
}

TEST_F(CacheTest, PruneKeepsTheNewest) {
  CacheDir C(path("cache"));
  for (int I = 0; I < 5; ++I) {
    ASSERT_TRUE(C.store("h-" + std::to_string(I), "k", "p"));
    // Modification times must differ for the order to be known.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(C.store("other", "k", "p"));
  C.prune("h-", 2);
  EXPECT_FALSE(C.load("h-0", "k"));
  EXPECT_FALSE(C.load("h-2", "k"));
  EXPECT_TRUE(C.load("h-3", "k"));
  EXPECT_TRUE(C.load("h-4", "k"));
  EXPECT_TRUE(C.load("other", "k"));
}

TEST_F(CacheTest, UnwritableCacheOnlyFailsToStore) {
  write("file", "x");
  CacheDir C(path("file/cache")); // its parent is a file
  EXPECT_FALSE(C.store("a", "k", "p"));
  EXPECT_FALSE(C.load("a", "k"));
}

TEST_F(CacheTest, ShortHashIsStable) {
  EXPECT_EQ(shortHash("abc"), "ba7816bf8f01cfea"); // SHA-256("abc")
  EXPECT_EQ(shortHash("abc").size(), 16u);
}

// A hash is remembered only for a file last changed a second before the
// table was opened, and used only while the file stats the same.
TEST_F(CacheTest, DigestsAreRememberedForSettledFilesOnly) {
  CacheDir C(path("cache"));
  write("old.mig", "old");
  write("new.mig", "new");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  {
    FileDigests D(C);
    EXPECT_EQ(*D.digest(path("old.mig")), hexDigest("old"));
    write("new.mig", "newer"); // changed after the table was opened
    ASSERT_TRUE(D.digest(path("new.mig")));
    EXPECT_EQ(D.hashed(), 2u);
    EXPECT_FALSE(D.digest(path("missing.mig")));
    D.save();
  }
  FileDigests D(C);
  std::optional<std::string> Old = D.digest(path("old.mig"));
  EXPECT_EQ(D.reused(), 1u);
  D.digest(path("new.mig"));
  EXPECT_EQ(D.hashed(), 1u); // too new to have been remembered
  // Once the file changes, its remembered hash is not used.
  write("old.mig", "OLD");
  std::optional<std::string> Changed = D.digest(path("old.mig"));
  EXPECT_EQ(D.hashed(), 2u);
  EXPECT_NE(*Old, *Changed);
}

// Statuses taken early in a run (the sync stamp's) go stale for a file the
// run rewrites: the digest of bytes read afterwards must be theirs, never
// the hash remembered for the file's earlier contents. (This made
// Migrate/build-cache.test miss under load, once strata.sum was old enough
// to be remembered before makemigrations rewrote it.)
TEST_F(CacheTest, DigestOfFreshBytesIgnoresEarlierStatuses) {
  CacheDir C(path("cache"));
  write("strata.sum", "old sum");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  {
    FileDigests D(C);
    EXPECT_EQ(*D.digest(path("strata.sum")), hexDigest("old sum"));
    D.save();
  }
  FileDigests D(C);
  FileStatuses Early;
  Early[path("strata.sum")] = *statFile(path("strata.sum"));
  D.useStatuses(std::move(Early));
  write("strata.sum", "the new sum"); // the run rewrites it
  EXPECT_EQ(*D.digest(path("strata.sum"), "the new sum"), hexDigest("the new sum"));
}

// loadSourceFile reads a file through one descriptor and gives the status
// of what it read: the status stat gives for the same file, which the
// digest table then remembers without looking at the file again. A
// directory and a missing file are reported, with no status.
TEST_F(CacheTest, SourceFilesGiveTheStatusTheyWereReadWith) {
  CacheDir C(path("cache"));
  write("a.mig", "migration a");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<FileStatus> Read;
  std::optional<unsigned> ID = loadSourceFile(path("a.mig"), Diags, MaxSourceFileBytes, &Read);
  ASSERT_TRUE(ID);
  EXPECT_EQ(SM.getMemoryBuffer(*ID)->getBuffer(), "migration a");
  ASSERT_TRUE(Read);
  EXPECT_EQ(*Read, *statFile(path("a.mig")));
  {
    FileDigests D(C);
    D.remember(path("a.mig"), hexDigest("migration a"), *Read);
    D.save();
  }
  FileDigests D(C);
  EXPECT_EQ(*D.digest(path("a.mig")), hexDigest("migration a"));
  EXPECT_EQ(D.reused(), 1u);
  EXPECT_EQ(D.hashed(), 0u);

  std::optional<FileStatus> None;
  EXPECT_FALSE(loadSourceFile(path("cache"), Diags, MaxSourceFileBytes, &None));
  EXPECT_FALSE(loadSourceFile(path("missing.mig"), Diags, MaxSourceFileBytes, &None));
  EXPECT_FALSE(None);
  EXPECT_EQ(Diags.size(), 2u);
  EXPECT_FALSE(loadSourceFile(path("a.mig"), Diags, /*MaxBytes=*/4));
  EXPECT_EQ(Diags.size(), 3u);
}
