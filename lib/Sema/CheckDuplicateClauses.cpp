//===- CheckDuplicateClauses.cpp - Clauses the server keeps as one --------===//
//
// A rule clause that lowers to the same IQL clause as an earlier one of its
// rule is accepted by the server and registered once: it adds nothing, and
// a reader counting the schema's clauses counts one too many. Likely a
// copy left behind or a named atom written again positionally, so Sema
// warns and offers to delete it.
//
//===----------------------------------------------------------------------===//
#include "strata/IQL/Printer.h"
#include "strata/Sema/Sema.h"
#include "strata/Sema/ServerClause.h"

using namespace strata;

namespace {
bool isBlank(char C) { return C == ' ' || C == '\t'; }

/// What deleting C removes: its whole lines when nothing else is on them
/// (so no blank line stays behind), else only the clause.
llvm::SMRange deletion(const ast::Clause &C) {
  const char *Begin = C.Range.Start.getPointer();
  const char *End = C.Range.End.getPointer();
  if (!Begin || !End)
    return C.Range;
  const char *LineStart = Begin;
  while (isBlank(LineStart[-1]))
    --LineStart;
  const char *LineEnd = End;
  while (isBlank(*LineEnd))
    ++LineEnd;
  if (*LineEnd == '\r')
    ++LineEnd;
  if (LineStart[-1] != '\n' || *LineEnd != '\n')
    return C.Range;
  return {llvm::SMLoc::getFromPointer(LineStart), llvm::SMLoc::getFromPointer(LineEnd + 1)};
}
} // namespace

void strata::warnDuplicateClauses(const ast::Ident &Name, const ColumnList &HeadColumns,
                                  llvm::ArrayRef<ast::Clause> Clauses, const SchemaState &State,
                                  DiagnosticEngine &Diags) {
  if (Clauses.size() < 2)
    return;
  ColumnLookup Lookup = [&](llvm::StringRef Rel) -> const ColumnList * {
    return Rel == Name.Name ? &HeadColumns : State.columnsOf(Rel);
  };
  std::vector<const ast::Clause *> Ptrs;
  Ptrs.reserve(Clauses.size());
  for (const ast::Clause &C : Clauses)
    Ptrs.push_back(&C);
  std::optional<std::vector<size_t>> Kept = keptClauseIndexes(Ptrs, Lookup);
  if (!Kept)
    return;
  for (size_t I = 0; I < Clauses.size(); ++I) {
    size_t First = (*Kept)[I];
    if (First == I || !Clauses[I].Range.isValid())
      continue;
    std::optional<iql::Clause> Lowered = serverClause(Clauses[First], Lookup);
    Diags.reportAt(DiagKind::DuplicateClause, Clauses[I].Range, Name.Name)
        .noteAt(DiagKind::NoteEarlierClause, Clauses[First].Range,
                Lowered ? iql::printClause(*Lowered) : std::string())
        .fixIt(deletion(Clauses[I]), "");
  }
}
