//===- Keywords.h - The words of the schema language ------------*- C++ -*-===//
#ifndef STRATA_PARSE_KEYWORDS_H
#define STRATA_PARSE_KEYWORDS_H

#include "strata/AST/SourceFile.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace strata {

/// The schema and migration language's soft keywords (`relation`,
/// `derived`, ... `columns`), in the grammar's order, read from the
/// generated lexer: grammar/Strata.g4 is their one list.
llvm::ArrayRef<std::string> softKeywords();

/// The soft keywords a file of kind Kind can hold as keywords, in the
/// grammar's order: those the grammar's schema items (relation, derived
/// relation, index) match, or those a migration matches. Read from the
/// generated parser, so they follow the grammar.
llvm::ArrayRef<std::string> softKeywords(ast::FileKind Kind);

} // namespace strata

#endif
