//===- MigrateTest.cpp - Operations and the migration graph as an API -----===//
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Migrate/Operation.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

using namespace strata;

namespace {
class MigrateTest : public ::testing::Test {
protected:
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};

  std::string messages() {
    std::string S;
    for (const Diagnostic &D : Diags.diagnostics())
      S += D.Message + "\n";
    return S;
  }

  /// The operations of a migration whose body is Body.
  std::vector<OperationPtr> ops(const std::string &Body) {
    std::string Text = "migration 0001_t {\n" + Body + "\n}\n";
    std::optional<unsigned> ID = addSourceText(Text, "t.mig", Diags);
    EXPECT_TRUE(ID);
    ast::SourceFile F = parseBuffer(*ID, ast::FileKind::Migration, Diags);
    std::vector<OperationPtr> Out;
    for (const ast::Item &I : F.Items)
      if (auto *M = std::get_if<ast::MigrationDecl>(&I))
        for (const ast::Operation &Op : M->Operations)
          if (OperationPtr P = buildOperation(Op, Diags))
            Out.push_back(P);
    EXPECT_FALSE(Diags.hasErrors()) << messages() << Text;
    return Out;
  }

  SchemaState base() {
    SchemaState S;
    for (const OperationPtr &Op : ops(R"(
  create relation employee(id: int, name: string, salary: int)
  create relation doc(id: int, emb: vector(3))
  create rule senior(name: string) {
    senior(N) <- employee{name: N, salary: S}, S > 100000
  }
  create index doc_search on doc(emb) hnsw(metric: l2))"))
      EXPECT_TRUE(Op->apply(S, Diags)) << messages();
    return S;
  }
};

const char *const EveryKind[] = {
    "create relation dept(id: int, name: string)",
    "drop relation doc(id: int, emb: vector(3))",
    "rename relation employee -> staff",
    "add column employee.level: int = 1 after name",
    "add column employee.code: string = \"x\" first",
    "add column employee.bonus: float = -0.5",
    "drop column employee.name: string = \"\" after id",
    "rename column employee.name -> full_name",
    "retype column employee.salary: int -> float using S => to_float(S) reverse S => to_int(S)",
    "create rule rich(name: string) {\n  rich(N) <- employee{name: N, salary: S}, S > 500000\n}",
    "drop rule senior(name: string) {\n  senior(N) <- employee{name: N, salary: S}, S > 100000\n}",
    "replace rule senior {\n  senior(N) <- employee{name: N, salary: S}, S > 1\n} was {\n"
    "  senior(N) <- employee{name: N, salary: S}, S > 100000\n}",
    "rename rule senior -> veteran",
    "create index doc_fast on doc(emb) hnsw(metric: cosine, m: 8)",
    "drop index doc_search on doc(emb) hnsw(metric: euclidean)",
    "alter index doc_search hnsw(m: 32) was hnsw(metric: l2)",
    "run iql {\n  forward { +doc[(1, [1.0, 2.0, 3.0])] }\n  backward { -doc(X, Y) <- doc(X, Y) "
    "}\n}",
};

TEST_F(MigrateTest, ApplyThenInverseRestoresTheState) {
  for (const char *Text : EveryKind) {
    SCOPED_TRACE(Text);
    std::vector<OperationPtr> Ops = ops(std::string("  ") + Text);
    ASSERT_EQ(Ops.size(), 1u);
    // Dropping the rule first keeps the relation changes from breaking it.
    bool NeedsNoRule = llvm::StringRef(Text).startswith("rename relation") ||
                       llvm::StringRef(Text).startswith("drop column") ||
                       llvm::StringRef(Text).startswith("rename column");
    SchemaState Before = base();
    if (NeedsNoRule)
      Before.eraseDerived("senior");
    if (llvm::StringRef(Text).startswith("drop relation"))
      Before.eraseIndex("doc_search");
    SchemaState S = Before;
    ASSERT_TRUE(Ops[0]->apply(S, Diags)) << messages();
    if (!llvm::isa<RunIql>(*Ops[0])) {
      EXPECT_NE(S, Before);
    }
    OperationPtr Inv = Ops[0]->inverse();
    ASSERT_TRUE(Inv);
    ASSERT_TRUE(Inv->apply(S, Diags)) << messages();
    std::string A, B;
    llvm::raw_string_ostream OA(A), OB(B);
    S.dump(OA);
    Before.dump(OB);
    EXPECT_EQ(OA.str(), OB.str());
    EXPECT_EQ(S, Before);
    // The inverse of the inverse prints as the operation itself.
    EXPECT_EQ(Inv->inverse()->str(), Ops[0]->str());
  }
}

TEST_F(MigrateTest, PrintReparsesToTheSameOperation) {
  for (const char *Text : EveryKind) {
    SCOPED_TRACE(Text);
    std::vector<OperationPtr> Ops = ops(std::string("  ") + Text);
    ASSERT_EQ(Ops.size(), 1u);
    std::string Printed = Ops[0]->str();
    std::vector<OperationPtr> Again = ops(Printed);
    ASSERT_EQ(Again.size(), 1u);
    EXPECT_EQ(Again[0]->str(), Printed);
    EXPECT_EQ(Again[0]->kind(), Ops[0]->kind());
    EXPECT_EQ(Again[0]->nameFragment(), Ops[0]->nameFragment());
  }
}

TEST_F(MigrateTest, NamesAndDescriptions) {
  auto One = [&](const char *Text) { return ops(std::string("  ") + Text).front(); };
  EXPECT_EQ(One("add column employee.level: int = 1")->nameFragment(), "add_employee_level");
  EXPECT_EQ(One("create relation department(id: int)")->nameFragment(), "create_department");
  EXPECT_EQ(One("drop relation employee(id: int)")->nameFragment(), "drop_employee");
  EXPECT_EQ(One("rename relation employee -> staff")->nameFragment(), "rename_employee_staff");
  EXPECT_EQ(One("alter index doc_search hnsw()")->nameFragment(), "alter_doc_search");
  EXPECT_EQ(One("add column employee.level: int = 1")->describe(), "add column employee.level");
  EXPECT_FALSE(One("drop relation employee(id: int)")->isDataSafe());
  EXPECT_FALSE(One("retype column e.a: int -> float")->isDataSafe());
  EXPECT_FALSE(One("run iql {\n forward { x }\n}")->inverse());
  EXPECT_FALSE(One("replace rule r {\n r(X) <- a(X)\n}")->inverse());
}

TEST_F(MigrateTest, ColumnPlaceOf) {
  ColumnList C;
  for (const char *N : {"a", "b", "c"})
    C.Columns.push_back({N, Type::intTy(), {}});
  EXPECT_EQ(ColumnPlace::of(C, 0).TheKind, ColumnPlace::Kind::First);
  EXPECT_EQ(ColumnPlace::of(C, 1).After, "a");
  EXPECT_EQ(ColumnPlace::of(C, 2).TheKind, ColumnPlace::Kind::End);
}

TEST_F(MigrateTest, StratificationIsCheckedOnCreate) {
  SchemaState S = base();
  std::vector<OperationPtr> Ops = ops(R"(  create rule odd(name: string) {
    odd(N) <- employee{name: N}, !odd(N)
  })");
  ASSERT_EQ(Ops.size(), 1u);
  EXPECT_FALSE(Ops[0]->apply(S, Diags));
  EXPECT_NE(messages().find("negates `odd`"), std::string::npos) << messages();
}

TEST(MigrationGraphTest, StateAfterEachMigrationAndLeaves) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-mig", Dir));
  auto Write = [&](const char *Name, const char *Text) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Name);
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    OS << Text;
  };
  Write("0001_initial.mig", "migration 0001_initial {\n  create relation a(x: int)\n}\n");
  Write("0002_b.mig",
        "migration 0002_b {\n  depends 0001_initial\n  create relation b(x: int)\n}\n");
  Write("0003_c.mig",
        "migration 0003_c {\n  depends 0001_initial\n  create relation c(x: int)\n}\n");
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  ASSERT_TRUE(writeSumFile(Dir, Diags));
  std::optional<MigrationGraph> G = loadHistory(Dir, Diags);
  ASSERT_TRUE(G);
  ASSERT_EQ(G->order().size(), 3u);
  EXPECT_EQ(G->order()[0]->Name, "0001_initial");
  EXPECT_EQ(G->nextNumber(), 4u);
  ASSERT_EQ(G->leaves().size(), 2u);
  std::optional<SchemaState> S2 = G->stateAfter(G->find("0002_b"), Diags);
  ASSERT_TRUE(S2);
  EXPECT_TRUE(S2->relation("b"));
  EXPECT_FALSE(S2->relation("c"));
  std::optional<SchemaState> All = G->stateAfter(nullptr, Diags);
  ASSERT_TRUE(All);
  EXPECT_EQ(All->relationCount(), 3u);
  llvm::sys::fs::remove_directories(Dir);
}

/// A migrations directory in a fresh temporary directory, removed at the end.
struct TempMigrations {
  llvm::SmallString<128> Dir;
  TempMigrations() { EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-mig", Dir)); }
  ~TempMigrations() { llvm::sys::fs::remove_directories(Dir); }
  void write(const char *Name, const char *Text) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Name);
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    OS << Text;
  }
};

// A merge that depends on two migrations one squash replaces depends on the
// squash once, not twice.
TEST(MigrationGraphTest, DependenciesOnOneSquashCountOnce) {
  TempMigrations T;
  T.write("0001_initial.mig", "migration 0001_initial {\n  create relation a(x: int)\n}\n");
  T.write("0002_b.mig",
          "migration 0002_b {\n  depends 0001_initial\n  create relation b(x: int)\n}\n");
  T.write("0003_c.mig", "migration 0003_c {\n  depends 0002_b\n  create relation c(x: int)\n}\n");
  T.write("0004_d.mig",
          "migration 0004_d {\n  depends 0002_b, 0003_c\n  create relation d(x: int)\n}\n");
  T.write("0005_squashed.mig", "migration 0005_squashed {\n  depends 0001_initial\n"
                               "  replaces 0002_b, 0003_c\n  create relation b(x: int)\n"
                               "  create relation c(x: int)\n}\n");
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  ASSERT_TRUE(writeSumFile(T.Dir, Diags));
  std::optional<MigrationGraph> G = loadHistory(T.Dir, Diags);
  ASSERT_TRUE(G);
  ASSERT_EQ(Diags.size(), 0u);
  std::vector<const Migration *> Deps = G->effectiveDepends(G->find("0004_d"));
  ASSERT_EQ(Deps.size(), 1u);
  EXPECT_EQ(Deps[0]->Name, "0005_squashed");
}

/// While alive, the calling thread does without the capabilities that let
/// root read any directory, so that a mode of 000 applies to it too.
/// Lowering one's own effective set needs no privilege; it is raised back
/// from the permitted set, which is left as it was.
class NoDirectoryOverride {
public:
  NoDirectoryOverride() {
    if (syscall(SYS_capget, &Header, Saved) != 0)
      return;
    __user_cap_data_struct Lowered[2] = {Saved[0], Saved[1]};
    Lowered[0].effective &= ~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
    Ok = syscall(SYS_capset, &Header, Lowered) == 0;
  }
  ~NoDirectoryOverride() {
    if (Ok)
      syscall(SYS_capset, &Header, Saved);
  }
  bool ok() const { return Ok; }

private:
  __user_cap_header_struct Header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct Saved[2] = {};
  bool Ok = false;
};

// A migrations directory that exists but cannot be listed is an error, not
// an empty history.
TEST(MigrationGraphTest, UnreadableDirectoryIsReported) {
  TempMigrations T;
  T.write("0001_initial.mig", "migration 0001_initial {\n  create relation a(x: int)\n}\n");
  ASSERT_EQ(::chmod(T.Dir.c_str(), 0), 0);
  std::optional<MigrationGraph> G;
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  {
    NoDirectoryOverride Guard;
    if (!Guard.ok()) {
      ::chmod(T.Dir.c_str(), 0700);
      GTEST_SKIP() << "cannot lower this thread's capabilities";
    }
    G = MigrationGraph::load(T.Dir, Diags);
  }
  ::chmod(T.Dir.c_str(), 0700);
  EXPECT_FALSE(G);
  ASSERT_EQ(Diags.size(), 1u);
  EXPECT_EQ(Diags.diagnostics()[0].Kind, DiagKind::DirectoryUnreadable);
}
} // namespace

// A load that takes its files from a feed, filled by another thread as it
// reads them, builds the same graph as a load that reads them itself, and
// keeps each file's status for the digest table.
TEST(MigrationGraphTest, FeedHandsOverFilesAsTheyAreRead) {
  TempMigrations T;
  T.write("0001_initial.mig", "migration 0001_initial {\n  create relation a(x: int)\n}\n");
  T.write("0002_b.mig", "migration 0002_b {\n  depends 0001_initial\n  create rule d(x: int) {\n"
                        "    d(X) <- a(X)\n  }\n}\n");
  llvm::SourceMgr ReaderSM;
  DiagnosticEngine Reader(ReaderSM);
  ASSERT_TRUE(writeSumFile(T.Dir, Reader));
  MigrationFileFeed Feed;
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<MigrationGraph> G;
  std::thread Loader([&] { G = loadHistory(T.Dir, Diags, nullptr, &Feed); });
  for (const char *Name : {"0001_initial.mig", "0002_b.mig"}) {
    llvm::SmallString<128> Path(T.Dir);
    llvm::sys::path::append(Path, Name);
    std::optional<FileStatus> Status;
    std::optional<unsigned> ID = loadSourceFile(Path, Reader, MaxSourceFileBytes, &Status);
    ASSERT_TRUE(ID && Status);
    Feed.add(Path, ReaderSM.getMemoryBuffer(*ID)->getMemBufferRef(), Status);
  }
  Feed.close(/*Failed=*/false);
  Loader.join();
  ASSERT_TRUE(G) << (Diags.diagnostics().empty() ? "" : Diags.diagnostics()[0].Message);
  EXPECT_FALSE(Feed.failed());
  ASSERT_EQ(G->order().size(), 2u);
  EXPECT_EQ(G->order()[1]->Name, "0002_b");
  // The buffers are views of the reader's: no file was read again.
  EXPECT_EQ(SM.getNumBuffers(), 2u);
  EXPECT_EQ(SM.getMemoryBuffer(1)->getBufferStart(), ReaderSM.getMemoryBuffer(1)->getBufferStart());
  EXPECT_TRUE(Feed.statusOf(G->order()[0]->Path));
  std::optional<SchemaState> S = G->stateAfter(G->order()[1], Diags);
  ASSERT_TRUE(S);
  EXPECT_TRUE(S->derivedRelation("d"));
}

// A feed closed without a file leaves the load to read it itself; a feed
// that failed hands over nothing, even what it holds.
TEST(MigrationGraphTest, FeedClosedOrFailed) {
  MigrationFileFeed Closed;
  Closed.add("m/0001_a.mig", llvm::MemoryBufferRef("x", "m/0001_a.mig"), std::nullopt);
  Closed.close(/*Failed=*/false);
  EXPECT_TRUE(Closed.take("m/0001_a.mig"));
  EXPECT_FALSE(Closed.take("m/0002_b.mig"));
  EXPECT_FALSE(Closed.failed());
  EXPECT_FALSE(Closed.statusOf("m/0001_a.mig"));

  MigrationFileFeed Failed;
  Failed.add("m/0001_a.mig", llvm::MemoryBufferRef("x", "m/0001_a.mig"), std::nullopt);
  std::optional<llvm::MemoryBufferRef> Taken;
  std::thread Waiter([&] { Taken = Failed.take("m/0002_b.mig"); });
  Failed.close(/*Failed=*/true);
  Waiter.join();
  EXPECT_FALSE(Taken);
  EXPECT_FALSE(Failed.take("m/0001_a.mig"));
  EXPECT_TRUE(Failed.failed());
}
