//===- ParserTest.cpp - Parser limits and positions -----------------------===//
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {
struct Parsed {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  ast::SourceFile File;

  Parsed(const std::string &Text, ast::FileKind Kind = ast::FileKind::Schema,
         ParseLimits Limits = {}) {
    std::optional<unsigned> ID = addSourceText(Text, "t.strata", Diags);
    if (ID)
      File = parseBuffer(*ID, Kind, Diags, Limits);
  }
  bool has(DiagKind K) const {
    for (const Diagnostic &D : Diags.diagnostics())
      if (D.Kind == K)
        return true;
    return false;
  }
};

std::string rule(const std::string &Expr) {
  return "derived d(x: int) { d(X) <- e(X), X = " + Expr + " }\n";
}
} // namespace

TEST(Parser, EmptyFileIsAnEmptySchema) {
  Parsed P("");
  EXPECT_EQ(P.Diags.errorCount(), 0u);
  EXPECT_TRUE(P.File.Items.empty());
}

TEST(Parser, EmptyMigrationFileIsAnError) {
  Parsed P("", ast::FileKind::Migration);
  EXPECT_TRUE(P.has(DiagKind::NoMigrationInFile));
}

TEST(Parser, DeepNestingIsRefusedBeforeParsing) {
  Parsed P(rule(std::string(100000, '(') + "1" + std::string(100000, ')')));
  EXPECT_TRUE(P.has(DiagKind::NestingTooDeep));
  EXPECT_TRUE(P.File.Items.empty());
}

TEST(Parser, NestingWithinTheLimitParses) {
  Parsed P(rule(std::string(50, '(') + "1" + std::string(50, ')')));
  EXPECT_EQ(P.Diags.errorCount(), 0u);
  EXPECT_EQ(P.File.Items.size(), 1u);
}

TEST(Parser, LongOperatorChainsAreBounded) {
  std::string Chain = "1";
  for (int I = 0; I < 200000; ++I)
    Chain += " + 1";
  Parsed P(rule(Chain));
  EXPECT_TRUE(P.has(DiagKind::ExpressionTooLong));
}

TEST(Parser, NegationChainsAreBounded) {
  Parsed P(rule(std::string(200000, '-') + "X"));
  EXPECT_TRUE(P.has(DiagKind::ExpressionTooLong));
}

TEST(Parser, PositionsAfterMultiByteCharacters) {
  // "é" is two bytes but one ANTLR index; the error must land on `$`.
  Parsed P("// é é é\nrelation a(x: int) $\n");
  ASSERT_EQ(P.Diags.diagnostics().size(), 1u);
  LineColumn LC = lineColumn(P.SM, P.Diags.diagnostics()[0].Loc);
  EXPECT_EQ(LC.Line, 2u);
  EXPECT_EQ(LC.Column, 20u);
}

TEST(Parser, ByteOrderMarkIsAccepted) {
  Parsed P("\xEF\xBB\xBFrelation a(x: int)\n");
  EXPECT_EQ(P.Diags.errorCount(), 0u);
  EXPECT_EQ(P.File.Items.size(), 1u);
}

TEST(Parser, InvalidUtf8IsReportedAtTheByte) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  EXPECT_FALSE(addSourceText("relation a\xff(x: int)", "t.strata", Diags));
  ASSERT_EQ(Diags.diagnostics().size(), 1u);
  EXPECT_EQ(Diags.diagnostics()[0].Kind, DiagKind::InvalidUtf8);
  EXPECT_EQ(lineColumn(SM, Diags.diagnostics()[0].Loc).Column, 11u);
}

TEST(Parser, OversizedInputIsRefused) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  EXPECT_FALSE(addSourceText(std::string(2048, ' '), "t.strata", Diags, 1024));
  EXPECT_EQ(Diags.diagnostics()[0].Kind, DiagKind::FileTooLarge);
}

TEST(Parser, ItemsWithSyntaxErrorsAreLeftOutAndNamed) {
  Parsed P("relation good(a: int)\nrelation broken(a int)\nrelation also(b: int)\n");
  EXPECT_EQ(P.File.Items.size(), 2u);
  ASSERT_EQ(P.File.InvalidNames.size(), 1u);
  EXPECT_EQ(P.File.InvalidNames[0], "broken");
}

TEST(Parser, RawIqlIsKeptVerbatim) {
  Parsed P("migration 0001_x {\n  run iql {\n    forward { +a[(1, \"}\")]\n"
           "      ?a(X) }\n  }\n}\n",
           ast::FileKind::Migration);
  ASSERT_EQ(P.Diags.errorCount(), 0u);
  const auto &M = std::get<ast::MigrationDecl>(P.File.Items[0]);
  const auto &Run = std::get<ast::RunIqlOp>(M.Operations[0].Body);
  EXPECT_EQ(Run.Forward.Text, " +a[(1, \"}\")]\n      ?a(X) ");
  EXPECT_FALSE(Run.Backward.has_value());
}

// The UTF-8 check skips ASCII a word at a time: an invalid byte, and a valid
// multi-byte character, must be judged the same at every alignment.
TEST(SourceFiles, Utf8CheckedAtEveryAlignment) {
  for (size_t At = 0; At < 24; ++At) {
    std::string Prefix(At, 'a');
    {
      llvm::SourceMgr SM;
      DiagnosticEngine Diags(SM);
      EXPECT_TRUE(addSourceText(Prefix + "\xc3\xa9" + std::string(20, 'b'), "ok", Diags));
      EXPECT_EQ(Diags.errorCount(), 0u) << At;
    }
    for (const char *Bad : {"\xff", "\xc3", "\xe2\x82", "\xc3\xa9\x80"}) {
      llvm::SourceMgr SM;
      DiagnosticEngine Diags(SM);
      std::string Text = Prefix + Bad + std::string(20, 'b');
      EXPECT_FALSE(addSourceText(Text, "bad", Diags)) << At;
      ASSERT_EQ(Diags.diagnostics().size(), 1u);
      const char *Start = SM.getMemoryBuffer(1)->getBufferStart();
      size_t Expected = std::string(Bad) == "\xc3\xa9\x80" ? At + 2 : At;
      EXPECT_EQ(size_t(Diags.diagnostics()[0].Loc.getPointer() - Start), Expected) << At;
    }
  }
}
