//===- StateText.h - The lines of a state file's body and journal -*- C++ -*-===//
//
// A state file's body (StateFile.cpp) and a journal record (ChangeLog.cpp)
// are written in the same line format, one definition or fact per line,
// and read by the same function: a journal record may also remove things
// (`dropgraph`, `droprel`, `retract`, `droprule`, `dropindex`), which a
// body never does.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_STATETEXT_H
#define STRATA_LIB_ENGINE_STATETEXT_H

#include "Store.h"
#include "llvm/Support/Error.h"
#include <string>

namespace strata::engine {

/// `schema +NAME(col: type, ...)`, or `rel NAME` for a relation without one.
std::string relationLine(const std::string &Name, const BaseRelation &R);
/// Appends `fact +NAME(v, ...)`, or with Keyword `retract` its removal,
/// to Out (no string of its own in between: a state holds millions).
void appendFactLine(std::string &Out, llvm::StringRef Keyword, const std::string &Name,
                    const Tuple &T);
/// Appends the fact lines of every tuple of S, in the state body's order.
void appendFactLines(std::string &Out, llvm::StringRef Keyword, const std::string &Name,
                     const TupleSet &S);
/// Every clause of a rule (`rule +CLAUSE` lines), or `cleared NAME`.
std::string ruleLines(const std::string &Name, const std::vector<Clause> &Clauses);
/// `index .index create ...`.
std::string indexLine(const IndexSpec &Spec);

/// Which lines a text may hold.
enum class StateTextKind { Body, JournalRecord };

/// Applies the lines of Text to S, in order. Errors name the line.
llvm::Error applyStateText(Store &S, llvm::StringRef Text, StateTextKind Kind);

} // namespace strata::engine

#endif
