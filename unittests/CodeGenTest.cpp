//===- CodeGenTest.cpp - Pieces of lowering that goldens test badly -------===//
#include "../lib/CodeGen/LowerOps.h"
#include "strata/CodeGen/IqlText.h"
#include "strata/CodeGen/Lowering.h"
#include "strata/CodeGen/Stream.h"
#include "strata/IQL/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace strata;
using namespace strata::codegen;

TEST(CodeGenNames, RelationNamesFollowTheServer) {
  EXPECT_TRUE(isServerRelationName("employee_2"));
  for (const char *Bad : {"", "Foo", "fooBar", "__dunder", "_x", "1abc", "a-b", "a.b", "user:42"})
    EXPECT_FALSE(isServerRelationName(Bad)) << Bad;
  EXPECT_FALSE(isServerRelationName(std::string(257, 'a')));
  EXPECT_EQ(stagingName("employee"), "employee_strata_stage");
}

TEST(CodeGenVars, FreshNamesAvoidTakenOnes) {
  FreshVars V({"C0", "C2"});
  EXPECT_EQ(V.next(), "C1");
  EXPECT_EQ(V.next(), "C3");
}

TEST(CodeGenRawIql, StatementsStartAtTheMarginAndContinuationsAreIndented) {
  std::vector<std::string> S =
      splitRawIql("\n    +a(1)\n\n    +edge(X, Y) <-\n        path(X, Y),\n"
                  "        X != Y\n    .rel\n  ");
  ASSERT_EQ(S.size(), 3u);
  EXPECT_EQ(S[0], "+a(1)");
  EXPECT_EQ(S[1], "+edge(X, Y) <-\n    path(X, Y),\n    X != Y");
  EXPECT_EQ(S[2], ".rel");
  // A first line sharing the `{` line.
  S = splitRawIql(" +a(1) ");
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0], "+a(1)");
}

TEST(CodeGenIndex, EveryParameterIsSpelledOut) {
  IndexDef I;
  I.Name = "emb_idx";
  I.Relation = "doc";
  I.Column = "emb";
  I.TheMetric = Metric::DotProduct;
  EXPECT_EQ(spell(indexCreate(I)),
            ".index create emb_idx on doc(emb) type hnsw metric dot_product m 16 "
            "ef_construction 200 ef_search 50");
}

TEST(CodeGenMeta, BuiltCommandsAreWhatTheParserMakesOfTheirText) {
  IndexDef I;
  I.Name = "emb_idx";
  I.Relation = "doc";
  I.Column = "emb";
  using Id = iql::MetaCommandId;
  std::pair<iql::Statement, Id> Built[] = {{relDrop("doc"), Id::RelDrop},
                                           {ruleDrop("near"), Id::RuleDrop},
                                           {indexDrop("emb_idx"), Id::IndexDrop},
                                           {indexCreate(I), Id::IndexCreate}};
  for (const auto &[S, Command] : Built) {
    EXPECT_EQ(S.Command, Command) << S.Text;
    llvm::Expected<iql::Statement> Parsed = iql::parseStatement(S.Text);
    ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
    EXPECT_EQ(Parsed->Command, S.Command) << S.Text;
    EXPECT_EQ(Parsed->Words, S.Words) << S.Text;
    EXPECT_TRUE(iql::sameTree(*Parsed, S)) << S.Text;
  }
}

TEST(CodeGenSchema, VectorOnlyRelationsAreNotSchemaToTheServer) {
  ColumnList Vec{{ColumnDef{"v", Type::vectorTy(3), {}}}};
  EXPECT_FALSE(declaresSchema(Vec));
  Vec.Columns.push_back(ColumnDef{"id", Type::intTy(), {}});
  EXPECT_TRUE(declaresSchema(Vec));
  EXPECT_EQ(spell(declaration("e", Vec)), "+e(v: vector(3), id: int)");
}

TEST(CodeGenRawIql, StatementsAreParsedOnceWhenLowered) {
  IqlStatement Ok = rawIqlStatement("+edge(X, Y) <-\n    path(X, Y)");
  ASSERT_TRUE(Ok.Tree) << Ok.ParseError;
  EXPECT_EQ(Ok.Tree->K, iql::Statement::Kind::PersistentRule);
  EXPECT_EQ(Ok.Text, "+edge(X, Y) <-\n    path(X, Y)"); // the author's text, verbatim
  EXPECT_EQ(Ok.Purpose, StepPurpose::Raw);
  IqlStatement Note = rawIqlStatement("// a note");
  EXPECT_FALSE(Note.Tree);
  EXPECT_TRUE(Note.ParseError.empty());
  IqlStatement Bad = rawIqlStatement("+edge(X, Y");
  EXPECT_FALSE(Bad.Tree);
  EXPECT_FALSE(Bad.ParseError.empty());
}

// A state apply() would never produce (a base and a derived relation of one
// name) is Strata's bug: lowering reports an internal error and gives no
// statements, instead of aborting the process.
TEST(CodeGenInternal, AnImpossibleStateIsReportedNotFatal) {
  ColumnList Cols{{ColumnDef{"id", Type::intTy(), {}}}};
  auto Derived = std::make_shared<DerivedDef>();
  Derived->Name = "r";
  Derived->Columns = Cols;
  SchemaState Before, After;
  After.put(std::shared_ptr<const DerivedDef>(Derived));
  CreateRelation Op("r", Cols);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  EXPECT_FALSE(lowerOperation(Op, Before, After, Diags).has_value());
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  renderDiagnostics(Diags, OS, RenderOptions());
  EXPECT_NE(Out.find("error: internal error: cannot lower create relation r: `.rel drop r` would "
                     "also drop the rule `r`; nothing was written or sent. Please report this "
                     "with the migration [CodeGenInternal]"),
            std::string::npos)
      << Out;
}

namespace {
IqlStatement statement(StepPurpose Purpose, bool Lossy = false) {
  IqlStatement S;
  S.Text = std::string(stepPurposeName(Purpose));
  S.Purpose = Purpose;
  S.Lossy = Lossy;
  return S;
}
} // namespace

TEST(CodeGenStream, StatementsGroupUnderTheirOperationAndStep) {
  Migration M;
  M.Name = "0002_x";
  LoweredMigration L;
  L.M = &M;
  L.Ops.resize(2);
  L.Ops[0].Forward = {statement(StepPurpose::Apply)};
  L.Ops[0].Irreversible = true; // no backward
  L.Ops[1].Forward = {statement(StepPurpose::DropReader), statement(StepPurpose::DropReader),
                      statement(StepPurpose::MoveToStage),
                      statement(StepPurpose::MoveToStage, /*Lossy=*/true)};
  L.Ops[1].Backward = {statement(StepPurpose::Apply)};

  std::vector<StreamItem> Forward = streamOf({&L}, false);
  std::vector<StreamOperation> G = groupByOperation(Forward);
  ASSERT_EQ(G.size(), 2u);
  EXPECT_EQ(G[0].Index, 1u);
  EXPECT_EQ(G[0].Items, std::vector<size_t>{0});
  ASSERT_EQ(G[0].Steps.size(), 1u);
  EXPECT_EQ(G[1].Index, 2u);
  EXPECT_FALSE(G[1].Backward);
  EXPECT_EQ(G[1].Items, (std::vector<size_t>{1, 2, 3, 4}));
  // A step is a run of one purpose and one lossiness.
  ASSERT_EQ(G[1].Steps.size(), 3u);
  EXPECT_EQ(G[1].Steps[0].Statements.size(), 2u);
  EXPECT_FALSE(G[1].Steps[1].Lossy);
  EXPECT_TRUE(G[1].Steps[2].Lossy);

  // Backward: operations newest first; the irreversible one is kept, with
  // no statements.
  G = groupByOperation(streamOf({&L}, true));
  ASSERT_EQ(G.size(), 2u);
  EXPECT_EQ(G[0].Index, 2u);
  EXPECT_TRUE(G[0].Backward);
  EXPECT_FALSE(G[0].irreversible());
  EXPECT_EQ(G[1].Index, 1u);
  EXPECT_TRUE(G[1].irreversible());
  EXPECT_TRUE(G[1].Steps.empty());
}

// Stream comments and JSON name the operation's file; a migration with no
// path (built in memory) is named after itself.
TEST(CodeGenStream, SourceFileIsThePathsNameOrTheMigrations) {
  Migration M;
  M.Name = "0002_x";
  CreateRelation Op("r", ColumnList{{ColumnDef{"id", Type::intTy(), {}}}});
  llvm::SourceMgr SM;
  SourcePos P = sourceOf(M, Op, SM);
  EXPECT_EQ(P.File, "0002_x.mig");
  EXPECT_EQ(P.Line, 0u);
  M.Path = "migrations/0002_renamed.mig";
  EXPECT_EQ(sourceOf(M, Op, SM).File, "0002_renamed.mig");
}

TEST(CodeGenStream, EveryStepOfSeveralSaysWhatItDoes) {
  for (StepPurpose P :
       {StepPurpose::DropReader, StepPurpose::DropIndex, StepPurpose::DeclareStage,
        StepPurpose::MoveToStage, StepPurpose::DropOriginal, StepPurpose::Redeclare,
        StepPurpose::MoveBack, StepPurpose::DropStage, StepPurpose::RecreateIndex,
        StepPurpose::DropRule, StepPurpose::DefineRule, StepPurpose::RecreateReader})
    EXPECT_FALSE(stepPurposeTitle(P).empty()) << stepPurposeName(P).str();
}
