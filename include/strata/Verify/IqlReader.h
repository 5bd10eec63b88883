//===- IqlReader.h - Reads and validates IQL migration statements -*- C++ -*-===//
//
// A small hand-written recogniser of the IQL statement shapes a migration
// stream uses, checking every rule the InputLayer server enforces on them
// (docs/verify.md lists the rules; ../shared/design/target-iql.md is the
// source). It is deliberately independent of the lowering: the verifier and
// the golden tests run it over exactly the text the server would receive.
//
// What it reads:
//   +rel(col: type, ...)              Schema
//   +rel(v, ...) / +rel[(..), (..)]   Insert
//   -rel(v, ...) / -rel[(..), (..)]   Delete
//   -rel(X, ..) <- body               ConditionalDelete
//   -a(..), +b(..) <- body            AtomicUpdate
//   +head(..) <- body                 Rule (a persistent clause)
//   ?goal, ...                        Query
//   .rel drop N / .rule drop N / .rule clear N / .rule remove N I
//   .index create N on rel(col) [type hnsw] [metric M] [m X]
//         [ef_construction|efc Y] [ef_search|efs Z] / .index drop N
//   // ... and /* ... */               Comment (a statement of comments only)
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_VERIFY_IQLREADER_H
#define STRATA_VERIFY_IQLREADER_H

#include "strata/Sema/SchemaState.h"
#include "strata/Sema/Type.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace strata::stmt {

enum class StmtKind {
  Comment,
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
llvm::StringRef stmtKindName(StmtKind K);

/// A signed head atom of an atomic update or conditional delete.
struct HeadAtom {
  bool Insert = false; // `+` (else `-`)
  std::string Relation;
  std::vector<std::string> Args; // argument texts, trimmed
};

struct SchemaColumn {
  std::string Name;
  std::string TypeText; // as written, trimmed
};

/// One statement in structured form. Texts have comments removed and
/// continuation lines joined with one space.
struct Statement {
  StmtKind Kind = StmtKind::Comment;
  /// Schema, Insert, Delete, Rule (head): the relation. Meta commands: the
  /// relation, rule or index named. IndexCreate: the index name.
  std::string Name;
  std::vector<SchemaColumn> Columns; // Schema
  /// Insert/Delete: one row per fact (one row for the single form).
  std::vector<std::vector<std::string>> Rows;
  std::vector<HeadAtom> Heads;  // ConditionalDelete, AtomicUpdate
  std::vector<std::string> HeadArgs; // Rule
  /// Rule: `head(..) <- body` without the `+`. Query: the goal text.
  std::string Clause;
  std::string Body; // Rule, ConditionalDelete, AtomicUpdate: after `<-`
  IndexDef Index;   // IndexCreate (relation, column, options; defaults filled)
  unsigned ClauseNumber = 0; // RuleRemove (1-based)
};

/// Reads one statement (a first line and its indented continuation lines).
/// Returns nullopt and sets Why to the server's reason when the server
/// would not accept it, or when it is a shape a migration must not send
/// (session rules and facts, `.kg`, parameters).
std::optional<Statement> readStatement(llvm::StringRef Text, std::string &Why);

/// The statements of a program (e.g. a `run iql` block): a line that starts
/// with whitespace continues the previous statement; blank lines and
/// comment-only lines between statements are dropped. Leading indentation
/// common to every line is removed first, so an indented block reads as
/// written at column 0.
std::vector<std::string> splitProgram(llvm::StringRef Program);

/// `[a-z][a-z0-9_]*`, at most 256 bytes (so no `__` prefix). Sets Why.
bool checkRelationName(llvm::StringRef Name, std::string &Why);

/// Resolves a column type as the server's statement parser reads it
/// (`int`, `float`, `string`, `bool` case-insensitively, `vector`/`vec`/
/// `embedding`, `vector(N)`, `list[T]`, `{f: T}`; refinements such as
/// `int(range(0, 100))` are ignored as the server ignores them). Rejects
/// `timestamp`, `vector[N]` and every other word with the server's reason.
/// Named types (Uppercase) are accepted by the server but not modelled:
/// they are rejected here with a reason saying so.
std::optional<Type> parseColumnType(llvm::StringRef Text, std::string &Why);

} // namespace strata::stmt

#endif
