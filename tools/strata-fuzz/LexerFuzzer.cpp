//===- LexerFuzzer.cpp - Differential libFuzzer target for the fast path --===//
//
// The parser reads its tokens from a hand-written scanner; a well-formed
// schema or migration file is parsed by the recursive-descent parser,
// anything else by ANTLR's one item at a time. The lexer ANTLR generates
// from grammar/Strata.g4, with the whole file parsed at once by ANTLR's
// parser, is the reference path. On every input both lexers must produce
// the same tokens (type, channel, code point indices, line, column, text),
// and both paths the same AST dump and the same rendered diagnostics, as a
// schema file and as a migration file. Any difference is a crash. Inputs
// that are not valid UTF-8 never reach a lexer and compare equal.
//
//===----------------------------------------------------------------------===//
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Lexers.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace strata;

namespace {
[[noreturn]] void differ(const char *What, const std::string &Detail) {
  std::fprintf(stderr, "the fast path and the reference path differ in %s:\n%s\n", What,
               Detail.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  std::string Difference = compareLexers(Text);
  if (!Difference.empty())
    differ("tokens", Difference);
  for (const char *Name : {"fuzz.strata", "fuzz.mig"}) {
    std::string Fast = parseDump(LexerKind::Scanner, Text, Name);
    std::string Reference = parseDump(LexerKind::Generated, Text, Name);
    if (Fast != Reference)
      differ(Name, "fast path:\n" + Fast + "\nreference path:\n" + Reference);
  }
  return 0;
}
