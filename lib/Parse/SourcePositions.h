//===- SourcePositions.h - ANTLR indices to source locations ----*- C++ -*-===//
//
// ANTLR counts code points; the SourceMgr counts bytes. This maps one to the
// other, cheaply for the common all-ASCII file.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_SOURCEPOSITIONS_H
#define STRATA_LIB_PARSE_SOURCEPOSITIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <vector>

namespace strata::parse {

class SourcePositions {
public:
  /// Text is what ANTLR reads: the buffer after any byte-order mark.
  explicit SourcePositions(llvm::StringRef Text);

  /// The location of code point Index (Index == size means end of text).
  llvm::SMLoc loc(size_t Index) const;
  /// The location just past code point Index.
  llvm::SMLoc locAfter(size_t Index) const { return loc(Index + 1); }

private:
  llvm::StringRef Text;
  /// Byte offset of each code point; empty when every byte is ASCII.
  std::vector<uint32_t> ByteOffsets;
};

} // namespace strata::parse

#endif
