//===- FormatTest.cpp - Formatter: idempotency and AST round trip ---------===//
#include "strata/Format/Formatter.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {
struct Formatted {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  std::optional<std::string> Text;

  Formatted(const std::string &Source, ast::FileKind Kind) {
    const char *Name = Kind == ast::FileKind::Migration ? "t.mig" : "t.strata";
    if (std::optional<unsigned> ID = addSourceText(Source, Name, Diags))
      Text = format::formatBuffer(*ID, Kind, Diags);
  }
  bool has(DiagKind K) const {
    for (const Diagnostic &D : Diags.diagnostics())
      if (D.Kind == K)
        return true;
    return false;
  }
};

struct Case {
  const char *Name;
  ast::FileKind Kind;
  const char *Source;
};

const ast::FileKind Schema = ast::FileKind::Schema;
const ast::FileKind Migration = ast::FileKind::Migration;

const Case Cases[] = {
    {"Empty", Schema, ""},
    {"OnlyComments", Schema, "\n\n// one\n\n\n/* two\n   lines */   \n"},
    {"ShortAndBlock", Schema,
     "relation a(x:int,y:string=\"q\\\"\\\\\\n\")\nrelation b renamed_from c {\n"
     "x: {f: int, g: list[float]} renamed_from y, z: vector(3) }\n"},
    {"Rules", Schema,
     "derived d(x: int, y: float) {\n d(X, sum<Y>) <- e{a: X, b: Y}, !f(X), "
     "X != 1, Y = (X + 2) * -3 % 4 / 5 - 6\n"
     "d(X, top_k<3, X, Y:desc>) <- e(X, Y), Y >= 1.5e3, Z = [1, \"s\", W], W = len(X) }\n"},
    {"Indexes", Schema,
     "index a on r(c) hnsw\nindex b on r(c) hnsw()\n"
     "index c on r(c) hnsw(metric: cosine, m: 16, ratio: 0.5,)\n"},
    {"CommentsEverywhere", Schema,
     "/*lead*/ relation a { // h\n // c1\n x: int // t\n\n\n /* c2 */ y: /* in */ int\n"
     " // dangling\n} // after\nrelation e( // in short\n a: int)\n"
     "derived d(x: int) /* b */ { d(X) <- // mid\n e(X)\n // end\n}\n// eof"},
    {"CrLf", Schema, "relation a {\r\n  x: int // t\r\n}\r\n\r\n\r\nrelation b(y: int)\r\n"},
    {"AllOperations", Migration,
     "migration 0002_x { depends 0001_a, 0001_b replaces 0001_c\n"
     "create relation r(a: int) create relation s { a: int b: int }\n"
     "drop relation t(a: int) drop relation u { a: int }\n"
     "rename relation v -> w add column r.b: int = -1 add column r.c: string\n"
     "drop column r.d: bool = true rename column r.e -> f\n"
     "retype column r.g: int -> float using X => to_float(X) reverse X => to_int(X)\n"
     "create rule q(a: int) { q(A) <- r(A) } drop rule p(a: int) { p(A) <- r(A) }\n"
     "replace rule q { q(A) <- r(A), A > 1 } was { q(A) <- r(A) }\n"
     "replace rule z { z(A) <- r(A) } rename rule q -> qq\n"
     "create index i on r(a) hnsw(m: 8) drop index j on r(a) hnsw\n"
     "alter index i hnsw(m: 16) was hnsw(m: 8) alter index k hnsw(m: 4)\n"
     "run iql { forward { +r(1) } backward { -r(1) } }\n}\n"},
    {"RawIqlIndentation", Migration,
     "migration 0003_y {\n  run iql {\n forward { +a(1),\n      +b(2) // c\n"
     "        +c(3)\n\n\n   }\n backward {\n\t-a(1)\n\t    -b(2)\n }\n }\n"
     "run iql { forward { /* x */ } }\n run iql{forward{}}\n}\n"},
    {"HeadersAfterOperations", Migration,
     "migration 0004_z {\n // leads op\n add column r.a: int // t\n"
     " depends 0003_y // d\n // last\n}\n"},
};

class FormatCases : public ::testing::TestWithParam<Case> {};

TEST_P(FormatCases, ReparsesToTheSameTree) {
  const Case &C = GetParam();
  Formatted Once(C.Source, C.Kind);
  ASSERT_TRUE(Once.Text) << "refused: " << C.Source;
  EXPECT_EQ(Once.Diags.errorCount(), 0u);

  // The same check formatBuffer makes, stated independently: parse the
  // output and compare the normalized dumps.
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> OrigID = addSourceText(C.Source, "orig", Diags);
  std::optional<unsigned> OutID = addSourceText(*Once.Text, "out", Diags);
  ASSERT_TRUE(OrigID && OutID);
  ast::SourceFile Orig = parseBuffer(*OrigID, C.Kind, Diags);
  ast::SourceFile Out = parseBuffer(*OutID, C.Kind, Diags);
  ASSERT_FALSE(Out.HasSyntaxErrors) << *Once.Text;
  EXPECT_EQ(format::normalizedDump(Orig, SM), format::normalizedDump(Out, SM));
  EXPECT_EQ(Orig.Comments.size(), Out.Comments.size()) << *Once.Text;
}

TEST_P(FormatCases, IsIdempotent) {
  const Case &C = GetParam();
  Formatted Once(C.Source, C.Kind);
  ASSERT_TRUE(Once.Text);
  Formatted Twice(*Once.Text, C.Kind);
  ASSERT_TRUE(Twice.Text);
  EXPECT_EQ(*Once.Text, *Twice.Text);
}

TEST_P(FormatCases, OutputIsCanonicalText) {
  const Case &C = GetParam();
  Formatted Once(C.Source, C.Kind);
  ASSERT_TRUE(Once.Text);
  llvm::StringRef T = *Once.Text;
  // (contains() rather than find() == npos: LLVM 14's npos is not
  // ODR-usable from C++17 code.)
  EXPECT_FALSE(T.contains('\r'));
  EXPECT_FALSE(T.contains(" \n")) << "trailing blanks";
  EXPECT_FALSE(T.contains("\n\n\n")) << "two blank lines";
  if (!T.empty()) {
    EXPECT_TRUE(T.endswith("\n"));
    EXPECT_FALSE(T.endswith("\n\n"));
    EXPECT_FALSE(T.startswith("\n"));
  }
}

INSTANTIATE_TEST_SUITE_P(Format, FormatCases, ::testing::ValuesIn(Cases),
                         [](const ::testing::TestParamInfo<Case> &I) {
                           return std::string(I.param.Name);
                         });

TEST(Format, EmptyFileStaysEmpty) {
  Formatted F("\n\n  \n", Schema);
  ASSERT_TRUE(F.Text);
  EXPECT_EQ(*F.Text, "");
}

TEST(Format, SyntaxErrorsAreRefused) {
  Formatted F("relation a(x: int)\nrelation b {\n  x: =\n}\nrelation c(y: int)\n", Schema);
  EXPECT_FALSE(F.Text);
  EXPECT_TRUE(F.has(DiagKind::SyntaxError));
  EXPECT_TRUE(F.has(DiagKind::FormatSkippedFile));
}

TEST(Format, MisplacedItemsAreRefused) {
  Formatted F("migration 0001_a {\n}\n", Schema);
  EXPECT_FALSE(F.Text);
  EXPECT_TRUE(F.has(DiagKind::FormatSkippedFile));
}

TEST(Format, RoundTripCheckNoticesChanges) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  const char *Source = "// keep me\nrelation a(x: int)\n";
  std::optional<unsigned> ID = addSourceText(Source, "t.strata", Diags);
  ASSERT_TRUE(ID);
  ast::SourceFile File = parseBuffer(*ID, Schema, Diags);
  EXPECT_TRUE(format::sameSyntaxTree(File, SM, "// keep me\n\nrelation a(x: int)\n"));
  EXPECT_FALSE(format::sameSyntaxTree(File, SM, "relation a(x: int)\n")) << "lost comment";
  EXPECT_FALSE(format::sameSyntaxTree(File, SM, "// keep me\nrelation a(x: float)\n"));
  EXPECT_FALSE(format::sameSyntaxTree(File, SM, "// keep me\nrelation a {x: int}\n"))
      << "the author's choice of form is part of the tree";
  EXPECT_FALSE(format::sameSyntaxTree(File, SM, "// keep me\nrelation a(x: int\n"));
}

// Comments may move (into or out of raw IQL order): the check keeps their
// text, not their order.
TEST(Format, RoundTripCheckComparesCommentsInAnyOrder) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID =
      addSourceText("// b\nrelation a(x: int)\n// a\nrelation b(x: int)\n", "t.strata", Diags);
  ASSERT_TRUE(ID);
  ast::SourceFile File = parseBuffer(*ID, Schema, Diags);
  EXPECT_TRUE(
      format::sameSyntaxTree(File, SM, "// a\nrelation a(x: int)\n// b\nrelation b(x: int)\n"));
  EXPECT_FALSE(
      format::sameSyntaxTree(File, SM, "// a\nrelation a(x: int)\n// c\nrelation b(x: int)\n"));
}

// The last line of defence: a formatter bug that changed the tree is caught
// and the text withheld. test/Fmt/changed-meaning.test checks the rendering.
TEST(Format, ChangedMeaningIsRefused) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID = addSourceText("// keep\nrelation a(x: int)\n", "t.strata", Diags);
  ASSERT_TRUE(ID);
  format::FormatOptions Opts;
  Opts.TamperForTesting = [](std::string &Text) { Text = "relation a(x: int)\n"; };
  EXPECT_FALSE(format::formatBuffer(*ID, Schema, Diags, Opts));
  ASSERT_EQ(Diags.errorCount(), 1u);
  EXPECT_EQ(Diags.diagnostics().front().Kind, DiagKind::FormatChangedMeaning);
  RenderOptions R;
  renderDiagnostics(Diags, llvm::outs(), R);
  llvm::outs().flush();
}

TEST(Format, RawIqlKeepsRelativeIndentation) {
  Formatted F("migration 0001_a {\nrun iql {\nforward {\n        +a(X) <-\n"
              "            b(X),\n          c(X)\n}\n}\n}\n",
              Migration);
  ASSERT_TRUE(F.Text);
  EXPECT_EQ(*F.Text, "migration 0001_a {\n  run iql {\n    forward {\n      +a(X) <-\n"
                     "          b(X),\n        c(X)\n    }\n  }\n}\n");
}

TEST(Format, ByteOrderMarkIsDropped) {
  Formatted F("\xEF\xBB\xBFrelation a(x: int)  // t\n", Schema);
  ASSERT_TRUE(F.Text);
  EXPECT_EQ(*F.Text, "relation a(x: int) // t\n");
}
} // namespace

// The round-trip check compares a raw IQL block line by line, indentation
// aside: a change inside the block is a change of meaning. (Kills the
// mutation-run survivor that skipped splitting the block into lines.)
TEST(Format, RoundTripCheckComparesRawIqlText) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID =
      addSourceText("migration 0001_a {\nrun iql {\nforward {\n+a(1)\n}\n}\n}\n", "t.mig", Diags);
  ASSERT_TRUE(ID);
  ast::SourceFile File = parseBuffer(*ID, Migration, Diags);
  ASSERT_EQ(Diags.errorCount(), 0u);
  EXPECT_TRUE(format::sameSyntaxTree(
      File, SM, "migration 0001_a {\n  run iql {\n    forward {\n      +a(1)\n    }\n  }\n}\n"));
  EXPECT_FALSE(format::sameSyntaxTree(
      File, SM, "migration 0001_a {\n  run iql {\n    forward {\n      +a(2)\n    }\n  }\n}\n"));
}
