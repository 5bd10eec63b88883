//===- ClauseConversion.h - IQL clauses as Strata AST clauses ---*- C++ -*-===//
//
// The catalog checks rules with Sema's checkClauses, which reads Strata's
// AST. A clause the server receives is an iql::Clause (parsed by the
// engine's parser); it is converted here node by node, never printed and
// re-parsed. Both sides of a catalog comparison go through canonicalClause,
// so a clause written `(X * 2) + 1` in a schema and read back from IQL as
// `X * 2 + 1` compare equal.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_VERIFY_CLAUSECONVERSION_H
#define STRATA_LIB_VERIFY_CLAUSECONVERSION_H

#include "strata/AST/Rule.h"
#include "strata/IQL/Syntax.h"
#include <vector>

namespace strata::verify {

/// The clause in Strata's AST, in canonical form (see canonicalClause).
ast::Clause toAstClause(const iql::Clause &C);

/// A body of literals in Strata's AST, in canonical form.
std::vector<ast::BodyLiteral> toAstBody(const std::vector<iql::Literal> &Body);

/// The clause with parentheses only where precedence needs them and
/// floats in their shortest spelling: what two clauses of one meaning
/// share however they were written.
ast::Clause canonicalClause(const ast::Clause &C);

} // namespace strata::verify

#endif
