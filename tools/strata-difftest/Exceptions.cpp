//===- Exceptions.cpp - Deliberate checker/engine differences -------------===//
#include "Exceptions.h"

using namespace strata;
using namespace strata::difftest;

std::string difftest::documentedException(const iql::Statement *S, const Verdict &Reference,
                                          const Verdict &Checker) {
  if (!S || !Reference.Accepted || Checker.Accepted)
    return "";
  // The server registers a rule that reads a relation nothing has created
  // yet, and drops a relation or rule that a persistent rule still reads
  // (the rule reads it as empty). Strata's lowering always creates what a
  // rule reads first (mutual recursion included) and drops readers before
  // what they read, so verify refuses a stream that leaves a rule reading
  // nothing: the checker is stricter there, never more lenient.
  if (Checker.Kind == FailureKind::UnknownRelation &&
      llvm::StringRef(Checker.Message).contains("which does not exist"))
    return "rule-reads-missing-relation";
  return "";
}
