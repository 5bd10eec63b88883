//===- Scanner.cpp - The lexer rules of grammar/Strata.g4, by hand --------===//
//
// Each function mirrors lexer rules of the grammar. ANTLR takes the longest
// match and, between matches of one length, the rule written first (so a
// keyword beats IDENT); where a longer rule fails part-way (`1.` or `1e+`),
// it falls back to the longest prefix some rule accepts.
//
//===----------------------------------------------------------------------===//
#include "Scanner.h"
#include "StrataLexer.h"
#include "llvm/ADT/StringSwitch.h"

using namespace strata::parse;
using L = strata_antlr::StrataLexer;

namespace {
bool isDigit(char C) { return C >= '0' && C <= '9'; }
bool isIdentStart(char C) { return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || C == '_'; }
bool isIdentChar(char C) { return isIdentStart(C) || isDigit(C); }
bool isSpace(char C) { return C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == '\f'; }
bool isContinuation(char C) { return (static_cast<unsigned char>(C) & 0xC0) == 0x80; }

/// The keyword token for Word, or IDENT.
size_t keywordOrIdent(llvm::StringRef Word) {
  return llvm::StringSwitch<size_t>(Word)
      .Case("relation", L::RELATION)
      .Case("derived", L::DERIVED)
      .Case("index", L::INDEX)
      .Case("on", L::ON)
      .Case("hnsw", L::HNSW)
      .Case("renamed_from", L::RENAMED_FROM)
      .Case("migration", L::MIGRATION)
      .Case("depends", L::DEPENDS)
      .Case("replaces", L::REPLACES)
      .Case("create", L::CREATE)
      .Case("drop", L::DROP)
      .Case("rename", L::RENAME)
      .Case("add", L::ADD)
      .Case("retype", L::RETYPE)
      .Case("replace", L::REPLACE)
      .Case("alter", L::ALTER)
      .Case("run", L::RUN)
      .Case("iql", L::IQL)
      .Case("forward", L::FORWARD)
      .Case("backward", L::BACKWARD)
      .Case("column", L::COLUMN)
      .Case("rule", L::RULE)
      .Case("was", L::WAS)
      .Case("using", L::USING)
      .Case("reverse", L::REVERSE)
      .Case("first", L::FIRST)
      .Case("after", L::AFTER)
      .Case("reorder", L::REORDER)
      .Case("columns", L::COLUMNS)
      .Default(L::IDENT);
}
} // namespace

static_assert(sizeof(SourceToken) == 48, "keep tokens small: a large file has millions");

std::string SourceToken::getText() const {
  if (Type == EofType)
    return "<EOF>"; // what CommonToken says for EOF
  return Source->text().substr(ByteOffset, NumBytes).str();
}

void SourceToken::setText(const std::string &) {
  // Nothing in the parser rewrites token text; the error strategy makes
  // tokens of its own for what it invents.
  assert(false && "Scanner tokens are read-only");
}

antlr4::TokenSource *SourceToken::getTokenSource() const {
  // ANTLR's interface is not const-correct: a token source is only read.
  return const_cast<Scanner *>(Source);
}
antlr4::CharStream *SourceToken::getInputStream() const { return nullptr; }

std::string SourceToken::toString() const {
  return "[@" + std::to_string(getTokenIndex()) + "," + std::to_string(Start) + ":" +
         std::to_string(getStopIndex()) + "='" + getText() + "',<" + std::to_string(getType()) +
         ">," + std::to_string(Line) + ":" + std::to_string(Column) + "]";
}

void Scanner::advance(size_t Bytes) {
  for (size_t End = Pos + Bytes; Pos < End; ++Pos) {
    char C = Text[Pos];
    if (isContinuation(C))
      continue; // counted with its lead byte
    ++CodePoint;
    if (C == '\n') {
      ++Line;
      Column = 0;
    } else {
      ++Column;
    }
  }
}

std::unique_ptr<antlr4::Token> Scanner::nextToken() {
  size_t Spaces = 0;
  while (Pos + Spaces < Text.size() && isSpace(Text[Pos + Spaces]))
    ++Spaces;
  advance(Spaces);
  if (Pos == Text.size())
    return std::unique_ptr<antlr4::Token>(
        new (Arena) SourceToken(this, antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, CodePoint,
                                CodePoint - 1, Line, Column, Pos, 0));
  auto [Type, Bytes] = scanToken(Pos);
  size_t Start = CodePoint, StartLine = Line, StartColumn = Column, Offset = Pos;
  advance(Bytes);
  size_t Channel = Type == L::LINE_COMMENT || Type == L::BLOCK_COMMENT
                       ? antlr4::Token::HIDDEN_CHANNEL
                       : antlr4::Token::DEFAULT_CHANNEL;
  return std::unique_ptr<antlr4::Token>(new (Arena) SourceToken(
      this, Type, Channel, Start, CodePoint - 1, StartLine, StartColumn, Offset, Bytes));
}

Scanner::RawToken Scanner::scanRaw(size_t At) const {
  while (At < Text.size() && isSpace(Text[At]))
    ++At;
  if (At >= Text.size())
    return {static_cast<uint32_t>(Text.size()), 0, EofType};
  auto [Type, Bytes] = scanToken(At);
  return {static_cast<uint32_t>(At), static_cast<uint32_t>(Bytes), static_cast<uint16_t>(Type)};
}

std::pair<size_t, size_t> Scanner::scanToken(size_t At) const {
  char C = Text[At];
  size_t Type = L::UNKNOWN_CHAR;
  size_t Bytes;
  if (isIdentStart(C))
    Bytes = scanIdentifier(At, Type);
  else if (isDigit(C))
    Bytes = scanNumber(At, Type);
  else if (C == '"')
    Bytes = scanString(At, Type);
  else if (C == '/')
    Bytes = scanSlash(At, Type);
  else
    Bytes = scanOperator(At, Type);
  if (Type == L::UNKNOWN_CHAR) { // one code point: a lead byte and its continuations
    Bytes = 1;
    while (At + Bytes < Text.size() && isContinuation(Text[At + Bytes]))
      ++Bytes;
  }
  return {Type, Bytes};
}

size_t Scanner::scanIdentifier(size_t At, size_t &Type) const {
  // Keywords are lowercase letters and `_`: most names (variables, names
  // with digits) are told from them without comparing strings.
  bool MaybeKeyword = Text[At] >= 'a' && Text[At] <= 'z';
  size_t End = At + 1;
  for (; End < Text.size() && isIdentChar(Text[End]); ++End)
    MaybeKeyword &= (Text[End] >= 'a' && Text[End] <= 'z') || Text[End] == '_';
  Type = MaybeKeyword ? keywordOrIdent(Text.slice(At, End)) : size_t(L::IDENT);
  return End - At;
}

// MIGRATION_NAME : DIGIT+ '_' [A-Za-z0-9_]* ;
// FLOAT : DIGIT+ '.' DIGIT+ ([eE] [+-]? DIGIT+)? | DIGIT+ [eE] [+-]? DIGIT+ ;
// INT   : DIGIT+ ;
size_t Scanner::scanNumber(size_t At, size_t &Type) const {
  auto DigitsFrom = [&](size_t I) {
    while (I < Text.size() && isDigit(Text[I]))
      ++I;
    return I;
  };
  auto At_ = [&](size_t I) { return I < Text.size() ? Text[I] : '\0'; };
  size_t End = DigitsFrom(At);
  if (At_(End) == '_') {
    Type = L::MIGRATION_NAME;
    ++End;
    while (End < Text.size() && isIdentChar(Text[End]))
      ++End;
    return End - At;
  }
  Type = L::INT;
  if (At_(End) == '.' && isDigit(At_(End + 1))) {
    Type = L::FLOAT;
    End = DigitsFrom(End + 1);
  }
  if (At_(End) == 'e' || At_(End) == 'E') {
    size_t Exp = End + 1;
    if (At_(Exp) == '+' || At_(Exp) == '-')
      ++Exp;
    if (isDigit(At_(Exp))) {
      Type = L::FLOAT;
      End = DigitsFrom(Exp);
    }
  }
  return End - At;
}

// STRING              : '"' (ESCAPE | ~["\\\r\n])* '"' ;
// UNTERMINATED_STRING : '"' (ESCAPE | ~["\\\r\n])* ;
// fragment ESCAPE     : '\\' ~[\r\n] ;
size_t Scanner::scanString(size_t At, size_t &Type) const {
  size_t I = At + 1;
  while (I < Text.size()) {
    char C = Text[I];
    if (C == '"') {
      Type = L::STRING;
      return I + 1 - At;
    }
    if (C == '\r' || C == '\n')
      break;
    if (C == '\\') {
      if (I + 1 == Text.size() || Text[I + 1] == '\r' || Text[I + 1] == '\n')
        break; // a backslash that escapes nothing ends the string before it
      I += 2;  // a multi-byte escaped character continues as plain bytes
      continue;
    }
    ++I;
  }
  Type = L::UNTERMINATED_STRING;
  return I - At;
}

// LINE_COMMENT  : '//' ~[\r\n]* ;
// BLOCK_COMMENT : '/*' .*? ('*/' | EOF) ;
// SLASH         : '/' ;
size_t Scanner::scanSlash(size_t At, size_t &Type) const {
  char Next = At + 1 < Text.size() ? Text[At + 1] : '\0';
  if (Next == '/') {
    Type = L::LINE_COMMENT;
    size_t End = Text.find_first_of("\r\n", At + 2);
    return (End == llvm::StringRef::npos ? Text.size() : End) - At;
  }
  if (Next == '*') {
    Type = L::BLOCK_COMMENT;
    size_t Close = Text.find("*/", At + 2);
    return (Close == llvm::StringRef::npos ? Text.size() : Close + 2) - At;
  }
  Type = L::SLASH;
  return 1;
}

size_t Scanner::scanOperator(size_t At, size_t &Type) const {
  char Next = At + 1 < Text.size() ? Text[At + 1] : '\0';
  auto Pair = [&](char Second, size_t Long, size_t Short) {
    Type = Next == Second ? Long : Short;
    return Next == Second ? size_t(2) : size_t(1);
  };
  switch (Text[At]) {
  case '<':
    if (Next == '-')
      return Type = L::ARROW_LEFT, 2;
    return Pair('=', L::LE, L::LT);
  case '=':
    if (Next == '>')
      return Type = L::FAT_ARROW, 2;
    return Pair('=', L::EQEQ, L::ASSIGN);
  case '-':
    return Pair('>', L::ARROW, L::MINUS);
  case '!':
    return Pair('=', L::NEQ, L::BANG);
  case '>':
    return Pair('=', L::GE, L::GT);
  case '+':
    return Type = L::PLUS, 1;
  case '*':
    return Type = L::STAR, 1;
  case '%':
    return Type = L::PERCENT, 1;
  case '(':
    return Type = L::LPAREN, 1;
  case ')':
    return Type = L::RPAREN, 1;
  case '{':
    return Type = L::LBRACE, 1;
  case '}':
    return Type = L::RBRACE, 1;
  case '[':
    return Type = L::LBRACK, 1;
  case ']':
    return Type = L::RBRACK, 1;
  case ',':
    return Type = L::COMMA, 1;
  case ':':
    return Type = L::COLON, 1;
  case '.':
    return Type = L::DOT, 1;
  case '?':
    return Type = L::QUESTION, 1;
  default:
    Type = L::UNKNOWN_CHAR;
    return 1;
  }
}
