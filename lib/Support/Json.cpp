//===- Json.cpp - JSON from untrusted peers, with bounded nesting ---------===//
#include "strata/Support/Json.h"
#include "llvm/ADT/STLExtras.h"
#include <cmath>
#include <fmt/format.h>
#include <set>

using namespace strata;

/// The deepest nesting of arrays and objects in Text, outside strings;
/// stops counting once past Limit.
static unsigned nestingDepth(llvm::StringRef Text, unsigned Limit) {
  unsigned Depth = 0, Deepest = 0;
  bool InString = false;
  for (size_t I = 0; I < Text.size() && Deepest <= Limit; ++I) {
    char C = Text[I];
    if (InString) {
      if (C == '\\')
        ++I; // the escaped character cannot end the string
      else if (C == '"')
        InString = false;
      continue;
    }
    if (C == '"')
      InString = true;
    else if (C == '[' || C == '{')
      Deepest = std::max(Deepest, ++Depth);
    else if ((C == ']' || C == '}') && Depth)
      --Depth;
  }
  return Deepest;
}

/// Whether V holds a number no double can represent: llvm::json reads
/// `1e999` as infinity, which no JSON text can spell again (it is written
/// as null). Recurses at most as deep as the nesting parseJson allowed.
static bool hasNonFiniteNumber(const llvm::json::Value &V) {
  if (const llvm::json::Array *A = V.getAsArray())
    return llvm::any_of(*A, hasNonFiniteNumber);
  if (const llvm::json::Object *O = V.getAsObject())
    return llvm::any_of(*O, [](const auto &KV) { return hasNonFiniteNumber(KV.second); });
  llvm::Optional<double> D = V.kind() == llvm::json::Value::Number ? V.getAsNumber() : llvm::None;
  return D && !std::isfinite(*D);
}

llvm::Expected<llvm::json::Value> strata::parseJson(llvm::StringRef Text, unsigned MaxDepth) {
  if (nestingDepth(Text, MaxDepth) > MaxDepth)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   fmt::format("JSON nested more than {} levels deep", MaxDepth));
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (V && hasNonFiniteNumber(*V))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "JSON has a number out of the range of a double");
  return V;
}

llvm::Optional<std::string> strata::repeatedTopLevelKey(llvm::StringRef Text) {
  std::set<std::string> Seen;
  unsigned Depth = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '{' || C == '[')
      ++Depth;
    else if ((C == '}' || C == ']') && Depth)
      --Depth;
    if (C != '"')
      continue;
    size_t End = I + 1;
    while (End < Text.size() && Text[End] != '"')
      End += Text[End] == '\\' ? 2 : 1;
    llvm::StringRef Literal = Text.slice(I, End + 1);
    I = End;
    // A string at the top object's level followed by `:` is one of its keys.
    size_t Next = Text.find_first_not_of(" \t\r\n", End + 1);
    if (Depth != 1 || Next == llvm::StringRef::npos || Text[Next] != ':')
      continue;
    llvm::Expected<llvm::json::Value> Key = llvm::json::parse(Literal);
    if (!Key) {
      llvm::consumeError(Key.takeError());
      continue;
    }
    std::string Name = Key->getAsString()->str();
    if (!Seen.insert(Name).second)
      return Name;
  }
  return llvm::None;
}

llvm::Optional<int64_t> strata::jsonInteger(const llvm::json::Value &V) {
  if (llvm::Optional<uint64_t> U = V.getAsUINT64()) // an integer, not negative
    return *U <= uint64_t(INT64_MAX) ? llvm::Optional<int64_t>(int64_t(*U)) : llvm::None;
  llvm::Optional<double> D = V.getAsNumber();
  if (!D || *D >= 9223372036854775808.0) // 2^63: no int64 holds it
    return llvm::None;
  return V.getAsInteger();
}

llvm::Optional<int64_t> strata::jsonInteger(const llvm::json::Object &O, llvm::StringRef Key) {
  const llvm::json::Value *V = O.get(Key);
  return V ? jsonInteger(*V) : llvm::None;
}
