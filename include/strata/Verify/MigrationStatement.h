//===- MigrationStatement.h - The IQL statements a migration may send -*- C++ -*-===//
//
// A migration stream is IQL, read by iql::parseStatement, the parser the
// embedded engine runs, so `strata verify` and the engine never disagree on
// syntax. What a migration must not send although it parses is checked over
// the typed tree (checkMigrationStatement): session rules and facts, `.kg`
// and the other commands a migration does not use, names the server
// refuses, facts that are not ground, index options the server refuses,
// named column types Strata does not model. docs/verify.md lists the rules;
// ../shared/design/target-iql.md is the source.
//
// The shapes a migration sends:
//   +rel(col: type, ...)              Schema
//   +rel(v, ...) / +rel[(..), (..)]   Insert
//   -rel(v, ...) / -rel[(..), (..)]   Delete
//   -rel(X, ..) <- body               ConditionalDelete
//   -a(..), +b(..) <- body            AtomicUpdate
//   +head(..) <- body                 Rule (a persistent clause)
//   ?goal, ...                        Query
//   .rel drop N / .rule drop N / .rule clear N / .rule remove N I
//   .index create N on rel(col) [type hnsw] [metric M] [m X]
//         [ef_construction Y] [ef_search Z] / .index drop N
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_VERIFY_MIGRATIONSTATEMENT_H
#define STRATA_VERIFY_MIGRATIONSTATEMENT_H

#include "strata/CodeGen/Lowering.h"
#include "strata/IQL/Syntax.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Sema/Type.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>

namespace strata {

enum class MigrationStmtKind {
  Schema,
  Insert,
  Delete,
  ConditionalDelete,
  AtomicUpdate,
  Rule,
  Query,
  RelDrop,
  RuleDrop,
  RuleClear,
  RuleRemove,
  IndexCreate,
  IndexDrop,
};
llvm::StringRef migrationStmtKindName(MigrationStmtKind K);

/// The shape of S, or nullopt for a statement a migration never sends
/// (session rules and facts, `type`, `-name`, `.kg`, introspection).
std::optional<MigrationStmtKind> migrationKind(const iql::Statement &S);

/// Succeeds when S is a statement a migration may send; else a
/// DiagnosticError saying why the server (or a migration) refuses it.
llvm::Error checkMigrationStatement(const iql::Statement &S);

/// Reads the text of one statement (a first line and its indented
/// continuation lines, comments allowed) as the server reads a program,
/// and checks it with checkMigrationStatement. nullopt for a statement of
/// comments only. A text that the server would read as more than one
/// statement, or whose first line is indented, is refused.
llvm::Expected<std::optional<iql::Statement>> readMigrationStatement(llvm::StringRef Text);

/// A statement of a lowered stream, checked as readMigrationStatement checks
/// text but from the tree the lowering built or parsed (its Text is never
/// read back): the tree, null for a statement of comments only, or why a
/// migration may not send it.
llvm::Expected<const iql::Statement *> checkLoweredStatement(const IqlStatement &S);

/// The relation, rule or index a statement names: the relation of a
/// schema, fact, rule or conditional delete, the object of a meta command
/// (the index of `.index create`). Empty for queries and updates.
std::string statementName(const iql::Statement &S);

/// The clause number of `.rule remove NAME I` (1-based).
unsigned ruleRemoveClause(const iql::Statement &S);

/// The Sema type of a column type; named types are refused (Strata never
/// emits them and does not model them).
llvm::Expected<Type> semaType(const iql::ColumnType &T);

/// The index an `.index create` statement makes, its metric resolved with
/// the server's aliases and defaults filled. S must have passed
/// checkMigrationStatement.
IndexDef indexDef(const iql::Statement &S);

} // namespace strata

#endif
