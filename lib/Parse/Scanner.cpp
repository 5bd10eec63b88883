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
#include <array>

using namespace strata::parse;
using L = strata_antlr::StrataLexer;

namespace {
/// What the lexer rules need to know of a byte, one table lookup each:
/// the scanner's loops ran several comparisons per byte (a tenth of
/// `check`'s instructions on a large schema).
enum CharClass : uint8_t {
  Space = 1,       // [ \t\r\n\f], skipped
  IdentStart = 2,  // [A-Za-z_]
  IdentChar = 4,   // [A-Za-z0-9_]
  KeywordChar = 8, // [a-z_]: every keyword is spelled with these
  Lower = 16,      // [a-z]: how every keyword starts
  Digit = 32,      // [0-9]
};

constexpr std::array<uint8_t, 256> makeCharClasses() {
  std::array<uint8_t, 256> Classes{};
  for (unsigned C = 0; C < 256; ++C) {
    bool IsLower = C >= 'a' && C <= 'z', IsUpper = C >= 'A' && C <= 'Z';
    bool IsDigit = C >= '0' && C <= '9', IsUnderscore = C == '_';
    uint8_t K = 0;
    if (C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == '\f')
      K |= Space;
    if (IsLower || IsUpper || IsUnderscore)
      K |= IdentStart | IdentChar;
    if (IsDigit)
      K |= IdentChar | Digit;
    if (IsLower || IsUnderscore)
      K |= KeywordChar;
    if (IsLower)
      K |= Lower;
    Classes[C] = K;
  }
  return Classes;
}
constexpr std::array<uint8_t, 256> CharClasses = makeCharClasses();

/// The token of each byte that is a token by itself whatever follows
/// (`(`, `,`, `.` ...), 0 for the others: a table lookup decides the
/// commonest tokens.
std::array<uint16_t, 256> makeOneByteTokens() {
  std::array<uint16_t, 256> Tokens{};
  const std::pair<char, size_t> OneByte[] = {
      {'+', L::PLUS},   {'*', L::STAR},   {'%', L::PERCENT}, {'(', L::LPAREN}, {')', L::RPAREN},
      {'{', L::LBRACE}, {'}', L::RBRACE}, {'[', L::LBRACK},  {']', L::RBRACK}, {',', L::COMMA},
      {':', L::COLON},  {'.', L::DOT},    {'?', L::QUESTION}};
  for (auto [C, Type] : OneByte)
    Tokens[static_cast<unsigned char>(C)] = static_cast<uint16_t>(Type);
  return Tokens;
}
const std::array<uint16_t, 256> OneByteTokens = makeOneByteTokens();

uint8_t classOf(char C) { return CharClasses[static_cast<unsigned char>(C)]; }
bool isDigit(char C) { return classOf(C) & Digit; }
bool isIdentChar(char C) { return classOf(C) & IdentChar; }
bool isSpace(char C) { return classOf(C) & Space; }
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

size_t Scanner::scanRaw(size_t At, RawToken *Out, size_t Max) const {
  size_t Count = 0;
  while (Count < Max) {
    while (At < Text.size() && isSpace(Text[At]))
      ++At;
    if (At >= Text.size()) {
      Out[Count++] = {static_cast<uint32_t>(Text.size()), 0, EofType};
      break;
    }
    auto [Type, Bytes] = scanToken(At);
    Out[Count++] = {static_cast<uint32_t>(At), static_cast<uint32_t>(Bytes),
                    static_cast<uint16_t>(Type)};
    At += Bytes;
  }
  return Count;
}

std::pair<size_t, size_t> Scanner::scanToken(size_t At) const {
  char C = Text[At];
  if (uint16_t One = OneByteTokens[static_cast<unsigned char>(C)])
    return {One, 1};
  size_t Type = L::UNKNOWN_CHAR;
  size_t Bytes;
  uint8_t K = classOf(C);
  if (K & IdentStart)
    Bytes = scanIdentifier(At, Type);
  else if (K & Digit)
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
  // Keywords are lowercase letters and `_`, starting with a letter: most
  // names (variables, names with digits) are told from them without
  // comparing strings.
  uint8_t AllClasses = classOf(Text[At]);
  size_t End = At + 1;
  for (; End < Text.size(); ++End) {
    uint8_t K = classOf(Text[End]);
    if (!(K & IdentChar))
      break;
    AllClasses &= K | Lower; // Lower is asked of the first byte only
  }
  bool MaybeKeyword = (AllClasses & (KeywordChar | Lower)) == (KeywordChar | Lower);
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

/// The tokens of one or two bytes that OneByteTokens leaves out.
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
  default:
    Type = L::UNKNOWN_CHAR;
    return 1;
  }
}
