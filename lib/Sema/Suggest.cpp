//===- Suggest.cpp - Did-you-mean suggestions -----------------------------===//
#include "strata/Sema/Suggest.h"
#include <algorithm>

using namespace strata;
using namespace strata::sema;

NameSuggester::NameSuggester(llvm::StringRef Typo)
    : Typo(Typo), MaxDistance(std::max<unsigned>(1, Typo.size() / 3)),
      BestDistance(MaxDistance + 1) {}

void NameSuggester::offer(llvm::StringRef Candidate) {
  if (Candidate == Typo)
    return;
  size_t Longer = std::max(Candidate.size(), Typo.size());
  size_t Shorter = std::min(Candidate.size(), Typo.size());
  if (Longer - Shorter > MaxDistance)
    return;
  // Case slips (`Employee` for `employee`) count as one edit.
  unsigned D = Candidate.equals_insensitive(Typo)
                   ? 1
                   : Typo.edit_distance(Candidate, /*AllowReplacements=*/true, MaxDistance);
  if (D > MaxDistance)
    return;
  if (D < BestDistance || (D == BestDistance && Candidate < llvm::StringRef(Best))) {
    BestDistance = D;
    Best = Candidate.str();
  }
}

std::string sema::closestColumn(const ColumnList &Columns, llvm::StringRef Typo) {
  NameSuggester S(Typo);
  for (const ColumnDef &C : Columns.Columns)
    S.offer(C.Name);
  return S.best().str();
}

void sema::addSuggestion(DiagnosticBuilder B, llvm::SMRange Where, llvm::StringRef Suggestion) {
  if (Suggestion.empty())
    return;
  B.fixIt(Where, Suggestion.str());
  B.noteAt(DiagKind::NoteDidYouMean, Where, Suggestion.str());
}
