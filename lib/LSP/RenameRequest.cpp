//===- RenameRequest.cpp - Rename and prepareRename ------------------------===//
//
// A rename is the index's workspace edit over the schema files, with the
// `renamed_from` the next makemigrations needs. When the index refuses (an
// illegal or taken name, a built-in, a migration), the reply is
// RequestFailed with the refusal's message, which editors show as is.
//
//===----------------------------------------------------------------------===//
#include "FeatureSupport.h"
#include "IndexJson.h"
#include "strata/LSP/Server.h"
#include "strata/Support/Diagnostics.h"

using namespace strata;
using namespace strata::lsp;

namespace {
/// The index's refusal as the error a request answers with.
llvm::Error refusal(llvm::Error E) {
  Diagnostic D = takeDiagnostic(std::move(E), DiagKind::RenameRefused);
  return llvm::make_error<LspError>(ErrorCode::RequestFailed, D.Message);
}
} // namespace

llvm::Expected<llvm::json::Value> Server::rename(const llvm::json::Value &Params) {
  const index::SymbolIndex &Index = Files.symbols();
  IndexRanges Ranges(Index);
  llvm::Expected<Cursor> At = cursor(Params, Ranges);
  if (!At)
    return At.takeError();
  llvm::Optional<llvm::StringRef> NewName = Params.getAsObject()->getString("newName");
  if (!NewName)
    return invalidParams("`newName` must be a string");
  llvm::Expected<index::WorkspaceEdit> Edit = Index.rename(At->Path, At->Offset, *NewName);
  if (!Edit)
    return refusal(Edit.takeError());
  return Ranges.workspaceEdit(*Edit);
}

llvm::Expected<llvm::json::Value> Server::prepareRename(const llvm::json::Value &Params) {
  const index::SymbolIndex &Index = Files.symbols();
  IndexRanges Ranges(Index);
  llvm::Expected<Cursor> At = cursor(Params, Ranges);
  if (!At)
    return At.takeError();
  std::optional<index::SymbolAt> S = Index.symbolAt(At->Path, At->Offset);
  if (!S)
    return nullptr;
  // Renaming to the current name checks all but the new name, and edits
  // nothing.
  llvm::Expected<index::WorkspaceEdit> Edit = Index.rename(At->Path, At->Offset, S->Sym.Name);
  if (!Edit)
    return refusal(Edit.takeError());
  const index::Location &L = S->Occ.Loc;
  return llvm::json::Object{{"range", Ranges.range(L.Path, L.Begin, L.End)},
                            {"placeholder", std::move(S->Sym.Name)}};
}
