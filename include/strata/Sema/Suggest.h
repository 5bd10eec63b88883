//===- Suggest.h - Did-you-mean suggestions --------------------*- C++ -*-===//
#ifndef STRATA_SEMA_SUGGEST_H
#define STRATA_SEMA_SUGGEST_H

#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace strata::sema {

/// Keeps the closest candidate to a misspelt name. Ties go to the smaller
/// name, so the result does not depend on the order candidates are offered.
class NameSuggester {
public:
  explicit NameSuggester(llvm::StringRef Typo);
  void offer(llvm::StringRef Candidate);
  /// Empty when no candidate was close enough.
  llvm::StringRef best() const { return Best; }

private:
  llvm::StringRef Typo;
  unsigned MaxDistance;
  unsigned BestDistance;
  std::string Best;
};

/// The column of Columns closest to Typo, or empty.
std::string closestColumn(const ColumnList &Columns, llvm::StringRef Typo);

/// Looking for a near miss scans every relation name. Like clang's
/// -fspell-checking-limit, stop searching once this many errors have been
/// reported, so input with thousands of unknown names stays linear.
constexpr unsigned SpellCheckingLimit = 50;
inline bool spellCheckingAllowed(const DiagnosticEngine &Diags) {
  return Diags.errorCount() < SpellCheckingLimit;
}

/// Adds `did you mean` as a note at Where and a fix-it replacing Where, when
/// Suggestion is not empty.
void addSuggestion(DiagnosticBuilder B, llvm::SMRange Where, llvm::StringRef Suggestion);

} // namespace strata::sema

#endif
