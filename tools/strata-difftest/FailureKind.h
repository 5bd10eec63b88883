//===- FailureKind.h - The kinds of failure both sides can name -*- C++ -*-===//
//
// The differential test compares not only whether the checker (`strata
// verify`) and the embedded engine refuse a statement but why. Their
// messages are worded differently (Sema's diagnostics against the server's
// own rows), so each message is mapped to one coarse kind that both sides
// can name. docs/iql-backend.md lists the kinds with examples.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_DIFFTEST_FAILUREKIND_H
#define STRATA_DIFFTEST_FAILUREKIND_H

#include "llvm/ADT/StringRef.h"

namespace strata::difftest {

enum class FailureKind {
  Syntax,          // the statement does not parse
  Name,            // a relation/rule/column name the server refuses
  NotGround,       // a fact holds a variable, expression or call
  UnknownRelation, // a relation read or deleted from does not exist
  Arity,           // an atom, fact or clause has the wrong number of values
  Type,            // a value or operand of the wrong type
  UnknownFunction, // an unknown or unsupported function or aggregate
  BadAggregate,    // an aggregate used wrongly (arguments, order, place)
  Unsafe,          // a variable not bound by a positive body atom
  Stratification,  // negation or aggregation through recursion
  MissingObject,   // a rule, clause or index named by a command is missing
  IndexOption,     // `.index create` on a wrong column or with wrong options
  Other,
};

llvm::StringRef failureKindName(FailureKind K);

/// The kind of a failure message from either side (a parse failure is
/// classified by the caller, which knows it structurally).
FailureKind classifyFailure(llvm::StringRef Message);

} // namespace strata::difftest

#endif
