//===- Json.cpp - JSON from untrusted peers, with bounded nesting ---------===//
#include "strata/Support/Json.h"
#include <fmt/format.h>

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

llvm::Expected<llvm::json::Value> strata::parseJson(llvm::StringRef Text, unsigned MaxDepth) {
  if (nestingDepth(Text, MaxDepth) > MaxDepth)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   fmt::format("JSON nested more than {} levels deep", MaxDepth));
  return llvm::json::parse(Text);
}
