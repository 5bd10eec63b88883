//===- LowerRawIql.cpp - run iql ------------------------------------------===//
//
// Raw IQL is the author's, sent verbatim: only its layout is normalised so
// that each statement starts at the left margin and its continuation lines
// start with whitespace, as the server's program splitter expects.
//
//===----------------------------------------------------------------------===//
#include "LowerOps.h"
#include "strata/IQL/Parser.h"
#include "llvm/ADT/SmallVector.h"

using namespace strata;
using namespace strata::codegen;

std::vector<std::string> codegen::splitRawIql(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  Text.split(Lines, '\n');
  auto Indent = [](llvm::StringRef L) { return L.size() - L.ltrim(" \t").size(); };
  // The first line may share the `{` line: its own indentation means nothing.
  size_t Base = std::string::npos;
  for (size_t I = 0; I < Lines.size(); ++I) {
    if (Lines[I].trim().empty() || I == 0)
      continue;
    Base = std::min(Base, Indent(Lines[I]));
  }
  if (Base == std::string::npos)
    Base = 0;
  std::vector<std::string> Out;
  for (size_t I = 0; I < Lines.size(); ++I) {
    llvm::StringRef L = Lines[I].rtrim();
    if (L.trim().empty())
      continue;
    size_t Lead = I == 0 ? 0 : Indent(L) - std::min(Indent(L), Base);
    llvm::StringRef Body = L.ltrim(" \t");
    if (Lead == 0 || Out.empty())
      Out.push_back(Body.str());
    else
      Out.back() += "\n" + std::string(Lead, ' ') + Body.str();
  }
  return Out;
}

IqlStatement strata::rawIqlStatement(std::string Text) {
  IqlStatement Out;
  Out.Purpose = StepPurpose::Raw;
  llvm::Expected<std::optional<iql::Statement>> Tree = iql::parseProgramStatement(Text);
  if (!Tree)
    Out.ParseError = llvm::toString(Tree.takeError());
  else
    Out.Tree = std::move(*Tree);
  Out.Text = std::move(Text);
  return Out;
}

bool codegen::lowerRunIql(const RunIql &Op, LowerCtx &C) {
  for (std::string &S : splitRawIql(Op.Forward))
    C.Out.Forward.push_back(rawIqlStatement(std::move(S)));
  if (!Op.Backward) {
    C.Out.Irreversible = true;
    return true;
  }
  for (std::string &S : splitRawIql(*Op.Backward))
    C.Out.Backward.push_back(rawIqlStatement(std::move(S)));
  return true;
}
