//===- RulesOnly.h - The server's bound query of a recursive relation -*- C++ -*-===//
//
// The server answers a query that binds a constant at an argument of a
// relation defined by a rule over itself with its own demand-driven
// rewriting (magic sets), when that argument is passed unchanged through
// every recursive use of the relation (`r(X, Z) <- r(X, Y), e(Y, Z)`: the
// first argument). Its rewritten relation is defined by the relation's
// rules alone: the relation's stored facts (base and session facts) are
// not part of it, neither in the answer nor where the rules read the
// relation itself. So `+r("s", "s", 0)` with `+r(S, E, D) <- r(S, M, D1),
// ...` answers `?r("s", E, D)` with nothing (09_recursion/56), while
// `?r(S, E, D)` lists the stored fact and what follows from it
// (09_recursion/41). It looks like a server bug; the engine matches it on
// purpose.
//
// Only a relation with a rule over itself is rewritten: no transcript
// shows a bound query of a cycle through several relations, and the
// server's versions disagree there (docs/conformance.md).
//
// The engine reads such a query atom as a copy of the relation defined by
// its rules with their self-references renamed to the copy, and no facts
// of its own. The rewriting changes what a query means, so it applies
// under demand-driven and full evaluation alike (Demand.h may then
// restrict the copy like any other relation).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_RULESONLY_H
#define STRATA_LIB_ENGINE_RULESONLY_H

#include "Demand.h"

namespace strata::engine {

struct RulesOnlyProgram {
  /// The query's body, with each such atom renamed to its copy.
  std::vector<Literal> Body;
  /// The copies' clauses; empty when no atom was renamed.
  std::deque<Clause> Clauses;
  /// Each copy and the relation it was made from, to name in messages.
  std::map<std::string, std::string> ShownAs;
};

/// Rewrites Body's atoms the server reads from rules alone. Clauses holds
/// every relation's rule clauses; Tag keeps the copies' names apart from
/// other rewritings'.
RulesOnlyProgram rewriteRulesOnly(const std::vector<Literal> &Body, const ClauseMap &Clauses,
                                  unsigned Tag);

} // namespace strata::engine

#endif
