//===- FactLine.cpp - Reading a state file's fact lines quickly -----------===//
//
// Accepts only text whose meaning to the IQL parser is plain: a lower-case
// relation name (an IQL identifier, so never a variable or a reserved
// `__` name), then integers the lexer reads as one Int token (or a `-`
// glued to one, which the parser folds into a negative constant) and
// strings with the lexer's escapes. Everything else goes to the parser.
//
//===----------------------------------------------------------------------===//
#include "FactLine.h"
#include "strata/IQL/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <cstdint>

using namespace strata::engine;
using llvm::StringRef;
using strata::iql::Tuple;
using strata::iql::Value;

namespace {
/// A cursor over one line's payload.
struct Cursor {
  const char *P, *End;
  bool at(char C) const { return P < End && *P == C; }
  bool take(char C) {
    if (!at(C))
      return false;
    ++P;
    return true;
  }
};
} // namespace

static bool isWordChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// `-`? digits, within int64 (INT64_MIN, whose magnitude the lexer keeps
/// apart, is left to the parser). Fails on a float's `.` or `e` after it
/// through the caller, which then expects `,` or `)`.
static bool readInteger(Cursor &C, Value &Out) {
  bool Negative = C.take('-');
  if (C.P == C.End || !llvm::isDigit(*C.P))
    return false;
  uint64_t Magnitude = 0;
  while (C.P < C.End && llvm::isDigit(*C.P)) {
    uint64_t Digit = uint64_t(*C.P - '0');
    if (Magnitude > (uint64_t(INT64_MAX) - Digit) / 10)
      return false;
    Magnitude = Magnitude * 10 + Digit;
    ++C.P;
  }
  // A digit run that goes on into a word (`12ab`) is two tokens to the
  // lexer; the caller's `,`/`)` check refuses it.
  int64_t V = int64_t(Magnitude);
  Out = Value::integer(Negative ? -V : V);
  return true;
}

/// A double-quoted string, decoded as the lexer decodes it.
static bool readString(Cursor &C, Value &Out) {
  if (!C.take('"'))
    return false;
  llvm::StringRef Rest(C.P, size_t(C.End - C.P));
  size_t Pos = 0;
  std::string Text;
  if (!strata::iql::decodeStringBody(Rest, Pos, Text))
    return false; // unterminated: the parser says so
  C.P += Pos;
  Out = Value::string(std::move(Text));
  return true;
}

bool strata::engine::readPlainFact(StringRef Payload, StringRef &Relation, Tuple &Row) {
  Cursor C{Payload.begin(), Payload.end()};
  if (!C.take('+') || C.P == C.End || !(*C.P >= 'a' && *C.P <= 'z'))
    return false;
  const char *NameStart = C.P;
  while (C.P < C.End && isWordChar(*C.P))
    ++C.P;
  Relation = StringRef(NameStart, size_t(C.P - NameStart));
  if (!C.take('('))
    return false;
  Row.clear();
  do {
    Value V;
    bool Read = C.at('"') ? readString(C, V) : readInteger(C, V);
    if (!Read)
      return false;
    Row.push_back(std::move(V));
    if (C.take(')'))
      return C.P == C.End;
  } while (C.take(',') && C.take(' '));
  return false;
}
