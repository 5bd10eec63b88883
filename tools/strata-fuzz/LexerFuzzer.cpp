//===- LexerFuzzer.cpp - Differential libFuzzer target for the scanner ----===//
//
// The parser reads its tokens from a hand-written scanner; the lexer ANTLR
// generates from grammar/Strata.g4 is the reference. On every input both
// must produce the same tokens (type, channel, code point indices, line,
// column, text); any difference is a crash. Inputs that are not valid
// UTF-8 never reach a lexer and compare equal.
//
//===----------------------------------------------------------------------===//
#include "strata/Parse/Lexers.h"
#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  std::string Difference = strata::compareLexers(Text);
  if (!Difference.empty()) {
    std::fprintf(stderr, "the scanner and the generated lexer differ: %s\n", Difference.c_str());
    std::abort();
  }
  return 0;
}
