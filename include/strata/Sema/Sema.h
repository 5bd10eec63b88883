//===- Sema.h - Semantic analysis of schemas and rules ----------*- C++ -*-===//
//
// Turns parsed schema files into a canonical SchemaState, reporting every
// problem the InputLayer server would reject (and a few it would accept but
// get wrong). The pieces are public so the migration engine can check an
// operation against the state a migration history has reached.
//
// Nothing here prints or exits; every problem goes to the DiagnosticEngine.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SEMA_SEMA_H
#define STRATA_SEMA_SEMA_H

#include "strata/AST/SourceFile.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"
#include <optional>

namespace strata {

/// Analyses the schema items of Files together (migration items are
/// ignored). Returns the state, or nullopt when an error was reported.
/// Names in each file's InvalidNames are taken to exist, so that an item
/// dropped for a syntax error does not make every reference to it an error.
std::optional<SchemaState> analyzeSchema(llvm::ArrayRef<ast::SourceFile> Files,
                                         DiagnosticEngine &Diags);
/// The same, taking the files: rule clauses move into the state instead of
/// being copied (faster for large schemas). Files is left empty.
std::optional<SchemaState> analyzeSchema(std::vector<ast::SourceFile> &&Files,
                                         DiagnosticEngine &Diags);
/// The same checks for their diagnostics only, as an editor runs them on
/// every keystroke: no clause is copied (the state is not kept). True when
/// no error was reported.
bool checkSchema(llvm::ArrayRef<ast::SourceFile> Files, DiagnosticEngine &Diags);

// ---- Reusable pieces -----------------------------------------------------

/// What kind of thing a declared name names, for messages: "relation",
/// "derived relation", "index".
enum class NameKind { Relation, Derived, Index };
llvm::StringRef nameKindSpelling(NameKind K);

/// Checks a relation, derived relation or index name against the server's
/// rules: `[a-z][a-z0-9_]*`, no `__` prefix, not a reserved word, at most 256
/// bytes, not one of the names Strata owns (strata/IQL/Names.h:
/// ownedNameForm). AllowTemporary accepts `*_strata_tmp` names: a `.mig`
/// rename may go through one, as makemigrations writes a swap (the
/// migration then checks that it leaves none behind). Reports (with a
/// fix-it where one exists) and returns false.
bool checkDeclaredName(const ast::Ident &Name, NameKind Kind, DiagnosticEngine &Diags,
                       bool AllowTemporary = false);
/// The nearest legal spelling of an illegal name (`fooBar` -> `foo_bar`),
/// or empty when there is none.
std::string suggestLegalName(llvm::StringRef Name);

/// Resolves declared columns: types, duplicate names, at least one column.
/// Owner is the declared name (for messages). Returns nullopt after
/// reporting.
std::optional<ColumnList> resolveColumns(llvm::ArrayRef<ast::Column> Columns,
                                         const ast::Ident &Owner, NameKind Kind,
                                         DiagnosticEngine &Diags);

/// Reports (FillTypeMismatch, at the value) a fill value that is not a
/// literal of ColumnType; an int literal fills a float column.
bool checkFillValue(const ast::Expr &Fill, const Type &ColumnType, llvm::StringRef Column,
                    DiagnosticEngine &Diags);

/// Checks a retype's cast `Var => Body`, which converts a value of From
/// (the old column type) into one of To, for column Column (`rel.col`):
/// the body reads no variable but Var, calls the server's functions as a
/// rule would (UnknownFunction, FunctionArity, ...), passes each a value
/// it takes, and gives a value of To (an int fits a float). Returns false
/// after reporting (CastDoesNotCheck, or the expression's own kinds).
bool checkCast(llvm::StringRef Var, const ast::Expr &Body, const Type &From, const Type &To,
               llvm::StringRef Column, DiagnosticEngine &Diags);

/// Resolves an index declaration against State: the relation and column
/// must exist and be a vector; options are checked and defaults filled in.
/// AssumeExist: relation names to accept without a definition (no report).
std::optional<IndexDef> resolveIndex(const ast::IndexDecl &Decl, const SchemaState &State,
                                     DiagnosticEngine &Diags,
                                     const llvm::StringSet<> *AssumeExist = nullptr);
/// Applies index options to Def (e.g. for `alter index`). Returns false
/// after reporting a bad option.
bool applyIndexOptions(llvm::ArrayRef<ast::IndexOption> Options, IndexDef &Def,
                       DiagnosticEngine &Diags);

/// The environment rule clauses are checked in.
struct RuleScope {
  const SchemaState &State;
  /// Relation and index names to accept although the state lacks them
  /// (items with syntax errors, definitions that failed to resolve).
  const llvm::StringSet<> *AssumeExist = nullptr;
  /// When set, every relation, derived relation or index name the check
  /// looks up is appended: what its findings depend on beyond the clauses
  /// and head columns (the editor's incremental check).
  std::vector<std::string> *Reads = nullptr;
};

/// Checks the clauses of derived relation Name whose declared columns are
/// HeadColumns (null when they failed to resolve: head arity and head types
/// are then not checked). Checks names, arity, named arguments, types,
/// built-in functions, aggregates and safety. Stratification is a property
/// of all rules together: see checkStratification. Returns false after
/// reporting.
bool checkClauses(const ast::Ident &Name, const ColumnList *HeadColumns,
                  llvm::ArrayRef<ast::Clause> Clauses, const RuleScope &Scope,
                  DiagnosticEngine &Diags);

/// Warns (DuplicateClause) about each of Clauses, the clauses of derived
/// relation Name with columns HeadColumns, that the server would register
/// as the same clause as an earlier one (keptClauseIndexes in
/// ServerClause.h): at the later clause, with a note at the earlier one and
/// a fix-it that deletes the later. For clauses that checked cleanly;
/// nothing is said about clauses that do not lower.
void warnDuplicateClauses(const ast::Ident &Name, const ColumnList &HeadColumns,
                          llvm::ArrayRef<ast::Clause> Clauses, const SchemaState &State,
                          DiagnosticEngine &Diags);

/// Rejects negation and aggregation through recursion among the derived
/// relations of State, showing the cycle. Iterative (no deep recursion).
bool checkStratification(const SchemaState &State, DiagnosticEngine &Diags);

/// Warns once per cycle of rules through several derived relations of a
/// schema: the InputLayer server derives nothing for such a cycle. Only
/// the schema is warned about, not each state a history replays.
void warnMutualRecursion(const SchemaState &State, DiagnosticEngine &Diags);
/// checkStratification, then (when it passes) warnMutualRecursion, over
/// one dependency graph built once.
bool checkRecursion(const SchemaState &State, DiagnosticEngine &Diags);

} // namespace strata

#endif
