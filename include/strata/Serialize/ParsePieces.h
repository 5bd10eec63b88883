//===- ParsePieces.h - Reparsing an edited schema file from pieces -*- C++ -*-===//
//
// planReparse (strata/Parse/Reparse.h) says which items of an edited schema
// file the edit cannot have changed; reusing them needs their trees free of
// the old text's addresses. So a clean parse is kept as pieces: each item
// and each comment with its span and its tree, encoded with locations
// relative to the span's start (a piece an edit only moved is the same
// bytes). reparseFromPieces reads the kept pieces back into the new text
// where they now are and sends only the text between them through the
// parser. The build cache keeps pieces on disk (lib/Migrate/CachedFiles.cpp),
// the language server in memory (lib/LSP/SchemaSet.cpp).
//
// Here rather than in lib/Parse: the pieces are this library's encoding,
// and the parser stays below Sema, which this library depends on.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SERIALIZE_PARSEPIECES_H
#define STRATA_SERIALIZE_PARSEPIECES_H

#include "strata/AST/SourceFile.h"
#include "strata/Parse/Reparse.h"
#include "llvm/Support/SourceMgr.h"
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// A clean parse of a schema file, as pieces in the order of the text.
struct ParsePieces {
  std::string Text; // the text the pieces were cut from
  std::vector<ItemSpan> Items, Comments;
  /// Parallel to Items and Comments: each tree, its locations relative to
  /// the start of its span.
  std::vector<std::string> ItemTrees, CommentTrees;
};

/// The pieces of F, a parse of Text without diagnostics.
ParsePieces cutPieces(const ast::SourceFile &F, llvm::StringRef Text);

struct Reparsed {
  ast::SourceFile File;
  ParsePieces Pieces;     // of File
  size_t ItemsKept = 0;   // read back from the old pieces
  size_t ItemsParsed = 0; // from the text between them
};

/// The parse of buffer BufferID of SM, a schema file whose previous text
/// had the clean parse Old: exactly what parsing the whole buffer gives,
/// diagnostics aside (it has none). Nullopt when the whole buffer must be
/// parsed: planReparse refuses, the changed text alone does not parse
/// cleanly (the whole text may then parse differently), or an old piece
/// does not read back.
std::optional<Reparsed> reparseFromPieces(const ParsePieces &Old, llvm::SourceMgr &SM,
                                          unsigned BufferID);

} // namespace strata

#endif
