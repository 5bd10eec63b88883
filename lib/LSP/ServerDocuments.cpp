//===- ServerDocuments.cpp - Open, edit, save and close documents --------===//
//
// Notifications cannot be answered: a malformed one is dropped, and so is
// an edit of a document that is not open (a client's mistake, or messages
// out of order). Every accepted edit publishes diagnostics for the file
// and for every other file the check found changed.
//
//===----------------------------------------------------------------------===//
#include "DiagnosticsJson.h"
#include "FeatureSupport.h"
#include "strata/LSP/Server.h"

using namespace strata;
using namespace strata::lsp;

llvm::Expected<std::string> Server::documentPath(const llvm::json::Value &Params) {
  const llvm::json::Object *P = Params.getAsObject();
  const llvm::json::Object *Doc = P ? P->getObject("textDocument") : nullptr;
  llvm::Optional<llvm::StringRef> Uri = Doc ? Doc->getString("uri") : llvm::None;
  if (!Uri)
    return invalidParams("`textDocument.uri` is missing");
  std::optional<std::string> Path = uriToPath(*Uri);
  if (!Path)
    return invalidParams("`" + *Uri + "` is not a file: URI");
  if (!Opts.Sandbox.empty() && (!llvm::StringRef(*Path).startswith(Opts.Sandbox + "/") ||
                                Path->find("/..") != std::string::npos))
    return invalidParams("`" + *Uri + "` is outside the sandbox");
  return *Path;
}

void Server::publish(const std::vector<std::string> &Paths) {
  for (const std::string &Path : Paths) {
    llvm::json::Object Params{
        {"uri", pathToUri(Path)},
        {"diagnostics", llvm::json::Array(Files.diagnostics(Path).Diagnostics)}};
    if (const Document *D = Files.document(Path))
      Params["version"] = D->Version;
    notify("textDocument/publishDiagnostics", std::move(Params));
  }
}

void Server::didOpen(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return llvm::consumeError(Path.takeError());
  const llvm::json::Object *Doc = Params.getAsObject()->getObject("textDocument");
  llvm::Optional<llvm::StringRef> Text = Doc->getString("text");
  if (!Text)
    return;
  Files.open(*Path, Text->str(), Doc->getInteger("version").getValueOr(0));
  publish(Files.recheck(*Path));
}

namespace {
/// Applies one entry of contentChanges to Text: a range edit, or the
/// whole text. False when it is malformed.
bool applyChange(const llvm::json::Object &Change, std::string &Text) {
  llvm::Optional<llvm::StringRef> New = Change.getString("text");
  if (!New)
    return false;
  if (!Change.get("range")) {
    Text = New->str();
    return true;
  }
  auto Range = rangeParam(Change, "range");
  if (!Range) {
    llvm::consumeError(Range.takeError());
    return false;
  }
  LineIndex Lines(Text);
  size_t B = Lines.offset(Range->first), E = Lines.offset(Range->second);
  if (E < B)
    std::swap(B, E);
  Text.replace(B, E - B, New->str());
  return true;
}
} // namespace

void Server::didChange(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return llvm::consumeError(Path.takeError());
  const Document *D = Files.document(*Path);
  const llvm::json::Array *Changes = Params.getAsObject()->getArray("contentChanges");
  if (!D || !Changes)
    return;
  std::string Text = D->Text;
  for (const llvm::json::Value &C : *Changes) {
    const llvm::json::Object *O = C.getAsObject();
    if (!O || !applyChange(*O, Text))
      return; // a malformed change: keep the last good text
  }
  const llvm::json::Object *Doc = Params.getAsObject()->getObject("textDocument");
  Files.update(*Path, std::move(Text), Doc->getInteger("version").getValueOr(D->Version + 1));
  publish(Files.recheck(*Path));
}

void Server::didClose(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return llvm::consumeError(Path.takeError());
  if (!Files.document(*Path))
    return;
  Files.close(*Path);
  // The file is the disk's again: check that text.
  publish(Files.recheck(*Path));
}

void Server::didSave(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return llvm::consumeError(Path.takeError());
  // Saving changes the disk, which the checks of other files read (the
  // history's strata.sum, files that are not open).
  if (Files.document(*Path))
    publish(Files.recheck(*Path));
}
