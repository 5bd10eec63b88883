//===- ParserDifferentialTest.cpp - Recursive descent against ANTLR -------===//
//
// The recursive-descent parser must build exactly the AST, and report
// exactly the diagnostics, of ANTLR's parser from grammar/Strata.g4, and
// hand ANTLR every file it does not fully expect. Every test and example
// file is parsed three ways (the fast path; the scanner with ANTLR's
// parser; the reference path, generated lexer and whole-file parse) and
// the dumps compared; every file without a diagnostic must take the fast
// path. strata-fuzz-lexer compares the fast and reference paths on
// arbitrary input, and test/Parse/recursive-descent-bench.test on a
// generated benchmark schema.
//
//===----------------------------------------------------------------------===//
#include "TestFiles.h"
#include "strata/Parse/Lexers.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {
std::vector<std::string> sourceFiles() { return test::sourceTreeFiles({".strata", ".mig"}); }

std::string readFile(const std::string &Path) { return test::readFileOrEmpty(Path); }

/// Whether parsing Text on the reference path reports anything.
bool reportsAnything(llvm::StringRef Text) {
  selectLexer(LexerKind::Generated);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID = addSourceText(Text, "t.strata", Diags);
  if (ID)
    parseBuffer(*ID, ast::FileKind::Schema, Diags);
  selectLexer(LexerKind::Scanner);
  return !ID || !Diags.diagnostics().empty();
}

/// Parses Text the three ways and expects one result; Name's extension
/// says schema or migration.
void expectSameOnAllPaths(const std::string &Text, llvm::StringRef Name, const std::string &What) {
  std::string Fast = parseDump(LexerKind::Scanner, Text, Name);
  EXPECT_EQ(Fast, parseDump(LexerKind::Scanner, Text, Name, ParserKind::Antlr)) << What;
  EXPECT_EQ(Fast, parseDump(LexerKind::Generated, Text, Name)) << What;
}
} // namespace

TEST(ParserDifferential, SameASTAndDiagnosticsOnEveryFile) {
  std::vector<std::string> Files = sourceFiles();
  ASSERT_GT(Files.size(), 50u);
  unsigned Fast = 0;
  for (const std::string &Path : Files) {
    std::string Text = readFile(Path);
    expectSameOnAllPaths(Text, llvm::sys::path::filename(Path), Path);
    if (llvm::StringRef(Path).endswith(".strata") && !reportsAnything(Text)) {
      EXPECT_TRUE(recursiveDescentAccepts(Text)) << Path << " took the ANTLR path";
      ++Fast;
    }
  }
  // Most schema files in the tests are well formed.
  EXPECT_GT(Fast, 20u);
}

/// Well-formed schema text the fast path must take, each construct of the
/// grammar where the choice between alternatives needs lookahead.
TEST(ParserDifferential, WellFormedCornerCases) {
  const char *Cases[] = {
      "",
      "// only a comment\n/* and a block */",
      "relation r()",
      "relation r {}",
      "relation r(a: int,)",
      "relation r { a: int b: string, c: float }",
      "relation relation(index: int, on: string, hnsw: bool)",
      "relation renamed_from renamed_from x(a: int)",
      "relation r { a: int renamed_from b renamed_from: int }",
      "relation r { a: int = 1 renamed_from b, c: string = \"x\\n\" }",
      "relation r(a: int = -5, b: float = -1.5e3, c: list[int] = [1, -2,], d: bool = true)",
      "relation r(a: int = 9223372036854775807, b: int = -9223372036854775808)",
      "relation r(v: vector(384), l: list[list[string]], s: vector[3], t: {x: int, y: {z: int,},})",
      "index i on r(v) hnsw",
      "index i on r(v) hnsw()",
      "index i on r(v) hnsw(metric: cosine, m: 16, ef: 0.5,)",
      "derived d(a: int) {}",
      "derived d renamed_from e(a: int) { d(X) <- r(X) }",
      "derived d(a: int) { d(X) <- r(X) d(Y) <- s(Y), !t(Y) }",
      "derived d(a: int) { d(X) <- r{a: X, b: _,}, s{}, X > 0 }",
      "derived d(a: int) { d(X) <- r(X), f(X) = 3, g(X, [1, 2]) + 1 < 4, h() != X }",
      "derived d(a: int) { d(X) <- r(X), (X) * 2 % 3 >= -X - -1 }",
      "derived d(a: int) { d(X) <- r(X), X = -9223372036854775808, Y = --9223372036854775808 }",
      "derived d(a: int) { d(X) <- r(X), X <= 1 + 2 * 3 - 4 / 5, Y = \"s\", Z = 1.5 }",
      "derived d(a: int, n: int) { d(A, sum<B>) <- r(A, B) }",
      "derived d(a: int, n: int) { d(A, top_k<3, N, S:desc>) <- r(A, N, S) }",
      "derived d(a: int) { d(X + 1) <- r(X), len([X]) > 0 }",
      "derived d(a: int) { d(_) <- r(_), X = true, Y = desc }",
      "derived d(a: int) { d(X) <- relation(X), index(X), migration(X) }",
  };
  for (const char *Text : Cases) {
    EXPECT_TRUE(recursiveDescentAccepts(Text)) << Text;
    expectSameOnAllPaths(Text, "t.strata", Text);
  }
}

/// Text the fast path must hand to ANTLR, which reports it; the result is
/// the same whichever path starts.
TEST(ParserDifferential, GivesUpOnWhatItDoesNotExpect) {
  std::string Deep = "derived d(a: int) { d(X) <- r(X), X = " + std::string(120, '(') + "1" +
                     std::string(120, ')') + " }";
  std::string Long = "derived d(a: int) { d(X) <- r(X), X = 1";
  for (int I = 0; I < 1001; ++I)
    Long += " + 1";
  Long += " }";
  const char *Cases[] = {
      "relation r(a: int",
      "relation r(a int)",
      "relation r(a: int,,)",
      "relation r(a: vector())",
      "relation r(a: int = x)",
      "relation r(a: int) migration m {}",
      "relation r(a: \"open",
      "relation r(a: int) /* open",
      "relation r(a: int) ?",
      "relation r(a: int) é",
      "index i on r(v)",
      "derived d(a: int) { d(X) :- r(X) }",
      "derived d(a: int) { d(X) <- r(X). }",
      "derived d(a: int) { d(X) <- r(X), X == 1 }",
      "derived d(a: int) { d(X,) <- r(X) }",
      "derived d(a: int) { d(X) <- r(X,) }",
      "derived d(a: int) { d(X) <- r(X), f(X) }",
      "derived d(a: int) { d(X) <- r(X), X }",
      "derived d(a: int) { d(X) <- r(X), X = 99999999999999999999 }",
      "derived d(a: int) { d(X) <- r(X), X = \"\\q\" }",
      "derived d(a: int) { d(X) <- r(X)",
  };
  for (const char *Text : Cases)
    expectSameOnAllPaths(Text, "t.strata", Text);
  for (const std::string &Text : {Deep, Long}) {
    EXPECT_FALSE(recursiveDescentAccepts(Text));
    expectSameOnAllPaths(Text, "t.strata", Text.substr(0, 40));
  }
  // Migration files go to ANTLR whatever they hold.
  expectSameOnAllPaths("relation r(a: int)", "t.mig", "schema item in a migration file");
}
