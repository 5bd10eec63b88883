//===- Lexer.h - IQL statement text to tokens ------------------*- C++ -*-===//
//
// The one IQL lexer. The parser reads its tokens; an editor can use it for
// syntax highlighting, since every token knows its byte range. Lexing stops
// at the first malformed token, which comes back as an Error token carrying
// the server's message and the diagnostic kind to report it under.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_LEXER_H
#define STRATA_IQL_LEXER_H

#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace strata::iql {

enum class TokenKind {
  End,      // after the last token
  Ident,    // a word starting with a lowercase letter: relation, function, keyword
  Var,      // a word starting with an uppercase letter or `_` (but not `_` alone)
  Wildcard, // `_`
  Int,
  Float,
  String,
  Punct, // `<-`, `<=`, `>=`, `!=`, `==` or one of `()[]{},:.?+-*/%!=<>`
  Error, // a malformed token; lexing stopped here
};

/// The text of 2^63, which only a preceding `-` makes a valid integer.
constexpr const char *MinIntMagnitude = "9223372036854775808";

struct Token {
  TokenKind K = TokenKind::End;
  /// Ident, Var, Punct and number spellings; a string's decoded contents;
  /// an Error's message.
  std::string Text;
  int64_t Int = 0;                          // Int: the value (2^63 reads as 0; see MinIntMagnitude)
  double Float = 0;                         // Float: the value
  size_t Pos = 0;                           // byte offset of the first character
  size_t End = 0;                           // byte offset just past the last character
  DiagKind ErrorKind = DiagKind::IqlSyntax; // Error: how to report it

  bool is(TokenKind Kind) const { return K == Kind; }
  bool isPunct(llvm::StringRef P) const { return K == TokenKind::Punct && Text == P; }
};

/// The tokens of one statement, ending with an End token, or with an Error
/// token at the first malformed one.
std::vector<Token> lex(llvm::StringRef Text);

/// Decodes a string literal's contents from Text at Pos, just past its
/// opening quote, into Out, leaving Pos past the closing quote: `\n`,
/// `\t`, `\r` are escapes and a backslash before any other character
/// stands for that character. False when no closing quote comes (Pos is
/// then Text's end). The lexer and the state file's fast fact reader share
/// it, so both read a string alike.
bool decodeStringBody(llvm::StringRef Text, size_t &Pos, std::string &Out);

} // namespace strata::iql

#endif
