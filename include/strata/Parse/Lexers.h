//===- Lexers.h - Which lexer and parser, and their comparison -*- C++ -*-===//
//
// Parsing reads tokens from a hand-written scanner; a hand-written
// recursive-descent parser builds the AST of a well-formed schema or
// migration file, and anything else goes to the parser ANTLR generates,
// one item at a time. The lexer ANTLR generates from grammar/Strata.g4,
// with the whole file parsed at once, stays available as the reference
// path: the differential tests parse every test file both ways, and a fuzz
// target compares the two token streams on arbitrary input. Nothing here
// exposes ANTLR to callers.
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

enum class ParserKind {
  /// The recursive-descent parser for well-formed schema and migration
  /// files, the ANTLR parser for the rest (the default).
  RecursiveDescent,
  /// The ANTLR parser for every file.
  Antlr,
};

/// Selects the parser every later parse in this process uses, when the
/// scanner is selected (the reference path never uses the
/// recursive-descent parser). For tests and for `STRATA_ANTLR_PARSER=1`
/// (read by the strata driver).
void selectParser(ParserKind Kind);
ParserKind selectedParser();

/// Lexes Text with both lexers and describes the first token on which they
/// differ (type, channel, code point indices, line, column or text), or
/// returns an empty string when the streams are identical. Text that is not
/// valid UTF-8 never reaches a lexer (the source loader rejects it) and
/// compares equal.
std::string compareLexers(llvm::StringRef Text);

/// The AST dump and the rendered diagnostics of parsing Text (a file
/// named Name: its extension says schema or migration) with Lexer's and
/// Parser's path; the differential tests and fuzzer compare the paths with
/// it. The scanner and the recursive-descent parser are selected again
/// afterwards.
std::string parseDump(LexerKind Lexer, llvm::StringRef Text, llvm::StringRef Name,
                      ParserKind Parser = ParserKind::RecursiveDescent);

/// Whether the recursive-descent parser parses Text, as a file named Name
/// (its extension says schema or migration), by itself rather than handing
/// it to ANTLR: the tests check that it does for every well-formed file
/// they compare.
bool recursiveDescentAccepts(llvm::StringRef Text, llvm::StringRef Name = "accepts.strata");

} // namespace strata

#endif
