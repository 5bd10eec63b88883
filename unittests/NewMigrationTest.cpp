//===- NewMigrationTest.cpp - makemigrations' check of what it writes -----===//
#include "strata/Verify/NewMigration.h"
#include "TestFiles.h"
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace strata;

using strata::test::writeFile;

// A migration that applies and lowers but does not reach the schema's
// state is refused, located at the migration's name.
TEST(NewMigration, AMigrationThatMissesTheSchemaIsRefused) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-newmig", Dir));
  writeFile(Dir + "/0001_initial.mig",
            "migration 0001_initial {\n  create relation a(id: int)\n}\n");
  writeFile(Dir + "/0002_b.mig",
            "migration 0002_b {\n  depends 0001_initial\n  create relation b(x: int)\n}\n");
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<MigrationGraph> G = MigrationGraph::load(Dir, Diags);
  ASSERT_TRUE(G.has_value());
  const Migration *First = G->find("0001_initial"), *Second = G->find("0002_b");
  ASSERT_TRUE(First && Second);
  SchemaState Start;
  for (const OperationPtr &Op : First->Operations)
    ASSERT_TRUE(Op->apply(Start, Diags));
  SchemaState Reached = Start;
  for (const OperationPtr &Op : Second->Operations)
    ASSERT_TRUE(Op->apply(Reached, Diags));

  EXPECT_TRUE(checkNewMigration(*Second, Start, &Reached, Diags).has_value());
  EXPECT_FALSE(Diags.hasErrors());
  // Expected is the state before: 0002_b does not lead there.
  EXPECT_FALSE(checkNewMigration(*Second, Start, &Start, Diags).has_value());
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  renderDiagnostics(Diags, OS, RenderOptions());
  EXPECT_NE(Out.find("0002_b.mig:1:11: error: migration `0002_b` does not turn the history's "
                     "state into the schema's [NewMigrationMisses]"),
            std::string::npos)
      << Out;
  llvm::sys::fs::remove_directories(Dir);
}

// A migration whose streams do not run on the catalog model is refused
// with the verifier's report: here a `run iql` whose backward inserts a
// row of the wrong width.
TEST(NewMigration, AMigrationThatDoesNotVerifyIsRefused) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-newmig", Dir));
  writeFile(Dir + "/0001_initial.mig",
            "migration 0001_initial {\n  create relation a(id: int)\n  run iql {\n"
            "    forward { +a[(1)] }\n    backward { +a[(1, 2)] }\n  }\n}\n");
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<MigrationGraph> G = MigrationGraph::load(Dir, Diags);
  ASSERT_TRUE(G.has_value());
  const Migration *First = G->find("0001_initial");
  ASSERT_TRUE(First);
  SchemaState Start, Reached;
  for (const OperationPtr &Op : First->Operations)
    ASSERT_TRUE(Op->apply(Reached, Diags));

  EXPECT_FALSE(checkNewMigration(*First, Start, &Reached, Diags).has_value());
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  renderDiagnostics(Diags, OS, RenderOptions());
  EXPECT_NE(Out.find("backward statement"), std::string::npos) << Out;
  llvm::sys::fs::remove_directories(Dir);
}
