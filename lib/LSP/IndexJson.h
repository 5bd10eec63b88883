//===- IndexJson.h - The symbol index's answers as LSP values ---*- C++ -*-===//
//
// The index speaks byte offsets into the texts it holds; LSP speaks UTF-16
// positions. IndexRanges converts for one request, building each file's
// LineIndex once over the index's own text, so that every offset is
// converted against the text it points into. Every string put in a reply
// is an owned copy: the index's strings may change with the next edit.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_LSP_INDEXJSON_H
#define STRATA_LIB_LSP_INDEXJSON_H

#include "strata/Index/SymbolIndex.h"
#include "strata/LSP/Positions.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <memory>

namespace strata::lsp {

class IndexRanges {
public:
  explicit IndexRanges(const index::SymbolIndex &Index) : Index(Index) {}

  /// The byte offset of P in Path's indexed text (0 when not indexed).
  size_t offset(const std::string &Path, Position P);
  /// The LSP range of bytes [Begin, End) of Path.
  llvm::json::Object range(const std::string &Path, size_t Begin, size_t End);
  /// An LSP Location {uri, range}.
  llvm::json::Object location(const index::Location &L);
  /// A WorkspaceEdit {changes: {uri: [TextEdit]}}.
  llvm::json::Object workspaceEdit(const index::WorkspaceEdit &Edits);

private:
  const LineIndex &lines(const std::string &Path);

  const index::SymbolIndex &Index;
  std::map<std::string, std::unique_ptr<LineIndex>> Lines;
};

} // namespace strata::lsp

#endif
