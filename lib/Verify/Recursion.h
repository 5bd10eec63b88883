//===- Recursion.h - Negation and aggregation through recursion -*- C++ -*-===//
//
// The server refuses to register a clause that puts a negation, or an
// aggregate, inside a recursive cycle of persistent rules. Sema checks that
// for a whole schema (checkStratification); the catalog checks it as each
// clause arrives, looking only at the rules reachable from the clause's
// rule, so a long history of rules does not cost a whole-graph pass per
// statement.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_VERIFY_RECURSION_H
#define STRATA_LIB_VERIFY_RECURSION_H

#include "strata/Verify/Catalog.h"
#include <map>
#include <string>

namespace strata::verify {

/// Why the rules make Head unstratifiable (a negated or aggregated read
/// inside the recursive cycle through Head), or empty.
std::string recursionProblem(const std::map<std::string, IqlCatalog::Rule> &Rules,
                             const std::string &Head);

} // namespace strata::verify

#endif
