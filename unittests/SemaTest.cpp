//===- SemaTest.cpp - State equality, order independence, deep graphs -----===//
#include "strata/Sema/Sema.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include <algorithm>
#include <gtest/gtest.h>

using namespace strata;

namespace {
struct Analyzed {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  std::vector<ast::SourceFile> Files;
  std::optional<SchemaState> State;

  explicit Analyzed(std::vector<std::string> Texts) {
    for (size_t I = 0; I < Texts.size(); ++I) {
      std::optional<unsigned> ID =
          addSourceText(Texts[I], "f" + std::to_string(I) + ".strata", Diags);
      if (ID)
        Files.push_back(parseBuffer(*ID, ast::FileKind::Schema, Diags));
    }
    State = analyzeSchema(Files, Diags);
  }
  bool has(DiagKind K) const {
    for (const Diagnostic &D : Diags.diagnostics())
      if (D.Kind == K)
        return true;
    return false;
  }
  std::string dump() const {
    std::string S;
    llvm::raw_string_ostream OS(S);
    if (State)
      State->dump(OS);
    return OS.str();
  }
};

const char *Relations = "relation edge(src: int, dst: int)\n"
                        "relation doc(id: int, v: vector(3))\n";
const char *Rules = "derived reach(src: int, dst: int) {\n"
                    "  reach(X, Y) <- edge(X, Y)\n"
                    "  reach(X, Z) <- reach(X, Y), edge(Y, Z)\n"
                    "}\n"
                    "index doc_v on doc(v) hnsw(metric: l2)\n";
} // namespace

TEST(Sema, StateDoesNotDependOnFileOrItemOrder) {
  Analyzed A({Relations, Rules});
  Analyzed B({Rules, Relations});
  Analyzed C({std::string(Rules) + Relations});
  ASSERT_TRUE(A.State && B.State && C.State);
  EXPECT_EQ(*A.State, *B.State);
  EXPECT_EQ(*A.State, *C.State);
  EXPECT_EQ(A.dump(), B.dump());
}

TEST(Sema, DifferentSchemasGiveDifferentStates) {
  Analyzed A({Relations});
  Analyzed B({"relation edge(src: int, dst: float)\nrelation doc(id: int, v: vector(3))\n"});
  ASSERT_TRUE(A.State && B.State);
  EXPECT_NE(*A.State, *B.State);
}

TEST(Sema, IndexDefaultsAndMetricAliases) {
  Analyzed A({Relations, Rules});
  ASSERT_TRUE(A.State);
  const IndexDef *I = A.State->index("doc_v");
  ASSERT_TRUE(I);
  EXPECT_EQ(I->TheMetric, Metric::Euclidean);
  EXPECT_EQ(I->M, 16);
  EXPECT_EQ(I->EfConstruction, 200);
  EXPECT_EQ(I->EfSearch, 50);
  EXPECT_EQ(parseMetric("COS"), Metric::Cosine);
  EXPECT_EQ(parseMetric("inner"), Metric::DotProduct);
  EXPECT_EQ(parseMetric("l1"), Metric::Manhattan);
  EXPECT_FALSE(parseMetric("hamming"));
}

TEST(Sema, CopiesShareEntries) {
  Analyzed A({Relations, Rules});
  ASSERT_TRUE(A.State);
  SchemaState Copy = *A.State;
  EXPECT_EQ(Copy.relations().at("edge").get(), A.State->relations().at("edge").get());
  Copy.eraseRelation("edge");
  EXPECT_NE(Copy, *A.State);
  EXPECT_TRUE(A.State->relation("edge"));
}

TEST(Sema, TypesPrintCanonically) {
  EXPECT_EQ(Type::listTy(Type::vectorTy(4)).str(), "list[vector(4)]");
  EXPECT_EQ(Type::recordTy({{"a", Type::intTy()}, {"b", Type::stringTy()}}).str(),
            "{a: int, b: string}");
  EXPECT_EQ(Type::listTy(Type::intTy()), Type::listTy(Type::intTy()));
  EXPECT_NE(Type::listTy(Type::intTy()), Type::listTy(Type::floatTy()));
  EXPECT_TRUE(Type::comparable(Type::intTy(), Type::floatTy()));
  EXPECT_FALSE(Type::comparable(Type::intTy(), Type::stringTy()));
}

// Two vectors compare whatever their dimensions; a vector and a scalar do
// not, in either order.
TEST(Sema, VectorsCompareOnlyWithVectors) {
  EXPECT_TRUE(Type::comparable(Type::vectorTy(3), Type::vectorTy(4)));
  EXPECT_FALSE(Type::comparable(Type::intTy(), Type::vectorTy(4)));
  EXPECT_FALSE(Type::comparable(Type::vectorTy(4), Type::intTy()));
  EXPECT_FALSE(Type::comparable(Type::stringTy(), Type::vectorTy()));
}

TEST(Sema, LegalNameSuggestions) {
  EXPECT_EQ(suggestLegalName("fooBar"), "foo_bar");
  EXPECT_EQ(suggestLegalName("Employee"), "employee");
  EXPECT_EQ(suggestLegalName("_x"), "x");
  EXPECT_EQ(suggestLegalName("HTTPLog"), "httplog");
  EXPECT_EQ(suggestLegalName("___"), "");
}

// A chain r0 <- r1 <- ... <- rN closed into one cycle through a negation:
// Tarjan must not recurse, and the cycle must be found.
TEST(Sema, DeepRecursionChainDoesNotExhaustTheStack) {
  const int N = 20000;
  std::string Text = "relation base(x: int)\n";
  for (int I = 0; I < N; ++I) {
    int Next = (I + 1) % N;
    Text += "derived r" + std::to_string(I) + "(x: int) { r" + std::to_string(I) +
            "(X) <- base(X), " + (Next == 0 ? "!" : "") + "r" + std::to_string(Next) + "(X) }\n";
  }
  Analyzed A({Text});
  EXPECT_FALSE(A.State);
  EXPECT_TRUE(A.has(DiagKind::NegationThroughRecursion));
  EXPECT_EQ(A.Diags.errorCount(), 1u);
}

TEST(Sema, DeepChainWithoutCycleIsFine) {
  const int N = 20000;
  std::string Text = "relation base(x: int)\n";
  for (int I = 0; I < N; ++I) {
    std::string Body = I + 1 < N ? "r" + std::to_string(I + 1) : std::string("base");
    Text += "derived r" + std::to_string(I) + "(x: int) { r" + std::to_string(I) + "(X) <- " +
            Body + "(X), !base(X) }\n";
  }
  Analyzed A({Text});
  // `!base(X)` with X bound: fine; no cycles.
  EXPECT_TRUE(A.State);
  EXPECT_EQ(A.Diags.errorCount(), 0u);
}

TEST(Sema, CheckClausesAgainstAGivenState) {
  Analyzed A({Relations});
  ASSERT_TRUE(A.State);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID =
      addSourceText("derived d(x: int) { d(X) <- edge(X, Y), !edgy(Y) }\n", "m.strata", Diags);
  ASSERT_TRUE(ID);
  ast::SourceFile F = parseBuffer(*ID, ast::FileKind::Schema, Diags);
  const auto &D = std::get<ast::DerivedDecl>(F.Items.front());
  ColumnList Cols;
  Cols.Columns.push_back({"x", Type::intTy(), {}});
  EXPECT_FALSE(checkClauses(D.Name, &Cols, D.Clauses, RuleScope{*A.State}, Diags));
  ASSERT_EQ(Diags.diagnostics().size(), 1u);
  EXPECT_EQ(Diags.diagnostics()[0].Kind, DiagKind::UnknownRelation);
  ASSERT_EQ(Diags.diagnostics()[0].FixIts.size(), 1u);
  EXPECT_EQ(Diags.diagnostics()[0].FixIts[0].Replacement, "edge");
}

// A large schema's rules are checked in two halves at once; what is
// reported must be what one pass reports: every error, in declaration
// order, and did-you-mean notes only until the spell-checking limit.
TEST(Sema, RulesCheckedInHalvesReportAsOnePass) {
  auto Schema = [](const std::vector<unsigned> &Broken) {
    std::string Text = "relation base(x: int)\n";
    for (unsigned I = 0; I < 1200; ++I) {
      bool Bad = std::find(Broken.begin(), Broken.end(), I) != Broken.end();
      Text += "derived d" + std::to_string(I) + "(x: int) { d" + std::to_string(I) + "(X) <- " +
              (Bad ? "basee" : "base") + "(X) }\n";
    }
    return Text;
  };
  auto Lines = [](const Analyzed &A) {
    std::vector<unsigned> Out;
    for (const Diagnostic &D : A.Diags.diagnostics())
      Out.push_back(A.SM.getLineAndColumn(D.Loc).first);
    return Out;
  };
  // A few errors in each half: reported in order, each with its note.
  Analyzed Few({Schema({3, 700, 10, 1100})});
  EXPECT_FALSE(Few.State);
  EXPECT_EQ(Lines(Few), (std::vector<unsigned>{5, 12, 702, 1102}));
  for (const Diagnostic &D : Few.Diags.diagnostics())
    EXPECT_FALSE(D.Notes.empty());
  // Past the limit (50 errors) a single pass decides which get notes.
  std::vector<unsigned> Many;
  for (unsigned I = 0; I < 1200; I += 20)
    Many.push_back(I);
  Analyzed Lots({Schema(Many)});
  std::vector<unsigned> Want;
  for (unsigned I : Many)
    Want.push_back(I + 2);
  EXPECT_EQ(Lines(Lots), Want);
  unsigned WithNotes = 0;
  for (const Diagnostic &D : Lots.Diags.diagnostics())
    WithNotes += !D.Notes.empty();
  EXPECT_EQ(WithNotes, 50u);
}

// checkSchema (the editor's check, which borrows the clauses instead of
// copying them) reports exactly what analyzeSchema reports, and leaves
// the files' clauses whole.
TEST(Sema, CheckSchemaReportsWhatAnalyzeSchemaReports) {
  std::vector<std::vector<std::string>> Cases = {
      {Relations, Rules},
      {Relations, "derived p(x: int) { p(X) <- edge(X, Y), !p(Y) }\n"}, // not stratified
      {Relations, "derived q(x: int) { q(X) <- edgy(X, _) }\n"},        // unknown relation
      {Relations, "derived r(x: string) { r(X) <- edge(X, _) }\n"},     // type mismatch
      {"relation a(x: int)\nrelation a(y: int)\n"},                     // duplicate
  };
  for (const std::vector<std::string> &Texts : Cases) {
    Analyzed Reference(Texts);
    llvm::SourceMgr SM;
    DiagnosticEngine Diags(SM);
    std::vector<ast::SourceFile> Files;
    for (size_t I = 0; I < Texts.size(); ++I)
      if (std::optional<unsigned> ID =
              addSourceText(Texts[I], "f" + std::to_string(I) + ".strata", Diags))
        Files.push_back(parseBuffer(*ID, ast::FileKind::Schema, Diags));
    size_t ClausesBefore = 0;
    for (const ast::SourceFile &F : Files)
      for (const ast::Item &It : F.Items)
        if (const auto *D = std::get_if<ast::DerivedDecl>(&It))
          ClausesBefore += D->Clauses.size();
    EXPECT_EQ(checkSchema(Files, Diags), Reference.State.has_value()) << Texts.back();
    ASSERT_EQ(Diags.size(), Reference.Diags.size()) << Texts.back();
    for (size_t I = 0; I < Diags.size(); ++I) {
      EXPECT_EQ(Diags.diagnostics()[I].Kind, Reference.Diags.diagnostics()[I].Kind);
      EXPECT_EQ(Diags.diagnostics()[I].Message, Reference.Diags.diagnostics()[I].Message);
    }
    size_t ClausesAfter = 0;
    for (const ast::SourceFile &F : Files)
      for (const ast::Item &It : F.Items)
        if (const auto *D = std::get_if<ast::DerivedDecl>(&It)) {
          ClausesAfter += D->Clauses.size();
          for (const ast::Clause &C : D->Clauses)
            EXPECT_FALSE(C.Body.empty()); // not moved from
        }
    EXPECT_EQ(ClausesAfter, ClausesBefore);
  }
}
