//===- ClauseConflicts.h - Clauses a rule cannot take ------------*- C++ -*-===//
//
// The server keeps one arity and one aggregation per rule: a clause whose
// head has another number of columns, or aggregates differently (`sum`
// where the rule has `top_k<2, Id, V:desc>`, or the same ranking in the
// other order), is refused until the rule is dropped.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_CLAUSECONFLICTS_H
#define STRATA_LIB_ENGINE_CLAUSECONFLICTS_H

#include "IqlTypes.h"
#include <string>
#include <vector>

namespace strata::engine {

/// Why Rule cannot join Existing, the clauses its relation already has, in
/// the server's words (Session: a session rule's); empty if it can. The
/// arity is checked for persistent rules only, as the server does.
std::string clauseConflict(const std::vector<const Clause *> &Existing, const Clause &Rule,
                           bool Session);

} // namespace strata::engine

#endif
