//===- CompletionContext.h - Where the cursor stands, from the text -*- C++ -*-===//
//
// Completion reads the text before the cursor, not the AST: while a line is
// being typed the item around it rarely parses, so the AST lacks it.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_INDEX_COMPLETIONCONTEXT_H
#define STRATA_LIB_INDEX_COMPLETIONCONTEXT_H

#include "llvm/ADT/StringRef.h"
#include <set>
#include <string>

namespace strata::index {

struct CursorContext {
  enum class Where {
    Nothing,     // in a string or comment, or after a complete name
    TopLevel,    // where an item starts: keywords
    AtomStart,   // where a body literal starts: relations
    ClauseHead,  // where a clause starts: the derived relation's name
    HeadArg,     // a head argument: aggregates, functions, variables
    Expression,  // an argument or operand: functions, variables
    NamedColumn, // a column of the named atom of Relation
  };
  Where At = Where::Nothing;
  /// The partial word before the cursor.
  size_t WordBegin = 0;
  /// NamedColumn: the atom's relation and the columns it already binds.
  std::string Relation;
  std::set<std::string> UsedColumns;
  /// The variable-like names of the clause so far.
  std::set<std::string> Variables;
};

/// Reads Text up to Offset.
CursorContext cursorContext(llvm::StringRef Text, size_t Offset);

} // namespace strata::index

#endif
