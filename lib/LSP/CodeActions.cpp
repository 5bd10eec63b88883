//===- CodeActions.cpp - Quick fixes from the diagnostics' fix-its -------===//
#include "DiagnosticsJson.h"
#include "FeatureSupport.h"
#include "strata/LSP/Server.h"

using namespace strata;
using namespace strata::lsp;

namespace {
bool before(Position A, Position B) {
  return A.Line < B.Line || (A.Line == B.Line && A.Character < B.Character);
}
/// Whether [S1, E1] and [S2, E2] share a position (touching counts: a
/// cursor at the end of an underlined word asks for its fix).
bool overlaps(Position S1, Position E1, Position S2, Position E2) {
  return !before(E1, S2) && !before(E2, S1);
}
} // namespace

llvm::Expected<llvm::json::Value> Server::codeAction(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  auto Range = rangeParam(*Params.getAsObject(), "range");
  if (!Range)
    return Range.takeError();
  llvm::json::Array Actions;
  for (const QuickFix &F : Files.diagnostics(*Path).Fixes) {
    if (!overlaps(F.Start, F.End, Range->first, Range->second))
      continue;
    Actions.push_back(llvm::json::Object{{"title", F.Title},
                                         {"kind", "quickfix"},
                                         {"diagnostics", llvm::json::Array{copyOf(F.Diagnostic)}},
                                         {"isPreferred", true},
                                         {"edit", copyOf(F.Edit)}});
  }
  return Actions;
}
