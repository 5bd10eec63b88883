//===- LexerDifferentialTest.cpp - Scanner against the generated lexer ---===//
//
// The hand-written scanner must produce exactly the tokens of the lexer
// ANTLR generates from grammar/Strata.g4, so that parsing (the same AST and
// the same diagnostics) cannot tell them apart. Checked on every test and
// example file, on the lexical corner cases of the grammar, and by parsing
// every file on both paths (the reference path also parses the whole file
// at once, where the fast path goes one item at a time). strata-fuzz-lexer
// does the same on arbitrary input.
//
//===----------------------------------------------------------------------===//
#include "TestFiles.h"
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Lexers.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {
std::vector<std::string> sourceFiles() {
  return test::sourceTreeFiles({".strata", ".mig", ".test"});
}

std::string readFile(const std::string &Path) { return test::readFileOrEmpty(Path); }

} // namespace

TEST(LexerDifferential, EveryTestAndExampleFile) {
  std::vector<std::string> Files = sourceFiles();
  ASSERT_GT(Files.size(), 100u);
  for (const std::string &Path : Files)
    EXPECT_EQ(compareLexers(readFile(Path)), "") << Path;
}

TEST(LexerDifferential, LexicalCornerCases) {
  const char *Cases[] = {
      "",
      " \t\r\n\f",
      "relation relations relation_ _relation",
      "renamed_from renamed_fromx",
      "1 12 1_ 1_a 12_x_9 1.5 1. 1.x .5 1e5 1E+5 1e-5 1e 1e+ 1.5e 1.5e+2 1.5E- 1e5_x 0_1.5",
      "\"a\" \"a\\\"b\" \"a\\\\\" \"\" \"abc",
      "\"abc\\\n\"",
      "\"abc\\",
      "\"a\\é\" \"é\\",
      "\"line\nnext\"",
      "\"cr\r\"",
      "// comment\nx // end",
      "//",
      "/",
      "/* a */ /* b",
      "/*/",
      "/**/ /*** x **/",
      "a/b/*c*/d//e\r\nf",
      "<- <= < -> - => == = != ! >= > <<- =>= !==",
      "+ * % ( ) { } [ ] , : . ? ; @ # $ & | ^ ~ ` \\ '",
      "é ü 中文 \xF0\x9F\x98\x80 x",
      "a\0b",
      "\xEF\xBB\xBF x",
      "x\n\ny\r\nz \xC3\xA9\n w",
      "derived d(x: int) { d(X) <- e(X) }",
      "migration 0001_init { create relation r(a: int) }",
      "run iql { forward { a(1). } }",
      "0x1F 007 1__ 9e9e9",
      "\"unterminated\\",
      "\"tab\t\" \"nul\0\"",
  };
  for (const char *Text : Cases)
    EXPECT_EQ(compareLexers(Text), "") << Text;
  // Strings with an embedded NUL need their length.
  EXPECT_EQ(compareLexers(llvm::StringRef("a\0b\"\0\"", 6)), "");
}

TEST(LexerDifferential, SameASTAndDiagnosticsOnEveryFile) {
  for (const std::string &Path : sourceFiles()) {
    std::string Text = readFile(Path);
    llvm::StringRef Name = llvm::sys::path::filename(Path);
    std::string Reference = parseDump(LexerKind::Generated, Text, Name);
    std::string Fast = parseDump(LexerKind::Scanner, Text, Name);
    EXPECT_EQ(Fast, Reference) << Path;
  }
}

TEST(LexerDifferential, SameDiagnosticsAtTheLimits) {
  std::string Deep(150, '(');
  std::string ManyErrors;
  for (int I = 0; I < 40; ++I)
    ManyErrors += "relation r" + std::to_string(I) + " ( : )\n";
  for (const std::string &Text :
       {Deep, ManyErrors, std::string("relation \"x"), std::string("relation r(a: int) /* open")})
    EXPECT_EQ(parseDump(LexerKind::Scanner, Text, "t.strata"),
              parseDump(LexerKind::Generated, Text, "t.strata"));
}
