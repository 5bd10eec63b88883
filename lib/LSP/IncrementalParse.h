//===- IncrementalParse.h - Reparsing only what an edit changed -*- C++ -*-===//
//
// The language server's use of planReparse (strata/Parse/Reparse.h), as
// lib/Migrate/CachedFiles.cpp uses it for the build cache but in memory:
// a clean parse is kept as pieces (each item and comment with its span and
// its tree, locations relative to the span), so that after an edit the
// unchanged items are read back into the new text where they now are and
// only the text between them goes through the parser.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_LSP_INCREMENTALPARSE_H
#define STRATA_LIB_LSP_INCREMENTALPARSE_H

#include "strata/AST/SourceFile.h"
#include "strata/Parse/Reparse.h"
#include "llvm/Support/SourceMgr.h"
#include <optional>
#include <string>
#include <vector>

namespace strata::lsp {

struct ParsePieces {
  std::string Text; // the text the pieces were cut from
  std::vector<ItemSpan> Items, Comments;
  std::vector<std::string> ItemTrees, CommentTrees;
};

/// The pieces of F, a clean parse of Text.
ParsePieces cutPieces(const ast::SourceFile &F, llvm::StringRef Text);

/// The parse of buffer BufferID of SM (the edited text) from Old, and the
/// pieces of that parse in Old's place; nullopt when the edit needs a whole
/// parse (no plan, or the changed text alone does not parse cleanly).
std::optional<ast::SourceFile> reparse(ParsePieces &Old, llvm::SourceMgr &SM, unsigned BufferID);

} // namespace strata::lsp

#endif
