//===- Keywords.h - The words of the schema language ------------*- C++ -*-===//
#ifndef STRATA_PARSE_KEYWORDS_H
#define STRATA_PARSE_KEYWORDS_H

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace strata {

/// The schema and migration language's soft keywords (`relation`,
/// `derived`, ... `columns`), in the grammar's order, read from the
/// generated lexer: grammar/Strata.g4 is their one list.
llvm::ArrayRef<std::string> softKeywords();

} // namespace strata

#endif
