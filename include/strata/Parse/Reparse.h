//===- Reparse.h - Parsing only what an edit changed ------------*- C++ -*-===//
//
// A schema file is a sequence of independent items, and an edit usually
// touches one of them. Given the text and item spans of the file's last
// parse, planReparse finds the run of items the edit may have changed;
// the items before it are unchanged where they were, the items after it
// are unchanged but moved, and only the text between needs the parser
// (parseBufferRange). The result is exactly what parsing the whole new
// text gives; planReparse refuses (nullopt) whenever it cannot be sure.
//
// For schema files only: a migration file holds one item, and whether it
// holds exactly one migration is a check on the whole file.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_PARSE_REPARSE_H
#define STRATA_PARSE_REPARSE_H

#include "strata/AST/SourceFile.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <cstdint>
#include <optional>

namespace strata {

/// Byte offsets [Begin, End) of an item in its buffer.
struct ItemSpan {
  size_t Begin = 0, End = 0;
};

/// The span the parser gave item I (from the start of its first token to
/// the end of its last), as offsets from BufferStart.
ItemSpan itemSpan(const ast::Item &I, const char *BufferStart);

/// How to get the parse of the new text from the old parse:
///
///   new items    = old items [0, KeepFront)
///                + items of parseBufferRange(new buffer, Begin, End)
///                + old items [N - KeepBack, N), each moved by Shift
///   new comments = old comments before OldBegin
///                + comments of that parseBufferRange
///                + old comments at or after OldEnd, each moved by Shift
///
/// This holds when the range parse reports no diagnostic; when it reports
/// one, the whole new text may parse differently (it may even be free of
/// errors) and must be parsed again.
struct ReparsePlan {
  /// Old items [0, KeepFront) are unchanged and at the same offsets.
  size_t KeepFront = 0;
  /// Old items [N - KeepBack, N) are unchanged, each Shift bytes later in
  /// the new text (Shift may be negative).
  size_t KeepBack = 0;
  int64_t Shift = 0;
  /// New text [Begin, End) is to be parsed; old text [OldBegin, OldEnd) is
  /// what it replaces (its items and comments are gone). Begin == OldBegin
  /// (the text before it is unchanged) and End - OldEnd == Shift.
  ///
  /// Begin is the last place, at or before the first changed byte, where
  /// the old text may be cut: the start of an item, the end of an item
  /// that ends with `)` or `}` (an index ending in bare `hnsw` may go on),
  /// or the end of an old text that ends with a line break; else 0. The
  /// items before Begin are kept, and so are the comments between the last
  /// of them and Begin. End is the start of the first kept back item,
  /// which follows a line break unless the range is empty, or the end of
  /// the text. Identical texts give an empty range with every item kept in
  /// front.
  size_t Begin = 0, End = 0;
  size_t OldBegin = 0, OldEnd = 0;
};

/// Plans the reparse of NewText, the edited version of OldText whose items
/// were OldItems (in order, as the last parse gave them; that parse had no
/// diagnostic). Nullopt when the whole text must be parsed: the spans do
/// not fit the old text, or no item can be kept (the range to parse would
/// be all of a non-empty new text).
std::optional<ReparsePlan> planReparse(llvm::StringRef OldText, llvm::ArrayRef<ItemSpan> OldItems,
                                       llvm::StringRef NewText);

} // namespace strata

#endif
