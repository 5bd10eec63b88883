//===- Lexer.cpp - IQL statement text to tokens ----------------------------===//
#include "strata/IQL/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <cerrno>
#include <cstdlib>

using namespace strata;
using namespace strata::iql;
using llvm::StringRef;

namespace {
bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

class Lexer {
public:
  explicit Lexer(StringRef S) : S(S) {}
  std::vector<Token> run();

private:
  void push(TokenKind K, std::string Text, size_t Start) {
    Token T;
    T.K = K;
    T.Text = std::move(Text);
    T.Pos = Start;
    T.End = I;
    Out.push_back(std::move(T));
  }
  /// Records a malformed token; the caller stops lexing.
  void error(DiagKind Kind, std::string Message, size_t Start) {
    push(TokenKind::Error, std::move(Message), Start);
    Out.back().ErrorKind = Kind;
  }
  void skipDigits() {
    while (I < S.size() && llvm::isDigit(S[I]))
      ++I;
  }
  void lexWord(size_t Start);
  bool lexNumber(size_t Start);
  bool lexString(size_t Start);
  bool lexPunct(size_t Start);

  StringRef S;
  size_t I = 0;
  std::vector<Token> Out;
};
} // namespace

void Lexer::lexWord(size_t Start) {
  while (I < S.size() && isIdentChar(S[I]))
    ++I;
  std::string Word = S.substr(Start, I - Start).str();
  if (Word == "_")
    push(TokenKind::Wildcard, Word, Start);
  else if ((Word[0] >= 'A' && Word[0] <= 'Z') || Word[0] == '_')
    push(TokenKind::Var, Word, Start);
  else
    push(TokenKind::Ident, Word, Start);
}

bool Lexer::lexNumber(size_t Start) {
  skipDigits();
  bool IsFloat = false;
  if (I + 1 < S.size() && S[I] == '.' && llvm::isDigit(S[I + 1])) {
    IsFloat = true;
    ++I;
    skipDigits();
  }
  if (I < S.size() && (S[I] == 'e' || S[I] == 'E')) {
    size_t J = I + 1;
    if (J < S.size() && (S[J] == '+' || S[J] == '-'))
      ++J;
    if (J < S.size() && llvm::isDigit(S[J])) {
      IsFloat = true;
      I = J;
      skipDigits();
    }
  }
  std::string Num = S.substr(Start, I - Start).str();
  if (IsFloat) {
    push(TokenKind::Float, Num, Start);
    Out.back().Float = std::strtod(Num.c_str(), nullptr);
    return true;
  }
  errno = 0;
  unsigned long long V = std::strtoull(Num.c_str(), nullptr, 10);
  if (errno == ERANGE || V > 9223372036854775808ULL) {
    error(DiagKind::IqlIntegerOutOfRange, "Integer literal out of range: " + Num, Start);
    return false;
  }
  // 2^63 is only valid negated; the parser checks.
  push(TokenKind::Int, V == 9223372036854775808ULL ? MinIntMagnitude : Num, Start);
  Out.back().Int = int64_t(V & 0x7fffffffffffffffULL);
  return true;
}

/// A double-quoted string (decodeStringBody reads its contents).
bool Lexer::lexString(size_t Start) {
  std::string Str;
  ++I;
  if (decodeStringBody(S, I, Str)) {
    push(TokenKind::String, std::move(Str), Start);
    return true;
  }
  error(DiagKind::IqlUnterminatedString, "Unterminated string literal", Start);
  return false;
}

bool Lexer::lexPunct(size_t Start) {
  static const char *Two[] = {"<-", "<=", ">=", "!=", "=="};
  for (const char *P : Two)
    if (S.substr(I).startswith(P)) {
      I += 2;
      push(TokenKind::Punct, P, Start);
      return true;
    }
  char C = S[I];
  if (StringRef("()[]{},:.?+-*/%!=<>").contains(C)) {
    ++I;
    push(TokenKind::Punct, std::string(1, C), Start);
    return true;
  }
  error(DiagKind::IqlSyntax, std::string("Unexpected character '") + C + "'", Start);
  return false;
}

std::vector<Token> Lexer::run() {
  while (I < S.size()) {
    char C = S[I];
    if (llvm::isSpace(C)) {
      ++I;
      continue;
    }
    size_t Start = I;
    bool Ok = true;
    if (llvm::isAlpha(C) || C == '_')
      lexWord(Start);
    else if (llvm::isDigit(C))
      Ok = lexNumber(Start);
    else if (C == '"')
      Ok = lexString(Start);
    else
      Ok = lexPunct(Start);
    if (!Ok)
      return std::move(Out);
  }
  push(TokenKind::End, "", S.size());
  return std::move(Out);
}

std::vector<Token> strata::iql::lex(StringRef Text) { return Lexer(Text).run(); }

bool strata::iql::decodeStringBody(StringRef Text, size_t &Pos, std::string &Out) {
  while (Pos < Text.size()) {
    char D = Text[Pos++];
    if (D == '"')
      return true;
    if (D == '\\' && Pos < Text.size()) {
      char E = Text[Pos++];
      Out += E == 'n' ? '\n' : E == 't' ? '\t' : E == 'r' ? '\r' : E;
      continue;
    }
    Out += D;
  }
  return false;
}
