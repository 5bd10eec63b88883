//===- Lexers.h - Which lexer feeds the parser, and their comparison -*- C++ -*-===//
//
// Parsing reads tokens from a hand-written scanner and parses one item at a
// time. The lexer ANTLR generates from grammar/Strata.g4, with the whole
// file parsed at once, stays available as the reference path: the
// differential tests parse every test file both ways, and a fuzz target
// compares the two token streams on arbitrary input. Nothing here exposes
// ANTLR to callers.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_PARSE_LEXERS_H
#define STRATA_PARSE_LEXERS_H

#include "llvm/ADT/StringRef.h"
#include <string>

namespace strata {

enum class LexerKind {
  /// The hand-written scanner (the default).
  Scanner,
  /// The reference path: the lexer generated from the grammar, and the
  /// whole file parsed at once before any AST is built, as before the
  /// scanner and item-at-a-time parsing (strata/Parse/Parser.h) existed.
  Generated,
};

/// Selects the lexer every later parse in this process uses. For tests and
/// for `STRATA_REFERENCE_LEXER=1` (read by the strata driver), which runs
/// any command on the reference path.
void selectLexer(LexerKind Kind);
LexerKind selectedLexer();

/// Lexes Text with both lexers and describes the first token on which they
/// differ (type, channel, code point indices, line, column or text), or
/// returns an empty string when the streams are identical. Text that is not
/// valid UTF-8 never reaches a lexer (the source loader rejects it) and
/// compares equal.
std::string compareLexers(llvm::StringRef Text);

/// The AST dump and the rendered diagnostics of parsing Text (a file
/// named Name: its extension says schema or migration) with Lexer's path;
/// the differential tests and fuzzer compare the two paths with it. The
/// scanner is selected again afterwards.
std::string parseDump(LexerKind Lexer, llvm::StringRef Text, llvm::StringRef Name);

} // namespace strata

#endif
