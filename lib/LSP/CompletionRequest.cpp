//===- CompletionRequest.cpp - Completion from the symbol index ----------===//
//
// The index says which word the cursor is in and what may replace it; each
// item carries a textEdit over exactly that word, so that the editor does
// not guess the word's extent by its own rules.
//
//===----------------------------------------------------------------------===//
#include "FeatureSupport.h"
#include "IndexJson.h"
#include "strata/LSP/Server.h"

using namespace strata;
using namespace strata::lsp;

namespace {
/// LSP CompletionItemKind; the same choices as the document symbols and
/// semantic tokens make (a column is a field, a relation a class).
int completionItemKind(index::CompletionKind K) {
  switch (K) {
  case index::CompletionKind::Relation:
    return 7; // Class
  case index::CompletionKind::Derived:
    return 22; // Struct
  case index::CompletionKind::Column:
    return 5; // Field
  case index::CompletionKind::Variable:
    return 6; // Variable
  case index::CompletionKind::Function:
  case index::CompletionKind::Aggregate:
    return 3; // Function
  case index::CompletionKind::Keyword:
    return 14; // Keyword
  }
  return 1; // Text
}
} // namespace

llvm::Expected<llvm::json::Value> Server::completion(const llvm::json::Value &Params) {
  const index::SymbolIndex &Index = Files.symbols();
  IndexRanges Ranges(Index);
  llvm::Expected<Cursor> At = cursor(Params, Ranges);
  if (!At)
    return At.takeError();
  index::Completion C = Index.completion(At->Path, At->Offset);
  llvm::json::Object Replaced = Ranges.range(At->Path, C.ReplaceBegin, C.ReplaceEnd);
  llvm::json::Array Items;
  for (index::CompletionItem &I : C.Items) {
    llvm::json::Object Item{{"label", I.Label},
                            {"kind", completionItemKind(I.Kind)},
                            {"textEdit", llvm::json::Object{{"range", llvm::json::Object(Replaced)},
                                                            {"newText", I.Label}}}};
    if (!I.Detail.empty())
      Item["detail"] = std::move(I.Detail);
    Items.push_back(std::move(Item));
  }
  return llvm::json::Object{{"isIncomplete", false}, {"items", std::move(Items)}};
}
