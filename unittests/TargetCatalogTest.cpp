//===- TargetCatalogTest.cpp - Reading and comparing a target's catalog ---===//
#include "strata/Exec/TargetCatalog.h"
#include "TestFiles.h"
#include "strata/Engine/Engine.h"
#include "strata/Exec/Executor.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::exec;

namespace {
/// The embedded engine; `.rel` may be made to answer a line no catalog
/// reader understands.
class EngineTarget final : public Target {
public:
  EngineTarget() : S(E) {}
  std::string describe() const override { return "engine:"; }
  llvm::Expected<Reply> execute(llvm::StringRef Program) override {
    if (GarbledRel && Program == ".rel")
      return Reply::message("Relations:\n  ???");
    return S.execute(Program);
  }
  llvm::Error lock(llvm::StringRef, const LockOptions &) override { return llvm::Error::success(); }
  void unlock() override {}
  engine::Engine E;
  engine::Session S;
  bool GarbledRel = false;
};

TEST(TargetCatalog, ReadsRelationsRulesAndIndexes) {
  EngineTarget T;
  T.S.execute("+a(id: int, addr: {street: string, zip: int}, tags: list[string])");
  T.S.execute("+doc(id: int, emb: vector)");
  T.S.execute(".index create doc_emb on doc(emb) type hnsw metric euclidean");
  T.S.execute("+r(X) <- a(X, _, _)");
  T.S.execute("+r(X) <- doc(X, _)");
  llvm::Expected<TargetCatalog> C = readTargetCatalog(T);
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  ASSERT_EQ(C->Relations.count("a"), 1u);
  const auto &Cols = C->Relations["a"];
  ASSERT_EQ(Cols.size(), 3u);
  EXPECT_EQ(Cols[1].first, "addr");
  EXPECT_EQ(Cols[1].second, "{ street: string, zip: int }");
  EXPECT_EQ(Cols[2].second, "list[string]");
  EXPECT_EQ(C->Rules["r"], 2u);
  ASSERT_EQ(C->Indexes.count("doc_emb"), 1u);
  EXPECT_EQ(C->Indexes["doc_emb"].Relation, "doc");
  EXPECT_EQ(C->Indexes["doc_emb"].Column, "emb");
  EXPECT_EQ(C->Indexes["doc_emb"].Metric, "euclidean");
}

TEST(TargetCatalog, DifferencesNameTheObjectAndBothSides) {
  TargetCatalog C;
  C.Relations["a"] = {{"id", "int"}, {"y", "string"}};
  C.Relations["strata_migrations"] = {{"name", "string"}};
  C.Indexes["i"] = {"a", "y", "cosine"};
  SchemaState Want;
  auto A = std::make_shared<RelationDef>();
  A->Name = "a";
  A->Columns.Columns = {{"id", Type::intTy(), {}}, {"x", Type::intTy(), {}}};
  Want.put(std::shared_ptr<const RelationDef>(A));
  std::vector<std::string> D = catalogDifferences(C, Want);
  ASSERT_EQ(D.size(), 2u);
  EXPECT_EQ(D[0], "relation `a` has columns (id: int, y: string) on the target where the history "
                  "expects (id: int, x: int)");
  EXPECT_EQ(D[1], "index `i` on a.y (metric: cosine) is on the target where the history has none");
  // Only the objects named are compared (with the indexes on them).
  std::set<std::string> Only{"b"};
  EXPECT_TRUE(catalogDifferences(C, Want, &Only).empty());
}

TEST(TargetCatalog, AnUnreadableCatalogStopsTheMigration) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("strata-catalog", Dir));
  strata::test::writeFile(Dir + "/0001_initial.mig",
                          "migration 0001_initial {\n  create relation a(id: int)\n}\n");
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<MigrationGraph> G = MigrationGraph::load(Dir, Diags);
  ASSERT_TRUE(G.has_value());
  EngineTarget T;
  T.GarbledRel = true;
  std::optional<TargetStatus> Status = readTargetStatus(T, *G, Diags);
  ASSERT_TRUE(Status.has_value());
  ExecOptions Opts;
  std::optional<ExecPlan> P = planMigrate(*Status, *G, nullptr, Opts, Diags);
  ASSERT_TRUE(P.has_value());
  EXPECT_EQ(runPlan(T, *P, Opts, Diags), 0u);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  renderDiagnostics(Diags, OS, RenderOptions());
  EXPECT_NE(Text.find("error: cannot check engine: after applying `0001_initial`: cannot read the "
                      "target's catalog: `.rel` answered `  ???`; pass --skip-postchecks"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("[ExecPostCheckUnreadable]"), std::string::npos) << Text;
  // Rolled back: the relation is gone again, and --skip-postchecks runs it.
  EXPECT_EQ(T.S.execute(".rel").Rows.size(), 3u) << "the ledger and journal only";
  Opts.SkipPostChecks = true;
  llvm::SourceMgr SM2;
  DiagnosticEngine Diags2(SM2);
  EXPECT_EQ(runPlan(T, *P, Opts, Diags2), 1u);
  llvm::sys::fs::remove_directories(Dir);
}
} // namespace
