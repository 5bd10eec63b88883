//===- Transcript.cpp - The server's client transcripts, read back --------===//
#include "Transcript.h"
#include "strata/Exec/ReplyCheck.h"
#include "llvm/ADT/SmallVector.h"

using namespace strata;
using namespace strata::conformance;
using llvm::StringRef;

std::vector<Step> conformance::readTranscript(StringRef Text) {
  llvm::SmallVector<StringRef, 256> Lines;
  Text.split(Lines, '\n');
  // A final newline leaves one empty piece that is not a printed line.
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();
  std::vector<Step> Steps;
  for (size_t I = 0; I < Lines.size(); ++I) {
    StringRef L = Lines[I].rtrim("\r");
    if (L.startswith("> ") || L == ">") {
      Steps.push_back({unsigned(I + 1), L.drop_front(std::min<size_t>(2, L.size())).str(), {}});
      continue;
    }
    if (!Steps.empty())
      Steps.back().Output.push_back(L.str());
  }
  return Steps;
}

namespace {
bool isClientNote(StringRef Line) {
  return (Line.startswith("(session: ") && Line.endswith(" rule(s))")) ||
         (Line.startswith("(Cleared ") && Line.endswith(" session fact(s))"));
}

/// The cells of a `│ a │ b │` line, trimmed.
std::vector<std::string> cellsOf(StringRef Line) {
  Line = Line.trim();
  Line.consume_front("│");
  Line.consume_back("│");
  llvm::SmallVector<StringRef, 8> Parts;
  Line.split(Parts, "│");
  std::vector<std::string> Cells;
  for (StringRef P : Parts)
    Cells.push_back(P.trim(' ').str());
  return Cells;
}
} // namespace

Outcome conformance::readOutcome(const std::vector<std::string> &Block) {
  std::vector<StringRef> Lines;
  for (const std::string &L : Block)
    if (!isClientNote(L))
      Lines.push_back(L);
  Outcome O;
  for (size_t I = 0; I < Lines.size(); ++I) {
    if (!Lines[I].startswith("┌"))
      continue;
    O.IsTable = O.HasHeader = true;
    size_t J = I + 1;
    if (J < Lines.size() && Lines[J].startswith("│"))
      O.Columns = cellsOf(Lines[J++]);
    if (J < Lines.size() && Lines[J].startswith("├"))
      ++J;
    for (; J < Lines.size() && Lines[J].startswith("│"); ++J)
      O.Rows.push_back(cellsOf(Lines[J]));
    return O;
  }
  // An empty result: the client prints no header for it.
  for (StringRef L : Lines)
    if (L == "No results." || L == "  No data.") {
      O.IsTable = true;
      return O;
    }
  for (StringRef L : Lines)
    O.Messages.push_back(L.str());
  return O;
}

bool conformance::looksLikeFailure(StringRef Line) {
  return exec::replyFailure(Reply::message(Line.str())).has_value();
}
