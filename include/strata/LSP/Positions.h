//===- Positions.h - LSP positions and byte offsets -------------*- C++ -*-===//
//
// LSP positions are (line, character) with the character counted in UTF-16
// code units; Strata's locations are byte offsets into UTF-8 text. A
// LineIndex converts both ways for one text. Positions past the end of a
// line clamp to its end, lines past the end to the end of the text, and an
// offset inside a UTF-8 sequence counts as that character's start, so no
// input is out of range.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LSP_POSITIONS_H
#define STRATA_LSP_POSITIONS_H

#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::lsp {

struct Position {
  uint32_t Line = 0;
  uint32_t Character = 0; // UTF-16 code units
};

class LineIndex {
public:
  explicit LineIndex(llvm::StringRef Text);

  Position position(size_t Offset) const;
  size_t offset(Position P) const;
  size_t lineCount() const { return LineStarts.size(); }

private:
  llvm::StringRef Text;
  std::vector<size_t> LineStarts;
};

/// UTF-16 code units of the UTF-8 text S (a 4-byte sequence counts two).
size_t utf16Length(llvm::StringRef S);

} // namespace strata::lsp

#endif
