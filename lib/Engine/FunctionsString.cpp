//===- FunctionsString.cpp - String functions ------------------------------===//
//
// Lengths and positions count bytes of UTF-8, as the server's reference
// says (`len` is the byte length, `substr` takes byte indexes); a substr
// whose start or end falls inside a character yields null rather than
// half a character. upper, lower and trim work over all of Unicode, as
// the server's do (UnicodeText.h). A result longer than MaxStringBytes is
// an overflow and yields null. docs/builtins.md lists every edge case.
//
//===----------------------------------------------------------------------===//
#include "FunctionSupport.h"
#include "UnicodeText.h"
#include "strata/Engine/Limits.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>

using namespace strata::engine;
using llvm::StringRef;
using strata::iql::FunctionId;

static bool isContinuationByte(unsigned char C) { return (C & 0xC0) == 0x80; }

/// Whether byte offset I of S starts a character (or is S's end).
static bool isCharBoundary(StringRef S, size_t I) {
  return I >= S.size() || !isContinuationByte(S[I]);
}

static Value boundedString(std::string S) {
  return S.size() > MaxStringBytes ? Value::null() : Value::string(std::move(S));
}

/// len: bytes of a string, elements of a list (its `sequence`).
static Value length(const Value &V) {
  if (V.kind() == Value::Kind::String)
    return Value::integer(int64_t(V.asString().size()));
  return Value::integer(int64_t(V.asList().size()));
}

static Value changeCase(FunctionId F, const Value &V) {
  StringRef S = V.asString();
  switch (F) {
  case FunctionId::Trim:
    return Value::string(unicodeTrim(S).str());
  case FunctionId::Upper:
    return boundedString(unicodeUpper(S));
  default:
    return boundedString(unicodeLower(S));
  }
}

/// substr(S, Start, Len): Len bytes from byte Start (0-based), clamped to
/// the string (a Start past the end gives ""); a negative Start or Len, or
/// an end that falls inside a character, fails.
static Value substring(const Value &S, const Value &Start, const Value &Len) {
  int64_t From = Start.asInt(), Count = Len.asInt();
  if (From < 0 || Count < 0)
    return Value::null();
  StringRef Text = S.asString();
  size_t Begin = size_t(std::min<int64_t>(From, int64_t(Text.size())));
  size_t End = Begin + size_t(std::min<int64_t>(Count, int64_t(Text.size() - Begin)));
  if (!isCharBoundary(Text, Begin) || !isCharBoundary(Text, End))
    return Value::null();
  return Value::string(Text.slice(Begin, End).str());
}

/// replace(S, Find, With): every occurrence, left to right. An empty Find
/// matches before every code point and at the end, as the server's does.
static Value replaceAll(const Value &S, const Value &Find, const Value &With) {
  StringRef Text = S.asString(), Needle = Find.asString(), Repl = With.asString();
  std::string Out;
  if (Needle.empty()) {
    for (size_t I = 0; I < Text.size(); ++I) {
      if (!isContinuationByte(Text[I]))
        Out += Repl;
      Out += Text[I];
      if (Out.size() > MaxStringBytes)
        return Value::null();
    }
    return boundedString(Out + Repl.str());
  }
  for (size_t Pos = 0;;) {
    size_t Hit = Text.find(Needle, Pos);
    Out += Text.slice(Pos, Hit);
    if (Hit == StringRef::npos || Out.size() > MaxStringBytes)
      break;
    Out += Repl;
    Pos = Hit + Needle.size();
  }
  return boundedString(std::move(Out));
}

/// concat: each value as the server displays it (strings unquoted).
static Value concat(Args A) {
  std::string S;
  for (const Value &V : A) {
    S += V.kind() == Value::Kind::String ? V.asString() : V.literal();
    if (S.size() > MaxStringBytes)
      return Value::null();
  }
  return Value::string(std::move(S));
}

Value strata::engine::callStringFunction(FunctionId F, Args A) {
  switch (F) {
  case FunctionId::Len:
    return length(A[0]);
  case FunctionId::Substr:
    return substring(A[0], A[1], A[2]);
  case FunctionId::Replace:
    return replaceAll(A[0], A[1], A[2]);
  case FunctionId::Concat:
    return concat(A);
  default:
    return changeCase(F, A[0]);
  }
}
