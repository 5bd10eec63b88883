//===- Explain.h - Why a fact is not derived ---------------------*- C++ -*-===//
//
// `.why_not rel(v, ...)` explains, clause by clause of the graph's
// persistent rule `rel`, where the derivation of that one fact stops: the
// first body literal (counted from 0) that no longer holds once the head
// is matched against the fact and the literals before it are solved.
// Session rules are not consulted, as on the server (`.why` ignores them
// too: transcripts 36_explain_trace).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_EXPLAIN_H
#define STRATA_LIB_ENGINE_EXPLAIN_H

#include "Store.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace strata::engine {

/// The explanation's lines: `F was NOT derived:`, then `  No rules produce
/// this relation.` or, per clause, an empty line, `  Rule: NAME (clause
/// I)`, the clause and `    Blocker: ...`. Fails when Fact's arguments
/// are not constants or a body cannot be solved.
llvm::Expected<std::vector<std::string>> explainMissing(const Graph &G, const Atom &Fact);

} // namespace strata::engine

#endif
