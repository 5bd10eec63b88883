//===- ExecTest.cpp - Target URLs, reply checks, the ledger's statements --===//
#include "TestFiles.h"
#include "strata/Exec/Ledger.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/Target.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::exec;

namespace {
std::string urlError(llvm::StringRef Url) {
  llvm::Expected<TargetUrl> U = parseTargetUrl(Url);
  if (U)
    return "";
  return llvm::toString(U.takeError());
}

TEST(ExecTargetUrl, FileTargets) {
  llvm::Expected<TargetUrl> U = parseTargetUrl("file:.strata/dev.kg");
  ASSERT_TRUE(bool(U));
  EXPECT_EQ(U->TheScheme, TargetUrl::Scheme::File);
  EXPECT_EQ(U->Path, ".strata/dev.kg");
  EXPECT_EQ(U->Graph, "");
  U = parseTargetUrl("file:///tmp/x.kg?kg=staging");
  ASSERT_TRUE(bool(U));
  EXPECT_EQ(U->Path, "/tmp/x.kg");
  EXPECT_EQ(U->Graph, "staging");
}

TEST(ExecTargetUrl, WebSocketTargets) {
  llvm::Expected<TargetUrl> U = parseTargetUrl("ws://db.example:9000/ws?kg=prod");
  ASSERT_TRUE(bool(U));
  EXPECT_EQ(U->TheScheme, TargetUrl::Scheme::Ws);
  EXPECT_EQ(U->Host, "db.example");
  EXPECT_EQ(U->Port, 9000u);
  EXPECT_EQ(U->Path, "/ws");
  EXPECT_EQ(U->Graph, "prod");
  U = parseTargetUrl("ws://localhost");
  ASSERT_TRUE(bool(U));
  EXPECT_EQ(U->Port, 8080u);
  EXPECT_EQ(U->Path, "/ws");
  U = parseTargetUrl("wss://[::1]:8443/ws");
  ASSERT_TRUE(bool(U));
  EXPECT_EQ(U->TheScheme, TargetUrl::Scheme::Wss);
  EXPECT_EQ(U->Host, "::1");
  EXPECT_EQ(U->Port, 8443u);
}

TEST(ExecTargetUrl, BadUrlsSayWhy) {
  EXPECT_NE(urlError("http://x/ws").find("unsupported scheme `http:`"), std::string::npos);
  EXPECT_NE(urlError("dev.kg").find("no scheme"), std::string::npos);
  EXPECT_NE(urlError("file:").find("no state-file path"), std::string::npos);
  EXPECT_NE(urlError("ws://h:99999/ws").find("not a port number"), std::string::npos);
  EXPECT_NE(urlError("ws://h/ws?graph=x").find("unknown parameter `graph`"), std::string::npos);
  EXPECT_NE(urlError("ws://:80/ws").find("no host"), std::string::npos);
}

TEST(ExecTargetUrl, CredentialsInUrlAreRefusedAndNeverShown) {
  std::string E = urlError("ws://alice:s3cret@h:8080/ws");
  EXPECT_NE(E.find("credentials in the URL are not accepted"), std::string::npos);
  EXPECT_EQ(E.find("s3cret"), std::string::npos);
  EXPECT_EQ(E.find("alice"), std::string::npos);
}

Reply messageReply(const std::string &Text) { return Reply::message(Text); }

TEST(ExecReplyCheck, ServerFailureMessagesAreFailures) {
  EXPECT_TRUE(replyFailure(messageReply("Error: Failed to remove rule clause: out of bounds")));
  EXPECT_TRUE(replyFailure(messageReply("Rule 'x' not found: Failed to drop rule")));
  EXPECT_TRUE(replyFailure(messageReply("Cannot insert variable 'X' - use constants only")));
  EXPECT_TRUE(replyFailure(messageReply("Unsafe rule 'r': Head variable(s) Y not bound by any "
                                        "positive body atom.")));
  EXPECT_TRUE(replyFailure(messageReply("Conflicting aggregation: cannot add clause with "
                                        "'sum<X>' to session rule 'r'")));
  EXPECT_TRUE(replyFailure(messageReply("Index error: relation has no schema")));
  EXPECT_TRUE(replyFailure(Reply::error("Parse error")));
}

TEST(ExecReplyCheck, SuccessMessagesAndQuotedNamesAreNot) {
  EXPECT_FALSE(replyFailure(messageReply("Inserted 3 fact(s) into 'edge'.")));
  EXPECT_FALSE(replyFailure(messageReply("Inserted 1 fact(s) into 'invalid_not_found'.")));
  EXPECT_FALSE(replyFailure(messageReply("Rule 'reach' registered.")));
  Reply Table;
  Table.Columns = {"name"};
  Table.Rows.push_back({Cell("Error: only data")});
  EXPECT_FALSE(replyFailure(Table)); // a query's rows are data
}

TEST(ExecReplyCheck, ErrorFramesListValidationErrors) {
  Reply R = Reply::error("program rejected");
  R.ValidationErrors.push_back({3, 2, "unexpected `)`"});
  std::optional<std::string> Why = replyFailure(R);
  ASSERT_TRUE(Why);
  EXPECT_NE(Why->find("line 3: unexpected `)`"), std::string::npos);
}

TEST(ExecLedger, StatementsQuoteEveryValue) {
  LedgerEntry E{"0001_initial", "ab\"c", "2026-11-23T10:00:00Z"};
  EXPECT_EQ(ledgerDeclaration(),
            "+strata_migrations(name: string, checksum: string, applied_at: string)");
  EXPECT_EQ(ledgerInsert(E),
            "+strata_migrations(\"0001_initial\", \"ab\\\"c\", \"2026-11-23T10:00:00Z\")");
  EXPECT_EQ(ledgerDelete(E),
            "-strata_migrations(\"0001_initial\", \"ab\\\"c\", \"2026-11-23T10:00:00Z\")");
}
} // namespace

// ---- The executor against a target that misbehaves -------------------------

#include "strata/Engine/Engine.h"
#include "strata/Exec/Executor.h"
#include "strata/Exec/PreChecks.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace {
/// The embedded engine, except that the first move out of `employee`
/// leaves one fact behind, as a server that skipped a row would.
class LeakyTarget final : public Target {
public:
  LeakyTarget() : S(E) {}
  std::string describe() const override { return "leaky:"; }
  llvm::Expected<Reply> execute(llvm::StringRef Program) override {
    Reply R = S.execute(Program);
    if (!Leaked && Program.contains("-employee(C0")) {
      Leaked = true;
      S.execute("+employee(7, \"left behind\", 70)");
    }
    return R;
  }
  llvm::Error lock(llvm::StringRef, const LockOptions &) override { return llvm::Error::success(); }
  void unlock() override {}
  engine::Engine E;
  engine::Session S;
  bool Leaked = false;
};

using strata::test::writeFile;

TEST(ExecRunPlan, AMoveThatLeavesFactsBehindStopsBeforeTheDrop) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-exec", Dir));
  writeFile(Dir + "/0001_initial.mig",
            "migration 0001_initial {\n  create relation employee(id: int, name: string, "
            "salary: int)\n}\n");
  writeFile(Dir + "/0002_add_level.mig",
            "migration 0002_add_level {\n  depends 0001_initial\n  add column employee.level: "
            "int = 1\n}\n");
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<MigrationGraph> G = MigrationGraph::load(Dir, Diags);
  ASSERT_TRUE(G.has_value());
  LeakyTarget T;
  T.S.execute("+employee(id: int, name: string, salary: int)");
  T.S.execute("+employee[(1, \"ann\", 50), (2, \"bob\", 60)]");
  T.S.execute("+strata_migrations(name: string, checksum: string, applied_at: string)");
  T.S.execute("+strata_migrations(\"0001_initial\", \"" + G->find("0001_initial")->Checksum +
              "\", \"t\")");
  std::optional<TargetStatus> Status = readTargetStatus(T, *G, Diags);
  ASSERT_TRUE(Status.has_value());
  ExecOptions Opts;
  std::optional<ExecPlan> P = planMigrate(*Status, *G, nullptr, Opts, Diags);
  ASSERT_TRUE(P.has_value());
  ASSERT_EQ(P->Steps.size(), 1u);
  EXPECT_EQ(runPlan(T, *P, Opts, Diags), 0u);

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  renderDiagnostics(Diags, OS, RenderOptions());
  EXPECT_NE(Text.find("error: 1 facts of `employee` were not moved by statement 2 of "
                      "0002_add_level: their cast or fill did not apply; nothing was dropped "
                      "[ExecMovedIncompletely]"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("note: for example: (7, \"left behind\", 70)"), std::string::npos) << Text;
  // The operation stopped part-way, which is said, and before its `.rel
  // drop`: every fact is still on the target, one in `employee`, the
  // others staged.
  EXPECT_NE(Text.find("it stopped after 2 of its statements"), std::string::npos) << Text;
  Reply Left = T.S.execute("?employee(A, B, C)");
  EXPECT_EQ(Left.Rows.size(), 1u);
  Reply Staged = T.S.execute("?employee_strata_stage(A, B, C, D)");
  EXPECT_EQ(Staged.Rows.size(), 2u);
  llvm::sys::fs::remove_directories(Dir);
}
} // namespace

namespace {
/// The embedded engine, except that reading all of `item` (as the
/// pre-checks' shadow copies it) also answers a record, which IQL has no
/// literal for, as a server with a record column would.
class RecordTarget final : public Target {
public:
  RecordTarget() : S(E) {}
  std::string describe() const override { return "records:"; }
  llvm::Expected<Reply> execute(llvm::StringRef Program) override {
    Reply R = S.execute(Program);
    if (Program.startswith("?item(V0"))
      R.Rows.push_back({Cell(9), Cell(Cell::ObjectT{{"a", 1}})});
    return R;
  }
  llvm::Error lock(llvm::StringRef, const LockOptions &) override { return llvm::Error::success(); }
  void unlock() override {}
  engine::Engine E;
  engine::Session S;
};

/// Two migrations: create `item(id: int, code: string)`, then retype
/// `code` to int with a cast that fails for some values.
void writeRetypeHistory(llvm::StringRef Dir) {
  writeFile(Dir + "/0001_initial.mig",
            "migration 0001_initial {\n  create relation item(id: int, code: string)\n}\n");
  writeFile(Dir + "/0002_code_to_int.mig",
            "migration 0002_code_to_int {\n  depends 0001_initial\n  retype column item.code: "
            "string -> int using C => to_int(C)\n}\n");
}

TEST(ExecPreChecks, FactsThatCannotBeCopiedAreCheckedOnTheTargetItself) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-exec", Dir));
  writeRetypeHistory(Dir);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<MigrationGraph> G = MigrationGraph::load(Dir, Diags);
  ASSERT_TRUE(G.has_value());
  RecordTarget T;
  T.S.execute("+item(id: int, code: string)");
  T.S.execute("+item[(1, \"42\"), (2, \"x7\")]");
  T.S.execute(ledgerDeclaration());
  T.S.execute(ledgerInsert({"0001_initial", G->find("0001_initial")->Checksum, "t"}));
  std::optional<TargetStatus> Status = readTargetStatus(T, *G, Diags);
  ASSERT_TRUE(Status.has_value());
  ExecOptions Opts;
  std::optional<ExecPlan> P = planMigrate(*Status, *G, nullptr, Opts, Diags);
  ASSERT_TRUE(P.has_value());
  size_t Unpredicted = 0;
  EXPECT_FALSE(preCheckPlan(T, *P, Diags, Unpredicted));
  EXPECT_EQ(Unpredicted, P->Steps.size());

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  renderDiagnostics(Diags, OS, RenderOptions());
  EXPECT_NE(Text.find("the conversion `item(C0, C1), C2 = to_int(C1)` fails (gives null) for 1 "
                      "of the 2 facts of `item`"),
            std::string::npos)
      << Text;
  llvm::sys::fs::remove_directories(Dir);
}
} // namespace

namespace {
std::vector<std::string> plannedKinds(PreCheckPlanner &Planner, const LoweredMigration &L) {
  std::vector<std::string> Out;
  for (const LoweredOperation &Op : L.Ops)
    for (const PlannedPreCheck &P : Planner.plan(Op))
      Out.push_back(preCheckKindName(P.Kind).str() + " " + P.Relation);
  return Out;
}

TEST(ExecPreChecks, ThePlannerListsTheChecksOfEachStatementOnce) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-exec", Dir));
  writeRetypeHistory(Dir);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<MigrationGraph> G = MigrationGraph::load(Dir, Diags);
  ASSERT_TRUE(G.has_value());
  RecordTarget T; // empty: every migration is pending
  std::optional<TargetStatus> Status = readTargetStatus(T, *G, Diags);
  ASSERT_TRUE(Status.has_value());
  std::optional<ExecPlan> P = planMigrate(*Status, *G, nullptr, ExecOptions(), Diags);
  ASSERT_TRUE(P.has_value());
  ASSERT_EQ(P->Steps.size(), 2u);

  PreCheckPlanner OnShadow;
  EXPECT_EQ(plannedKinds(OnShadow, P->Steps[0].Lowered),
            std::vector<std::string>({"target-empty item"}));
  // The retype moves item into its stage and back: each move carries
  // every fact, computes no null where it converts, and fits the columns
  // declared just before it; the stage is new, so it starts empty.
  EXPECT_EQ(plannedKinds(OnShadow, P->Steps[1].Lowered),
            std::vector<std::string>({"target-empty item_strata_stage", "moves-every-fact item",
                                      "conversion-never-null item", "types-fit item_strata_stage",
                                      "moves-every-fact item_strata_stage", "types-fit item"}));

  // Without a shadow the checks read the target as it was before the
  // plan: a source an earlier statement touched is not checked there.
  PreCheckPlanner OnTarget(/*SkipTouchedSources=*/true);
  plannedKinds(OnTarget, P->Steps[0].Lowered);
  EXPECT_EQ(plannedKinds(OnTarget, P->Steps[1].Lowered),
            std::vector<std::string>({"target-empty item_strata_stage"}));
  llvm::sys::fs::remove_directories(Dir);
}
} // namespace
