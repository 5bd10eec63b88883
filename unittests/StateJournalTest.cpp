//===- StateJournalTest.cpp - The state file's journal ---------------------===//
//
// What a commit records (Engine::takeChanges) must rebuild the state it
// was taken from; a journal torn at its end loses only the torn record;
// damage before the end is an error that writes nothing; compaction folds
// the journal into the state file (docs/safety.md, "The state file and its
// journal").
//
//===----------------------------------------------------------------------===//
#include "../lib/Engine/ChangeLog.h"
#include "../lib/Engine/Store.h"
#include "TestFiles.h"
#include "strata/Engine/Engine.h"
#include "strata/Engine/StateFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata;
using namespace strata::engine;

namespace {

std::string readAll(const std::string &Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> B = llvm::MemoryBuffer::getFile(Path);
  return B ? (*B)->getBuffer().str() : std::string("<missing>");
}

bool exists(const std::string &Path) { return llvm::sys::fs::exists(Path); }

/// The journal policy a test sets, restored after it.
struct ScopedPolicy {
  JournalPolicy Saved = journalPolicy();
  ScopedPolicy(uint64_t Small, uint64_t Percent) {
    journalPolicy().SmallStateBytes = Small;
    journalPolicy().CompactPercent = journalPolicy().RecordPercent = Percent;
  }
  ~ScopedPolicy() { journalPolicy() = Saved; }
};

struct JournalDir : ::testing::Test {
  llvm::SmallString<128> Dir;
  std::string Path, Journal;
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-journal", Dir));
    Path = std::string(Dir) + "/s.kg";
    Journal = Path + ".journal";
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  /// Opens the state, runs each program and commits after each.
  std::string commitEach(const std::vector<std::string> &Programs) {
    Engine E;
    llvm::Expected<StateFile> F = StateFile::open(Path, E);
    EXPECT_TRUE(bool(F)) << llvm::toString(F.takeError());
    if (!F)
      return "";
    Session S(E);
    for (const std::string &P : Programs) {
      Reply R = S.execute(P);
      EXPECT_FALSE(R.IsError) << P << ": " << R.ErrorMessage;
      llvm::Error Err = F->commit(E);
      EXPECT_FALSE(bool(Err)) << llvm::toString(std::move(Err));
    }
    return E.serialize();
  }

  std::string loaded() {
    llvm::Expected<Engine> E = loadStateFile(Path);
    EXPECT_TRUE(bool(E)) << llvm::toString(E.takeError());
    return E ? E->serialize() : "<error>";
  }
};

/// Programs that change every kind of thing a state holds, several of
/// them replacing what they change rather than changing it in place.
const std::vector<std::string> &everyKindOfChange() {
  static const std::vector<std::string> Programs = {
      "+edge[(1, 2), (2, 3), (3, 4)]",
      "+person(id: int, name: string)\n+person[(1, \"ann\"), (2, \"bob\")]",
      "-edge(1, 2)\n+edge(1, 2)\n-edge(2, 3)",
      "+reach(X, Y) <- edge(X, Y)\n+reach(X, Z) <- reach(X, Y), edge(Y, Z)",
      "-person(I, N), +person_strata_stage(I, N, 0) <- person(I, N)",
      "+mv[(1,), (2,)]\n+mv(X), -mv(X) <- mv(X)", // emptied, then filled again
      ".rel drop person\n+person(id: int, name: string, level: int)\n+person(3, \"cy\", 1)",
      ".rule drop reach\n+reach(X, Y) <- edge(Y, X)",
      "+vec(id: int, v: vector)\n+vec(1, [1.0, 0.0])",
      ".index create vi on vec(v) type hnsw metric cosine",
      ".index drop vi\n.index create vi on vec(v) type hnsw metric euclidean",
      ".kg create other\n.kg use other\n+x(1)\n.kg use default",
      ".kg drop other",
      ".kg create other\n.kg use other\n+y(2)\n.kg use default",
      "-edge(X, Y) <- edge(X, Y), X > 2",
      ".rule clear reach",
      ".rel drop vec",
      "+reach(X, Y) <- edge(X, Y)\n+two(X) <- edge(X, _)",
      "-reach",
      ".kg use other\n+q(X) <- y(X)\n.kg use default",
      "+reach(X, Y) <- edge(Y, X)\n-two\n+two(Y) <- edge(_, Y)",
  };
  return Programs;
}

} // namespace

// Each record, applied to the state before it, gives the state after it.
TEST(StateJournalChanges, RecordsRebuildEveryState) {
  Engine Live, Replayed;
  Live.recordChanges();
  Session S(Live);
  for (const std::string &P : everyKindOfChange()) {
    Reply R = S.execute(P);
    ASSERT_FALSE(R.IsError) << P << ": " << R.ErrorMessage;
    std::string Record = Live.takeChanges();
    ASSERT_FALSE(bool(Replayed.applyChanges(Record)));
    EXPECT_EQ(Replayed.serialize(), Live.serialize()) << "after: " << P << "\nrecord:\n" << Record;
  }
  EXPECT_EQ(Live.takeChanges(), "") << "nothing changed since the last take";
}

namespace {

// Programs that change relation definitions in the ways a history does:
// declared, declared again with another schema, dropped and declared
// again, filled, in graphs switched to and back.
const std::vector<std::string> &definitionChanges() {
  static const std::vector<std::string> Programs = {
      "+a(x: int)\n+b(x: int, y: string)\n+b(1, \"one\")",
      "+a(x: int, y: int)",
      "+a(2, 3)\n+c(1)",
      ".kg create g2\n.kg use g2\n+a(x: string)\n+a(\"s\")\n.kg use default",
      ".rel drop b\n+b(x: int)\n+b(7)",
      "+c(x: int)",
      ".kg use g2",
      "+a(x: string, z: float)\n.kg use default",
      ".rel drop c\n+c(4)",
      "+b(8)\n-b(7)",
      ".kg use default\n+a(x: int, y: int)",
  };
  return Programs;
}

/// Each record taken while running Programs, with every definition
/// imaged again at each take when All is set.
std::vector<std::string> recordsOf(const std::vector<std::string> &Programs, bool All) {
  Engine E;
  E.recordChanges();
  Session S(E);
  std::vector<std::string> Records;
  for (const std::string &P : Programs) {
    Reply R = S.execute(P);
    EXPECT_FALSE(R.IsError) << P << ": " << R.ErrorMessage;
    if (All)
      E.store().changes()->noteDefinitions();
    Records.push_back(E.takeChanges());
  }
  return Records;
}

} // namespace

// Imaging only the definitions a statement named writes the same records,
// byte for byte, as imaging every definition at every take.
TEST(StateJournalChanges, NotedDefinitionsWriteWhatImagingAllWrites) {
  for (const auto *Programs : {&everyKindOfChange(), &definitionChanges()}) {
    std::vector<std::string> Noted = recordsOf(*Programs, false), All = recordsOf(*Programs, true);
    ASSERT_EQ(Noted.size(), All.size());
    for (size_t I = 0; I < Noted.size(); ++I)
      EXPECT_EQ(Noted[I], All[I]) << "after: " << (*Programs)[I];
  }
  // A schema declared again with the same fact set is one schema line.
  std::vector<std::string> Records = recordsOf(definitionChanges(), false);
  EXPECT_EQ(Records[1], "graph default\nschema +a(x: int, y: int)\n");
  EXPECT_EQ(Records[6], "") << "switching graphs changes nothing";
}

// A record holds what changed, not the state: one fact in a large relation
// is one line.
TEST(StateJournalChanges, ARecordIsTheSizeOfTheChange) {
  Engine E;
  Session S(E);
  std::string Many = "+big[";
  for (int I = 0; I < 5000; ++I)
    Many += (I ? ", (" : "(") + std::to_string(I) + ")";
  ASSERT_FALSE(S.execute(Many + "]").IsError);
  E.recordChanges();
  ASSERT_FALSE(S.execute("+big(99999)").IsError);
  EXPECT_EQ(E.takeChanges(), "graph default\nfact +big(99999)\n");
  ASSERT_FALSE(S.execute("?big(X)").IsError);
  EXPECT_EQ(E.takeChanges(), "");
}

// A change of more facts than the state holds is not listed (its record
// would outgrow the state file): the taker is told to write it whole.
TEST(StateJournalChanges, TooManyChangedFactsAskForAWholeWrite) {
  Engine E;
  Session S(E);
  E.recordChanges();
  std::string Many = "+big[";
  for (int I = 0; I < 100100; ++I)
    Many += (I ? ", (" : "(") + std::to_string(I) + ")";
  ASSERT_FALSE(S.execute(Many + "]").IsError);
  bool Everything = false;
  EXPECT_EQ(E.takeChanges(&Everything), "");
  EXPECT_TRUE(Everything);
  ASSERT_FALSE(S.execute("+big(-1)").IsError);
  EXPECT_EQ(E.takeChanges(&Everything), "graph default\nfact +big(-1)\n");
  EXPECT_FALSE(Everything);
}

TEST_F(JournalDir, CommitsAppendAndReloadTheSameState) {
  ScopedPolicy Policy(0, 1000000);
  std::string Final = commitEach(everyKindOfChange());
  EXPECT_TRUE(exists(Journal));
  EXPECT_EQ(loaded(), Final);
  // Another process's commits append to the same journal.
  std::string More = commitEach({"+edge(7, 8)"});
  EXPECT_EQ(loaded(), More);
  Engine E;
  llvm::Expected<StateFile> F = StateFile::open(Path, E);
  ASSERT_TRUE(bool(F));
  EXPECT_EQ(F->journalRecords(), everyKindOfChange().size());
}

TEST_F(JournalDir, AReadThatChangesNothingWritesNothing) {
  ScopedPolicy Policy(0, 1000000);
  commitEach({"+a(1)", "+a(2)"});
  std::string State = readAll(Path), Log = readAll(Journal);
  commitEach({"?a(X)", ".rel", ".kg list"});
  EXPECT_EQ(readAll(Path), State);
  EXPECT_EQ(readAll(Journal), Log);
}

// A small state is written whole at every commit; the journal is for large
// ones (the default policy).
TEST_F(JournalDir, SmallStatesAreWrittenWhole) {
  commitEach({"+a(1)", "+a(2)"});
  EXPECT_FALSE(exists(Journal));
  EXPECT_NE(readAll(Path).find("fact +a(2)"), std::string::npos);
}

TEST_F(JournalDir, CompactionFoldsTheJournalIntoTheStateFile) {
  ScopedPolicy Policy(0, 300); // compact past three times the state file
  commitEach({"+a(1)"});
  uint64_t Records = 0;
  bool Compacted = false;
  std::string Final;
  for (int I = 2; I < 40 && !Compacted; ++I) {
    Final = commitEach({"+a(" + std::to_string(I) + ")"});
    Engine E;
    llvm::Expected<StateFile> F = StateFile::open(Path, E);
    ASSERT_TRUE(bool(F));
    Compacted = F->journalRecords() < Records;
    Records = F->journalRecords();
  }
  EXPECT_TRUE(Compacted);
  EXPECT_FALSE(exists(Journal));
  EXPECT_EQ(loaded(), Final);
  // compact() with nothing to fold in writes nothing.
  Engine E;
  llvm::Expected<StateFile> F = StateFile::open(Path, E);
  ASSERT_TRUE(bool(F));
  std::string Before = readAll(Path);
  ASSERT_FALSE(bool(F->compact(E)));
  EXPECT_EQ(readAll(Path), Before);
}

// The default limits: the journal may grow to four times the state file,
// but a record larger than the state file alone is written as a snapshot.
TEST_F(JournalDir, ARecordLargerThanTheStateFileIsWrittenAsOne) {
  ScopedPolicy Policy(0, 400);
  journalPolicy().RecordPercent = 100;
  commitEach({"+a[(1), (2), (3), (4), (5), (6), (7), (8)]"});
  std::string Snapshot = readAll(Path);
  commitEach({"+a(9)"});
  EXPECT_TRUE(exists(Journal)) << "a small record is appended";
  EXPECT_EQ(readAll(Path), Snapshot);
  std::string Many = "+b[";
  for (int I = 0; I < 200; ++I)
    Many += (I ? ", (" : "(") + std::to_string(I) + ")";
  std::string Final = commitEach({Many + "]"});
  EXPECT_FALSE(exists(Journal)) << "a record larger than the state file is a snapshot";
  EXPECT_NE(readAll(Path), Snapshot);
  EXPECT_EQ(loaded(), Final);
}

TEST_F(JournalDir, ATornLastRecordIsIgnoredAndCutOffByTheNextWrite) {
  ScopedPolicy Policy(0, 1000000);
  std::string Two = commitEach({"+a(1)", "+a(2)"});
  std::string Three = commitEach({"+a(3)"});
  std::string Log = readAll(Journal);
  size_t LastRecord = Log.rfind("record 2 "); // +a(1) went to the state file
  ASSERT_NE(LastRecord, std::string::npos);
  // Cut at every byte of the last record: the first two always load.
  for (size_t Cut = LastRecord; Cut < Log.size(); ++Cut) {
    test::writeFile(Journal, Log.substr(0, Cut));
    EXPECT_EQ(loaded(), Two) << "cut at " << Cut;
  }
  // At full length, with bytes that never reached the disk.
  std::string Garbled = Log;
  Garbled[Garbled.size() - 2] = '9';
  test::writeFile(Journal, Garbled);
  EXPECT_EQ(loaded(), Two);
  // Zeros where the record should be (a file extended but not written).
  test::writeFile(Journal, Log.substr(0, LastRecord) + std::string(40, '\0'));
  {
    Engine E;
    llvm::Expected<StateFile> F = StateFile::open(Path, E);
    ASSERT_TRUE(bool(F)) << llvm::toString(F.takeError());
    EXPECT_EQ(F->tornBytes(), 40u);
    EXPECT_EQ(E.serialize(), Two);
  }
  // The next write cuts the torn end off before it appends.
  std::string After = commitEach({"+a(4)"});
  EXPECT_EQ(readAll(Journal).find(std::string(1, '\0')), std::string::npos);
  EXPECT_EQ(loaded(), After);
  EXPECT_NE(After.find("fact +a(4)"), std::string::npos);
  EXPECT_EQ(After.find("fact +a(3)"), std::string::npos);
}

TEST_F(JournalDir, DamageBeforeTheEndIsAnErrorAndWritesNothing) {
  ScopedPolicy Policy(0, 1000000);
  commitEach({"+a(1)", "+a(2)", "+a(3)"});
  std::string Log = readAll(Journal);
  std::string State = readAll(Path);
  std::string Damaged = Log;
  Damaged[Log.find("fact +a(2)") + 7] = '7';
  test::writeFile(Journal, Damaged);
  Engine E;
  llvm::Expected<StateFile> F = StateFile::open(Path, E);
  ASSERT_FALSE(bool(F));
  std::string Message = llvm::toString(F.takeError());
  EXPECT_NE(Message.find("journal `" + Journal + "`: record 1"), std::string::npos) << Message;
  EXPECT_NE(Message.find("checksum"), std::string::npos) << Message;
  EXPECT_NE(Message.find("more follows it"), std::string::npos) << Message;
  EXPECT_EQ(readAll(Journal), Damaged);
  EXPECT_EQ(readAll(Path), State);

  // A record out of sequence (one copied twice) is damage too.
  std::string Record2 =
      Log.substr(Log.find("record 2 "), Log.find("record 3 ") - Log.find("record 2 "));
  test::writeFile(Journal, Log + Record2);
  llvm::Expected<Engine> Dup = loadStateFile(Path);
  ASSERT_FALSE(bool(Dup));
  EXPECT_NE(llvm::toString(Dup.takeError()).find("numbered 2"), std::string::npos);

  test::writeFile(Journal, "not a journal\n");
  llvm::Expected<Engine> Bad = loadStateFile(Path);
  ASSERT_FALSE(bool(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("not a strata journal"), std::string::npos);
}

// A crash after compaction renamed the new state file into place but
// before it removed the journal leaves a journal naming the old state
// file: it is ignored, and the next append starts a new journal.
TEST_F(JournalDir, AStaleJournalIsIgnoredAndReplaced) {
  ScopedPolicy Policy(0, 1000000);
  commitEach({"+a(1)", "+a(2)"});
  std::string Old = readAll(Journal);
  {
    Engine E;
    llvm::Expected<StateFile> F = StateFile::open(Path, E);
    ASSERT_TRUE(bool(F));
    Session(E).execute("+a(3)");
    ASSERT_FALSE(bool(F->compact(E)));
  }
  EXPECT_FALSE(exists(Journal));
  test::writeFile(Journal, Old + "record 3 0 garbage"); // and torn
  std::string Now = loaded();
  EXPECT_NE(Now.find("fact +a(3)"), std::string::npos);
  std::string After = commitEach({"-a(1)"});
  EXPECT_EQ(readAll(Journal).find("fact +a(2)"), std::string::npos);
  EXPECT_EQ(loaded(), After);
}

TEST_F(JournalDir, TheJournalObeysTheStateFileRules) {
  ScopedPolicy Policy(0, 1000000);
  commitEach({"+a(1)"});
  std::string Victim = std::string(Dir) + "/victim";
  test::writeFile(Victim, "precious\n");
  ASSERT_EQ(::symlink(Victim.c_str(), Journal.c_str()), 0);
  llvm::Expected<Engine> Linked = loadStateFile(Path);
  ASSERT_FALSE(bool(Linked));
  EXPECT_NE(llvm::toString(Linked.takeError()).find("is a symbolic link"), std::string::npos);
  ASSERT_EQ(::unlink(Journal.c_str()), 0);
  ASSERT_EQ(::mkfifo(Journal.c_str(), 0600), 0);
  llvm::Expected<Engine> Fifo = loadStateFile(Path);
  ASSERT_FALSE(bool(Fifo));
  EXPECT_NE(llvm::toString(Fifo.takeError()).find("is a FIFO"), std::string::npos);
  EXPECT_EQ(readAll(Victim), "precious\n");
}

// Another process's append changes the version a writer checks after it
// takes the lock (FileTarget reloads then); so does a compaction.
TEST_F(JournalDir, TheVersionNamesTheJournalToo) {
  ScopedPolicy Policy(0, 1000000);
  commitEach({"+a(1)", "+a(2)"});
  Engine E;
  llvm::Expected<StateFile> F = StateFile::open(Path, E);
  ASSERT_TRUE(bool(F));
  llvm::Expected<std::string> Same = StateFile::readVersion(Path);
  ASSERT_TRUE(bool(Same));
  EXPECT_EQ(*Same, F->version());
  commitEach({"+a(3)"});
  llvm::Expected<std::string> Appended = StateFile::readVersion(Path);
  ASSERT_TRUE(bool(Appended));
  EXPECT_NE(*Appended, F->version());
  Session(E).execute("+a(4)");
  ASSERT_FALSE(bool(F->commit(E)));
  llvm::Expected<std::string> Mine = StateFile::readVersion(Path);
  ASSERT_TRUE(bool(Mine));
  EXPECT_EQ(*Mine, F->version());
}

TEST(StateJournalBytes, FramingFromBytes) {
  std::string Digest(64, 'a');
  std::string Text = journalText(Digest, "0123456789abcdef", {"graph default\nfact +a(1)\n", "x"});
  llvm::Expected<JournalText> J = parseJournal(Text, "bytes", Digest);
  ASSERT_TRUE(bool(J)) << llvm::toString(J.takeError());
  EXPECT_TRUE(J->Current);
  ASSERT_EQ(J->Records.size(), 2u);
  EXPECT_EQ(J->Records[1], "x");
  EXPECT_EQ(J->ValidBytes, Text.size());
  llvm::Expected<JournalText> Stale = parseJournal(Text, "bytes", std::string(64, 'b'));
  ASSERT_TRUE(bool(Stale));
  EXPECT_FALSE(Stale->Current);
  EXPECT_TRUE(Stale->Records.empty());
}
