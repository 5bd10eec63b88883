//===- BuildCacheTest.cpp - The cache changes nothing but the time --------===//
//
// A schema directory goes through a series of edits (and random damage);
// after each, BuildCache::schema must give with the cache exactly what it
// gives without: the same diagnostics at the same places, the same state
// with every location, the same hints. Each step runs twice with the cache
// (the second run reads back what the first stored) and once without.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/BuildCache.h"
#include "strata/AST/Printer.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Serialize/Serialize.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <random>

using namespace strata;

namespace {
const char *const FileA = R"(// People.
relation employee {
  id: int
  name: string renamed_from full_name
  salary: float = 0.0
  tags: list[string]
  profile: vector(4)
}

relation reports_to(employee: int, manager: int)

index employee_profile on employee(profile) hnsw(metric: cosine, m: 16)
)";

const char *const FileB = R"(derived manages(manager: int, employee: int) {
  manages(M, E) <- reports_to(E, M)
  manages(M, E) <- manages(M, X), reports_to(E, X)
}

/* Pay by manager. */
derived team_pay(manager: int, total: float) {
  team_pay(M, sum<S>) <- manages(M, E), employee{id: E, salary: S}
}

derived named(n: string) {
  named(N) <- employee{name: N}, N != "é\"x"
}
)";

/// What the cached runs did, so the tests can tell the cache was used.
struct Uses {
  unsigned StateHits = 0, FilesReparsed = 0, FilesUnchanged = 0;
} Used;

/// One run's result, as text that shows every location.
std::string describe(llvm::StringRef Dir, llvm::StringRef Root, bool Cached) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  BuildCache Cache(Root, Cached);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  auto At = [&](llvm::SMRange R) {
    if (!R.isValid())
      return std::string("-");
    LineColumn A = lineColumn(SM, R.Start), B = lineColumn(SM, R.End);
    return std::to_string(A.Line) + ":" + std::to_string(A.Column) + "-" + std::to_string(B.Line) +
           ":" + std::to_string(B.Column);
  };
  std::optional<SchemaView> S = Cache.schema(Dir, Diags);
  if (S && Diags.size() == 0) {
    Cache.storeSchema(*S);
    EXPECT_TRUE(Cache.loadState(*S, Diags));
  }
  Cache.save();
  const CacheReport &R = Cache.report();
  Used.StateHits += llvm::StringRef(R.Schema).startswith("hit");
  Used.FilesReparsed += R.FilesReparsed;
  Used.FilesUnchanged += R.FilesUnchanged;
  for (const Diagnostic &D : Diags.diagnostics())
    OS << "diag " << At({D.Loc, D.Loc}) << ' ' << D.Message << '\n';
  if (!S)
    return OS.str();
  S->State.dump(OS);
  for (const auto &[Name, R] : S->State.relations()) {
    OS << Name << ' ' << At(R->Loc);
    for (const ColumnDef &C : R->Columns.Columns)
      OS << ' ' << At(C.Loc);
    OS << '\n';
  }
  for (const auto &[Name, D] : S->State.derived()) {
    OS << Name << ' ' << At(D->Loc);
    for (const auto &C : D->Clauses) {
      OS << ' ' << At(C->Range) << ' ' << At(C->HeadRange);
      for (const ast::BodyLiteral &L : C->Body)
        OS << ' ' << At(L.Range) << ' ' << At(L.TheAtom.Range) << ' ' << At(L.Lhs->Range);
    }
    OS << '\n';
  }
  for (const auto &[Name, I] : S->State.indexes())
    OS << Name << ' ' << At(I->Loc) << '\n';
  for (const auto &[K, V] : S->Hints.RenamedRelations)
    OS << "renamed " << K << " " << V << '\n';
  for (const auto &[K, V] : S->Hints.RenamedColumns)
    OS << "renamed column " << K << " " << V << '\n';
  for (const auto &[K, V] : S->Hints.Fills)
    OS << "fill " << K << " " << ast::toString(V) << ' ' << At(V.Range) << '\n';
  for (const auto &[K, Places] : S->Hints.ColumnPlaces)
    for (const SchemaHints::ColumnPlace &P : Places)
      OS << "place " << K << ' ' << At(P.Column) << ' ' << At(P.Type) << '\n';
  return OS.str();
}

/// A fresh directory Root holding an empty subdirectory Dir, removed after
/// the test, and a way to write files into Dir.
class ScratchDirTest : public ::testing::Test {
protected:
  ScratchDirTest(const char *Prefix, const char *Sub) : Prefix(Prefix), Sub(Sub) {}
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory(Prefix, Root));
    llvm::SmallString<256> D(Root);
    llvm::sys::path::append(D, Sub);
    Dir = D.str().str();
    ASSERT_FALSE(llvm::sys::fs::create_directories(Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Root); }

  void write(const std::string &Name, const std::string &Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Dir + "/" + Name, EC);
    ASSERT_FALSE(EC);
    OS << Text;
  }

  const char *Prefix, *Sub;
  llvm::SmallString<256> Root;
  std::string Dir;
};

class BuildCacheTest : public ScratchDirTest {
protected:
  BuildCacheTest() : ScratchDirTest("strata-buildcache", "schema") {}

  /// Both runs with the cache must match the run without it.
  void check(const std::string &Step) {
    std::string Plain = describe(Dir, Root, false);
    EXPECT_EQ(describe(Dir, Root, true), Plain) << Step;
    EXPECT_EQ(describe(Dir, Root, true), Plain) << Step;
  }
};

std::string replaced(std::string S, const std::string &From, const std::string &To) {
  size_t At = S.find(From);
  EXPECT_NE(At, std::string::npos) << From;
  if (At != std::string::npos)
    S.replace(At, From.size(), To);
  return S;
}
} // namespace

TEST_F(BuildCacheTest, EditsGiveWhatAFullRunGives) {
  Used = {};
  std::string A = FileA, B = FileB;
  write("a.strata", A);
  write("b.strata", B);
  check("start");
  struct Edit {
    const char *Name;
    std::string *Text;
    std::string From, To;
  };
  std::vector<Edit> Edits = {
      {"add a column", &A, "  tags: list[string]\n", "  tags: list[string]\n  level: int = 1\n"},
      {"a comment between items", &A, "\nrelation reports_to",
       "\n// who reports to whom\nrelation reports_to"},
      {"change a rule", &B, "reports_to(E, M)\n", "reports_to(E, M), E != M\n"},
      {"a syntax error", &B, "sum<S>", "sum<S"},
      {"fix it", &B, "sum<S", "sum<S>"},
      {"an unknown relation", &B, "manages(M, X), reports_to", "manages(M, X), reprots_to"},
      {"fix that", &B, "reprots_to", "reports_to"},
      {"an item added at the end", &B, "N != \"é\\\"x\"\n}\n",
       "N != \"é\\\"x\"\n}\n\nrelation extra(x: int)\n"},
      {"an item removed", &A, "relation reports_to(employee: int, manager: int)\n", ""},
      {"put back", &A, "\nindex employee_profile",
       "\nrelation reports_to(employee: int, manager: int)\n\nindex employee_profile"},
      {"index options", &A, "m: 16", "m: 32, ef_search: 20"},
      {"two items on a line", &A, "\n\nindex", "\nrelation solo(x: int) index"},
      {"an unterminated comment", &B, "/* Pay by manager. */", "/* Pay by manager."},
      {"closed again", &B, "/* Pay by manager.", "/* Pay by manager. */"},
      {"a wrong fill", &A, "salary: float = 0.0", "salary: float = \"zero\""},
  };
  for (const Edit &E : Edits) {
    *E.Text = replaced(*E.Text, E.From, E.To);
    write("a.strata", A);
    write("b.strata", B);
    check(E.Name);
  }
  // A new file, and a file removed.
  write("c.strata", "relation c(x: int)\n");
  check("a file added");
  llvm::sys::fs::remove(Dir + "/c.strata");
  check("a file removed");
  EXPECT_GT(Used.StateHits, 5u);
  EXPECT_GT(Used.FilesReparsed, 5u);
  EXPECT_GT(Used.FilesUnchanged, 5u);
}

TEST_F(BuildCacheTest, RandomDamageGivesWhatAFullRunGives) {
  Used = {};
  std::mt19937 Rng(7);
  std::string A = FileA, B = FileB;
  const std::string Alphabet = "(){}<>,:;=.\"/*\n _-!aAxX019é";
  for (int Step = 0; Step < 60; ++Step) {
    std::string &T = Rng() % 2 ? A : B;
    size_t At = Rng() % (T.size() + 1);
    switch (Rng() % 3) {
    case 0: // insert a few characters
      for (unsigned N = 1 + Rng() % 3; N; --N)
        T.insert(At, 1, Alphabet[Rng() % Alphabet.size()]);
      break;
    case 1: // delete some
      T.erase(At, Rng() % 4);
      break;
    default: // go back to the original text now and then
      A = FileA;
      B = FileB;
    }
    write("a.strata", A);
    write("b.strata", B);
    check("step " + std::to_string(Step));
  }
  EXPECT_GT(Used.FilesReparsed, 5u);
}

// A history entry whose head reads but whose state does not (damaged after
// its checks were computed): loadState falls back to the full load and
// gives the state the history reaches.
TEST_F(BuildCacheTest, HistoryStateThatDoesNotReadBackIsLoadedInFull) {
  std::string Migrations = std::string(Root) + "/migrations";
  ASSERT_FALSE(llvm::sys::fs::create_directories(Migrations));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Migrations + "/0001_initial.mig", EC);
    ASSERT_FALSE(EC);
    OS << "migration 0001_initial {\n  create relation a(x: int)\n}\n";
  }
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  ASSERT_TRUE(writeSumFile(Migrations, Diags));
  {
    BuildCache First(Root, true);
    ASSERT_TRUE(First.history(Migrations, Diags));
    First.save(); // the entry is stored on another thread
    ASSERT_EQ(First.report().History, "miss, stored");
  }
  // The entry is keyed by the sum file's first line; a byte after its
  // state makes the state unreadable, and storing it again keeps the
  // entry's own checks intact.
  auto Sum = llvm::MemoryBuffer::getFile(sumFilePath(Migrations));
  ASSERT_TRUE(Sum);
  std::string Key = (*Sum)->getBuffer().split('\n').first.str();
  CacheDir Store(std::string(Root) + "/.strata/cache");
  std::optional<CacheEntry> E = Store.load("history-" + shortHash(Key), Key);
  ASSERT_TRUE(E);
  ASSERT_TRUE(Store.store("history-" + shortHash(Key), Key, E->Payload.str() + "x"));

  BuildCache Second(Root, true);
  std::optional<HistoryView> H = Second.history(Migrations, Diags);
  ASSERT_TRUE(H);
  EXPECT_EQ(Second.report().History, "hit");
  ASSERT_TRUE(Second.loadState(*H, Diags));
  EXPECT_EQ(Diags.size(), 0u);
  EXPECT_TRUE(H->StateLoaded);
  EXPECT_TRUE(H->State.relation("a"));
  Second.save();
}

//===----------------------------------------------------------------------===//
// The history after a pull: migrations added after the leaf of a kept
// history are replayed onto its state, which must give exactly what a
// replay of the whole history gives.
//===----------------------------------------------------------------------===//
namespace {
/// Migration I (from 1) of a linear history touching relations, columns
/// (added, renamed, dropped) and rules reading relations by name and by
/// position, so that later operations check the rules kept in the state.
std::string historyStep(unsigned I) {
  std::string N = std::to_string(I), Prev = std::to_string(I - 1);
  std::string Name = (I < 10 ? "000" : "00") + N + "_step";
  std::string Text = "migration " + Name + " {\n";
  if (I > 1)
    Text += std::string("  depends ") + (I - 1 < 10 ? "000" : "00") + Prev + "_step\n";
  // rN grows and is read by name only; fN never changes and is read by
  // position.
  Text += "  create relation r" + N + "(id: int, ref: int, c: string)\n";
  Text += "  create relation f" + N + "(a: int, b: int)\n";
  if (I > 1) {
    Text += "  add column r" + Prev + ".x" + N + ": int = " + N + "\n";
    Text += "  rename column r" + Prev + ".c -> c" + N + "\n";
    Text += "  create rule d" + N + "(a: int, b: int) {\n    d" + N + "(A, B) <- r" + Prev +
            "{id: A, ref: B}, f" + N + "(B, _)\n";
    if (I > 2)
      Text += "    d" + N + "(A, B) <- d" + Prev + "(A, C), r" + N + "{id: C, ref: B}, A != B\n";
    Text += "  }\n";
  }
  if (I > 3)
    Text += "  drop column r" + std::to_string(I - 3) + ".x" + std::to_string(I - 2) +
            ": int = " + std::to_string(I - 2) + "\n";
  return Text + "}\n";
}

std::string stepFile(unsigned I) {
  return std::string(I < 10 ? "000" : "00") + std::to_string(I) + "_step.mig";
}

/// What a history run gives, as bytes: the diagnostics, the view, and the
/// state serialized without locations.
struct HistoryRun {
  std::string Text, Report;
};

HistoryRun runHistory(llvm::StringRef Root, llvm::StringRef Dir, bool Cached) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  BuildCache Cache(Root, Cached);
  // The cached runs replay on another thread, as makemigrations does.
  Cache.setReplayMeanwhile(Cached);
  std::optional<HistoryView> H = Cache.history(Dir, Diags);
  // A replay left to another thread reports at loadState.
  if (H && !Cache.loadState(*H, Diags))
    H.reset();
  Cache.save();
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  for (const Diagnostic &D : Diags.diagnostics())
    OS << "diag " << D.Message << '\n';
  if (H) {
    OS << "leaves";
    for (const std::string &L : H->Leaves)
      OS << ' ' << L;
    OS << "\nnext " << H->NextNumber << " empty " << H->Empty << " squash " << H->HasSquash
       << "\nfingerprint " << schemaFingerprint(H->State) << '\n';
    serialize::BinaryWriter W;
    serialize::writeSchemaState(H->State, serialize::LocationEncoder(), W);
    OS << llvm::toHex(W.take()) << '\n';
  }
  return {OS.str(), Cache.report().History};
}

class AppendedHistoryTest : public ScratchDirTest {
protected:
  AppendedHistoryTest() : ScratchDirTest("strata-appended", "migrations") {}
  void hash() {
    llvm::SourceMgr SM;
    DiagnosticEngine Diags(SM);
    ASSERT_TRUE(writeSumFile(Dir, Diags));
  }
  /// Migrations From..To written and hashed, as a pull brings them.
  void pull(unsigned From, unsigned To) {
    for (unsigned I = From; I <= To; ++I)
      write(stepFile(I), historyStep(I));
    hash();
  }
  /// The cached run must give what a run without the cache gives (the
  /// state is read back, to compare it); returns what the cache did.
  std::string check(const std::string &Step) {
    HistoryRun Plain = runHistory(Root, Dir, false);
    HistoryRun Cached = runHistory(Root, Dir, true);
    EXPECT_EQ(Cached.Text, Plain.Text) << Step;
    EXPECT_EQ(Plain.Text.find("diag "), std::string::npos) << Step << "\n" << Plain.Text;
    return Cached.Report;
  }
};
} // namespace

TEST_F(AppendedHistoryTest, ReplayOnTheKeptStateGivesTheFullReplay) {
  pull(1, 6);
  EXPECT_EQ(check("first run"), "miss, stored");
  EXPECT_EQ(check("again"), "hit, state read back");
  pull(7, 7);
  EXPECT_EQ(check("one added"), "miss, 1 added migrations replayed on a kept state, stored");
  pull(8, 12);
  EXPECT_EQ(check("five added"), "miss, 5 added migrations replayed on a kept state, stored");
  EXPECT_EQ(check("after the replay"), "hit, state read back");
  // Back to an older history (a branch switch): its entry is still kept.
  for (unsigned I = 8; I <= 12; ++I)
    llvm::sys::fs::remove(Dir + "/" + stepFile(I));
  hash();
  EXPECT_EQ(check("an older history"), "hit, state read back");
  // From there the nearest kept history is the one of 7 migrations.
  pull(8, 9);
  EXPECT_EQ(check("two added again"), "miss, 2 added migrations replayed on a kept state, stored");
}

TEST_F(AppendedHistoryTest, AnythingElseIsAFullLoad) {
  pull(1, 5);
  check("first run");
  // A migration beside the leaf, not after it (it depends on 0004): the
  // whole history has two leaves, and only a full load knows the graph.
  write("0006_side.mig", "migration 0006_side {\n  depends 0004_step\n"
                         "  create relation side(x: int)\n}\n");
  hash();
  HistoryRun Plain = runHistory(Root, Dir, false), Cached = runHistory(Root, Dir, true);
  EXPECT_EQ(Cached.Text, Plain.Text);
  EXPECT_EQ(Cached.Report, "miss");
  llvm::sys::fs::remove(Dir + "/0006_side.mig");
  hash();

  // An added migration that does not apply: the full load's diagnostics.
  write("0006_bad.mig", "migration 0006_bad {\n  depends 0005_step\n"
                        "  add column nowhere.x: int = 0\n}\n");
  hash();
  Plain = runHistory(Root, Dir, false);
  Cached = runHistory(Root, Dir, true);
  EXPECT_EQ(Cached.Text, Plain.Text);
  EXPECT_NE(Plain.Text.find("diag "), std::string::npos);
  llvm::sys::fs::remove(Dir + "/0006_bad.mig");

  // A kept migration edited along with the pull (and a sum file that does
  // not say so): the full load reports it.
  write(stepFile(6), historyStep(6));
  hash();
  write(stepFile(2), historyStep(2) + "// edited\n");
  Plain = runHistory(Root, Dir, false);
  Cached = runHistory(Root, Dir, true);
  EXPECT_EQ(Cached.Text, Plain.Text);
  EXPECT_NE(Plain.Text.find("diag "), std::string::npos);
  // Rehashed, it is a history of its own.
  hash();
  EXPECT_EQ(check("an edited history"), "miss, stored");
}
