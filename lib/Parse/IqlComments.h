//===- IqlComments.h - Comments that belong to raw IQL ----------*- C++ -*-===//
//
// A `run iql` block keeps the text between its braces verbatim, comments
// included; the lexer still sends those comments to the file's list.
// Both parsers (BuildFile.cpp, RDMigrations.cpp) drop them from it here.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_IQLCOMMENTS_H
#define STRATA_LIB_PARSE_IQLCOMMENTS_H

#include "strata/AST/SourceFile.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/SMLoc.h"
#include <algorithm>
#include <vector>

namespace strata::parse {

/// Removes from Comments every comment that starts inside one of
/// IqlRanges (the text between a raw IQL block's braces): listing it as a
/// file comment too would duplicate it.
inline void dropCommentsInsideIql(std::vector<ast::Comment> &Comments,
                                  llvm::ArrayRef<llvm::SMRange> IqlRanges) {
  if (IqlRanges.empty())
    return;
  auto InIql = [&](const ast::Comment &C) {
    return std::any_of(IqlRanges.begin(), IqlRanges.end(), [&](llvm::SMRange R) {
      return C.Range.Start.getPointer() >= R.Start.getPointer() &&
             C.Range.Start.getPointer() < R.End.getPointer();
    });
  };
  Comments.erase(std::remove_if(Comments.begin(), Comments.end(), InIql), Comments.end());
}

} // namespace strata::parse

#endif
