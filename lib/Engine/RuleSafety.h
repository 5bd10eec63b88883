//===- RuleSafety.h - Head variables a rule's body must bind -----*- C++ -*-===//
//
// The server refuses a rule whose head names a variable that no positive
// body atom (nor an assignment `V = expr`) binds, before any other check,
// with a message of its own (transcripts 08_negation/46, 11_types/25,
// 13_performance/12, 32_math/06).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_RULESAFETY_H
#define STRATA_LIB_ENGINE_RULESAFETY_H

#include "IqlTypes.h"
#include <string>

namespace strata::engine {

/// `Unsafe rule 'NAME': Head variable(s) A, B not bound by any positive
/// body atom. ...` (the variables sorted), or empty when Rule's body binds
/// every head variable.
std::string unsafeHeadMessage(const Clause &Rule);

} // namespace strata::engine

#endif
