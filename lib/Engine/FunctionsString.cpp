//===- FunctionsString.cpp - String functions ------------------------------===//
//
// Lengths and positions count code points, so that substr never cuts a
// UTF-8 sequence in half. upper and lower map ASCII letters only (the
// server maps all of Unicode; docs/engine.md lists the difference). A
// result longer than MaxStringBytes is an overflow and yields null.
//
//===----------------------------------------------------------------------===//
#include "FunctionSupport.h"
#include "strata/Engine/Limits.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata::engine;
using llvm::StringRef;
using strata::iql::FunctionId;

static bool isContinuationByte(unsigned char C) { return (C & 0xC0) == 0x80; }

static int64_t codePoints(StringRef S) {
  int64_t N = 0;
  for (unsigned char C : S)
    N += !isContinuationByte(C);
  return N;
}

/// The byte offset of code point Index of S (S.size() past the end).
static size_t byteOffset(StringRef S, int64_t Index) {
  size_t I = 0;
  for (; I < S.size() && Index > 0; ++I)
    if (I + 1 == S.size() || !isContinuationByte(S[I + 1]))
      --Index;
  return I;
}

static Value boundedString(std::string S) {
  return S.size() > MaxStringBytes ? Value::null() : Value::string(std::move(S));
}

/// len: code points of a string, elements of a list (its `sequence`).
static Value length(const Value &V) {
  if (V.kind() == Value::Kind::String)
    return Value::integer(codePoints(V.asString()));
  return Value::integer(int64_t(V.asList().size()));
}

static Value changeCase(FunctionId F, const Value &V) {
  StringRef S = V.asString();
  switch (F) {
  case FunctionId::Trim:
    return Value::string(S.trim().str());
  case FunctionId::Upper:
    return Value::string(S.upper());
  default:
    return Value::string(S.lower());
  }
}

/// substr(S, Start, Len): Len code points from Start (0-based), clamped to
/// the string; a negative Start or Len fails.
static Value substring(const Value &S, const Value &Start, const Value &Len) {
  int64_t From = Start.asInt(), Count = Len.asInt();
  if (From < 0 || Count < 0)
    return Value::null();
  StringRef Text = S.asString();
  size_t Begin = byteOffset(Text, From);
  StringRef Rest = Text.drop_front(Begin);
  return Value::string(Rest.take_front(byteOffset(Rest, Count)).str());
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
