//===- ReplyCheck.cpp - Did the server accept a statement? ----------------===//
#include "strata/Exec/ReplyCheck.h"
#include "llvm/ADT/StringRef.h"
#include <fmt/format.h>

using namespace strata;

namespace {
/// Text with every 'quoted' name removed: a relation called `invalid_rows`
/// must not make `Inserted 1 fact(s) into 'invalid_rows'.` a failure.
std::string withoutQuotedNames(llvm::StringRef Text) {
  std::string Out;
  bool InQuote = false;
  for (char C : Text) {
    if (C == '\'')
      InQuote = !InQuote;
    else if (!InQuote)
      Out += C;
  }
  return Out;
}

bool isFailureMessage(llvm::StringRef Text) {
  std::string Unquoted = withoutQuotedNames(Text);
  llvm::StringRef T = llvm::StringRef(Unquoted).trim();
  for (llvm::StringRef Prefix : {"Error", "Parse error", "Index error", "Cannot", "Invalid",
                                 "Unsafe rule", "Conflicting aggregation"})
    if (T.startswith_insensitive(Prefix))
      return true;
  for (llvm::StringRef Word : {"not found", "rejected", "failed", "invalid", "does not exist"})
    if (T.contains_insensitive(Word))
      return true;
  return false;
}
} // namespace

std::optional<std::string> exec::replyFailure(const Reply &R) {
  if (R.IsError) {
    std::string Text = R.ErrorMessage.empty() ? "the server refused the program" : R.ErrorMessage;
    for (const ValidationError &E : R.ValidationErrors)
      Text += fmt::format("\n  line {}: {}", E.Line, E.Message);
    return Text;
  }
  if (!R.isMessage())
    return std::nullopt;
  for (const auto &Row : R.Rows)
    if (llvm::Optional<llvm::StringRef> S = Row.front().getAsString())
      if (isFailureMessage(*S))
        return S->str();
  return std::nullopt;
}
