//===- FactLine.h - Reading a state file's fact lines quickly ---*- C++ -*-===//
//
// A state file of a million facts is a million `fact +rel(v, ...)` lines,
// and reading each through the IQL statement parser (tokens, an AST, a
// Statement) was most of the time spent opening it. readPlainFact reads
// the shapes the state file itself writes for integers and strings
// directly; for anything else it declines, and the caller parses the line
// as before, so the parser stays the definition of what a line means
// (unittests/FactLineTest.cpp checks the two agree, hostile lines too).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_FACTLINE_H
#define STRATA_LIB_ENGINE_FACTLINE_H

#include "strata/IQL/Value.h"
#include "llvm/ADT/StringRef.h"

namespace strata::engine {

/// Reads Payload when it is exactly `+NAME(V, V, ...)` with each V an
/// integer (`-`? digits, within int64) or a double-quoted string, separated
/// by `, `, nothing before or after: sets Relation and Row and returns
/// true. Returns false, with Relation and Row unspecified, for any other
/// text, which the IQL parser must then read (it may be valid or not).
bool readPlainFact(llvm::StringRef Payload, llvm::StringRef &Relation, strata::iql::Tuple &Row);

} // namespace strata::engine

#endif
