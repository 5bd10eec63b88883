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
#include "strata/Support/DiagnosticRenderer.h"
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
        OS << ' ' << At(L.Range) << ' ' << At(L.TheAtom.Range) << ' ' << At(L.Lhs.Range);
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

class BuildCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-buildcache", Root));
    llvm::SmallString<256> D(Root);
    llvm::sys::path::append(D, "schema");
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

  /// Both runs with the cache must match the run without it.
  void check(const std::string &Step) {
    std::string Plain = describe(Dir, Root, false);
    EXPECT_EQ(describe(Dir, Root, true), Plain) << Step;
    EXPECT_EQ(describe(Dir, Root, true), Plain) << Step;
  }

  llvm::SmallString<256> Root;
  std::string Dir;
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
    ASSERT_EQ(First.report().History, "miss, stored");
    First.save();
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
