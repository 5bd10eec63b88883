//===- Exceptions.cpp - Deliberate checker/engine differences -------------===//
#include "Exceptions.h"

using namespace strata;
using namespace strata::difftest;
using StmtK = iql::Statement::Kind;

namespace {
/// Statements that read relations: rules, conditional deletes, atomic
/// updates; and deletes, which name one.
bool readsRelations(const iql::Statement &S) {
  return S.K == StmtK::PersistentRule || S.K == StmtK::ConditionalDelete || S.K == StmtK::Update ||
         S.K == StmtK::Delete;
}

/// The checker's message is about a rule the statement left broken (a
/// drop or a redeclaration under a rule that reads it).
bool aboutARule(const Verdict &Checker) {
  return llvm::StringRef(Checker.Message).startswith("rule `");
}
} // namespace

std::string difftest::documentedException(const iql::Statement *S, const Verdict &Reference,
                                          const Verdict &Checker) {
  if (!S || !Reference.Accepted || Checker.Accepted)
    return "";
  bool Reads = readsRelations(*S) || aboutARule(Checker);
  // The server accepts a rule, delete or update that reads (or deletes
  // from) a relation that does not exist or that has another number of
  // columns: the rule derives nothing from it, the delete deletes nothing.
  // Strata's lowering always creates what a statement reads first (mutual
  // recursion included) and drops readers before what they read, so in a
  // migration this is always a mistake that would pass silently: verify
  // refuses it.
  if (Reads && (Checker.Kind == FailureKind::UnknownRelation || Checker.Kind == FailureKind::Arity))
    return "reads-unavailable-relation";
  // The server registers a rule whose comparison, arithmetic or head mixes
  // types (at run time the mismatched part matches nothing); Strata's type
  // checks of rule bodies are what `strata check` is for, and verify keeps
  // them.
  if (Reads && Checker.Kind == FailureKind::Type)
    return "ill-typed-rule";
  return "";
}
