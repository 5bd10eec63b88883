//===- ParserDifferentialTest.cpp - Recursive descent against ANTLR -------===//
//
// The recursive-descent parser must build exactly the AST, and report
// exactly the diagnostics, of ANTLR's parser from grammar/Strata.g4, and
// hand ANTLR every file it does not fully expect. Every test and example
// file is parsed three ways (the fast path; the scanner with ANTLR's
// parser; the reference path, generated lexer and whole-file parse) and
// the dumps compared; every schema or migration file without a diagnostic
// must take the fast path. strata-fuzz-lexer compares the fast and
// reference paths on arbitrary input, and
// test/Parse/recursive-descent-bench.test on a generated benchmark schema.
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

/// Whether parsing Text, as a file named Name, on the reference path
/// reports anything.
bool reportsAnything(llvm::StringRef Text, llvm::StringRef Name) {
  selectLexer(LexerKind::Generated);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID = addSourceText(Text, Name, Diags);
  if (ID)
    parseBuffer(*ID, fileKindForPath(Name), Diags);
  selectLexer(LexerKind::Scanner);
  return !ID || !Diags.diagnostics().empty();
}

/// The messages of parsing Text (a file named Name) with Parser's path, in
/// the order they were reported: the rendered dump sorts them by position,
/// but the language server reads the engine's own order.
std::string reportedInOrder(llvm::StringRef Text, llvm::StringRef Name, ParserKind Parser) {
  selectParser(Parser);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  if (std::optional<unsigned> ID = addSourceText(Text, Name, Diags))
    parseBuffer(*ID, fileKindForPath(Name), Diags);
  selectParser(ParserKind::RecursiveDescent);
  std::string Out;
  for (const Diagnostic &D : Diags.diagnostics())
    Out += D.Message + "\n";
  return Out;
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
  unsigned FastSchemas = 0, FastMigrations = 0;
  for (const std::string &Path : Files) {
    std::string Text = readFile(Path);
    llvm::StringRef Name = llvm::sys::path::filename(Path);
    expectSameOnAllPaths(Text, Name, Path);
    if (reportsAnything(Text, Name))
      continue;
    EXPECT_TRUE(recursiveDescentAccepts(Text, Name)) << Path << " took the ANTLR path";
    ++(Name.endswith(".mig") ? FastMigrations : FastSchemas);
  }
  // Most schema and migration files in the tests are well formed.
  EXPECT_GT(FastSchemas, 20u);
  EXPECT_GT(FastMigrations, 50u);
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
      // An atom and a call starting a comparison read alike up to the `)`.
      "derived d(a: int) { d(X) <- r(X), f(X + 1, -X, [X]) * 2 = X, g(h(X), (X)) }",
      "derived d(a: int) { d(X) <- r(X), f(X) - 1 = X, !s(X), f(g(X)) % 2 != 0, t(X) }",
      "derived d(a: int) { d(X) <- f(X) < 3, r(X) }",
  };
  for (const char *Text : Cases) {
    EXPECT_TRUE(recursiveDescentAccepts(Text)) << Text;
    expectSameOnAllPaths(Text, "t.strata", Text);
  }
}

/// The operator limit counts a whole top-level expression: each argument
/// of an atom on its own, but every argument of a call inside an
/// expression, the call that starts a comparison included.
TEST(ParserDifferential, OperatorLimitAcrossArguments) {
  std::string Ops(600 * 4, ' ');
  for (size_t I = 0; I < 600; ++I)
    Ops.replace(I * 4, 4, " + 1");
  std::string Atom = "derived d(a: int) { d(X) <- r(1" + Ops + ", 1" + Ops + ") }";
  std::string Call = "derived d(a: int) { d(X) <- r(X), f(1" + Ops + ", 1" + Ops + ") < X }";
  std::string CallOnRight = "derived d(a: int) { d(X) <- r(X), X < f(1" + Ops + ", 1" + Ops + ") }";
  EXPECT_TRUE(recursiveDescentAccepts(Atom));
  expectSameOnAllPaths(Atom, "t.strata", "atom");
  for (const std::string &Text : {Call, CallOnRight}) {
    EXPECT_FALSE(recursiveDescentAccepts(Text));
    expectSameOnAllPaths(Text, "t.strata", Text.substr(0, 40));
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
}

/// Well-formed migration text the fast path must take: every kind of
/// operation, each optional part present and absent, soft keywords as
/// names, and raw IQL holding comments, nested braces and stray characters.
TEST(ParserDifferential, WellFormedMigrations) {
  const char *Cases[] = {
      "migration 0001_initial {}",
      "// head\nmigration m { // inside\n depends 0001_a, 0002_b replaces 0001_x /* x */ }",
      "migration 0002_b { depends create create relation r(a: int) }",
      "migration m { create relation r(a: int,) create relation s { a: int b: string = \"x\" } }",
      "migration m { drop relation r(a: int = -1, b: list[int] = [1, -2]) drop relation s {} }",
      "migration m { rename relation a -> b rename rule c -> d rename column r.a -> b }",
      "migration m { add column r.c: int = 0 first add column r.d: string after c }",
      "migration m { add column r.c: bool = true drop column r.c: float = 1.5 after b }",
      "migration m { drop column r.c: vector(3) add column column.column: int after after }",
      "migration m { retype column r.a: int -> string }",
      "migration m { retype column r.a: int -> float using X => X * 1.0 }",
      "migration m { retype column r.a: int -> string using X => s(X) reverse Y => i(Y) - -1 }",
      "migration m { retype column r.a: int -> string reverse Y => i(Y) using X => s(X) }",
      "migration m { reorder columns r (a, b,) -> (b, a) reorder columns s () -> () }",
      "migration m { create rule d(a: int) { d(X) <- r(X), X > 0 } drop rule e(a: int) {} }",
      "migration m { replace rule d { d(X) <- r(X) } replace rule e { e(X) <- s(X) } was {} }",
      "migration m { create index i on r(v) hnsw(m: 16) drop index j on r(v) hnsw }",
      "migration m { alter index i hnsw () alter index i hnsw (m: 8,) was hnsw (m: 16) }",
      "migration m { run iql { forward {} } }",
      "migration m { run iql { forward { .rel drop x // c\n { /* d */ ? \"s\" } é , }\n"
      "  backward { +x(a: int) } } }",
  };
  for (const char *Text : Cases) {
    EXPECT_TRUE(recursiveDescentAccepts(Text, "t.mig")) << Text;
    expectSameOnAllPaths(Text, "t.mig", Text);
  }
  // Accepted with diagnostics, reported in the ANTLR path's order (the
  // `using` expression's before the `reverse` one's, whatever the text's).
  const char *Reported[] = {
      "migration m { add column r.c: int = maybe }",
      "migration m { retype column r.a: int -> int reverse X => 99999999999999999999\n"
      "  using X => 99999999999999999998 }",
      "migration m { retype column r.a: int -> string using X => \"\\q\" reverse X => 1e999 }",
  };
  for (const char *Text : Reported) {
    EXPECT_TRUE(recursiveDescentAccepts(Text, "t.mig")) << Text;
    std::string Reported = reportedInOrder(Text, "t.mig", ParserKind::RecursiveDescent);
    EXPECT_NE(Reported, "") << Text;
    EXPECT_EQ(Reported, reportedInOrder(Text, "t.mig", ParserKind::Antlr)) << Text;
    expectSameOnAllPaths(Text, "t.mig", Text);
  }
}

/// Migration text the fast path must hand to ANTLR, which reports it.
TEST(ParserDifferential, GivesUpOnMigrationsItDoesNotExpect) {
  const char *Cases[] = {
      "",
      "// no migration",
      "relation r(a: int)",
      "migration a {} migration b {}",
      "migration m { create relation r(a: int) } relation s()",
      "migration m { depends }",
      "migration m { depends a, }",
      "migration m { add column r.c int }",
      "migration m { add column r: int }",
      "migration m { create column r.c: int }",
      "migration m { retype column r.a: int -> string using X => X using Y => Y }",
      "migration m { run iql { forward { \"open } } }",
      "migration m { run iql { forward { x }",
      "migration m { run iql { backward {} } }",
      "migration m { create relation r(a: int) /* open",
      "migration m { rename relation a -> b",
  };
  for (const char *Text : Cases) {
    EXPECT_FALSE(recursiveDescentAccepts(Text, "t.mig")) << Text;
    expectSameOnAllPaths(Text, "t.mig", Text);
  }
  // A migration in a schema file is reported there.
  EXPECT_FALSE(recursiveDescentAccepts("migration m {}", "t.strata"));
  expectSameOnAllPaths("migration m {}", "t.strata", "migration in a schema file");
}
