//===- IndexJson.cpp - The symbol index's answers as LSP values -----------===//
#include "IndexJson.h"
#include "DiagnosticsJson.h"

using namespace strata;
using namespace strata::lsp;

const LineIndex &IndexRanges::lines(const std::string &Path) {
  std::unique_ptr<LineIndex> &L = Lines[Path];
  if (!L)
    L = std::make_unique<LineIndex>(Index.text(Path).value_or(llvm::StringRef()));
  return *L;
}

size_t IndexRanges::offset(const std::string &Path, Position P) { return lines(Path).offset(P); }

llvm::json::Object IndexRanges::range(const std::string &Path, size_t Begin, size_t End) {
  const LineIndex &L = lines(Path);
  return lspRange(L.position(Begin), L.position(End));
}

llvm::json::Object IndexRanges::location(const index::Location &L) {
  return llvm::json::Object{{"uri", pathToUri(L.Path)}, {"range", range(L.Path, L.Begin, L.End)}};
}

llvm::json::Object IndexRanges::workspaceEdit(const index::WorkspaceEdit &Edits) {
  llvm::json::Object Changes;
  for (const auto &[Path, FileEdits] : Edits) {
    llvm::json::Array Out;
    for (const index::TextEdit &E : FileEdits)
      Out.push_back(llvm::json::Object{{"range", range(Path, E.Begin, E.End)},
                                       {"newText", std::string(E.NewText)}});
    Changes[pathToUri(Path)] = std::move(Out);
  }
  return llvm::json::Object{{"changes", std::move(Changes)}};
}
