//===- Catalog.h - An abstract model of the server's catalog ----*- C++ -*-===//
//
// The part of an InputLayer knowledge graph a migration changes: relations
// with declared columns, persistent rules with their clauses, HNSW indexes.
// Executing a statement follows the server's semantics (docs/verify.md):
//
//   +rel(col: T, ...)   declares the relation, overwriting a declaration
//   .rel drop X         removes relation X AND the rule named X; rules that
//                       read X stay and are reported dangling
//   +head(..) <- body   adds a clause (a repeat adds another clause); a
//                       clause of another arity or ranking aggregate is
//                       refused, and so is one the server would not
//                       register (unsafe, unknown function, ...): it is not
//                       kept, brokenRule() says why
//   .rule drop X        a missing rule is an error row
//   .rule clear/remove  a missing rule or clause is an error row
//   .index create       needs a relation with a declared schema and a free
//                       name; the column must exist
//   .index drop         a missing index is an error row
//   queries             no catalog change; refused when the server cannot
//                       plan them (unbound variables, unknown functions)
//   facts, deletes, atomic updates: no catalog change (values are
//                       not tracked), but every relation they touch must
//                       exist; inserted values must fit a schema declared
//                       by an executed statement (width and types)
//
// After each statement the rules the statement could break are checked
// with Sema's checkClauses against the relations present (names, arity,
// types, safety). A clause arrives as the engine's typed tree and is
// converted to Strata's AST for Sema (never printed and re-parsed); clauses
// are kept canonicalised (positional atoms, minimal parentheses, Strata's
// printer), so two catalogs compare by meaning.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_VERIFY_CATALOG_H
#define STRATA_VERIFY_CATALOG_H

#include "strata/AST/Rule.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Verify/MigrationStatement.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace strata {

class IqlCatalog {
public:
  struct Rule {
    std::string Name;
    size_t Arity = 0;
    std::vector<std::shared_ptr<const ast::Clause>> Clauses; // positional
    std::vector<std::string> Canonical;                      // printed, one per clause
  };

  IqlCatalog();
  ~IqlCatalog();
  IqlCatalog(const IqlCatalog &) = delete;
  IqlCatalog &operator=(const IqlCatalog &) = delete;
  IqlCatalog(IqlCatalog &&);

  /// The catalog a server holds after the lowering of State: every
  /// relation, every derived relation as a rule (clauses made positional
  /// with State's columns), every index. Derived relations are also typed
  /// hints (see addTypeHints).
  static IqlCatalog fromState(const SchemaState &State);

  /// Declared columns of derived relations, used to type-check rules that
  /// read a rule (the server infers them; the catalog cannot). A hint is
  /// used while its arity matches the rule's.
  void addTypeHints(const SchemaState &State);

  /// Executes one statement that passed checkMigrationStatement. Fails
  /// with what the server answers (an error row or error frame) as the
  /// message; a problem Sema finds in a query or update body is a
  /// DiagnosticError carrying Sema's diagnostic.
  llvm::Error execute(const iql::Statement &S);

  /// Rules broken by the last execute() (checked incrementally): the
  /// first problem, as "rule `r`: message", or empty.
  const std::string &brokenRule() const { return Broken; }
  /// Whether the server refuses the clause brokenRule() is about when it
  /// is registered (else the server registers it and fails only when the
  /// rule is evaluated: a dangling or ill-typed read).
  bool brokenRuleRefused() const { return BrokenRefusedByServer; }
  /// The name of the rule brokenRule() is about.
  const std::string &brokenRuleName() const { return BrokenName; }
  /// Checks rule Name again against the catalog as it is now: the first
  /// problem, as brokenRule() words it, or empty.
  std::string recheckRule(const std::string &Name);

  /// The first difference from Expected, or empty when the catalog models
  /// exactly Expected's lowering; Object is set to the name of the differing
  /// relation, rule or index. Objects named in Ignore (relations, rules
  /// or indexes) are not compared.
  /// With Only, compares only the objects it names (the caller knows
  /// nothing else can differ).
  std::string differenceFrom(const SchemaState &Expected,
                             const std::set<std::string> *Ignore = nullptr,
                             std::string *Object = nullptr,
                             const std::set<std::string> *Only = nullptr) const;

  /// For a catalog kept across the migrations of a history: drops every
  /// type hint and takes them from Before's derived relations, then
  /// After's (what fromState(Before) + addTypeHints(After) would give; both
  /// must outlive the migration), and re-syncs the typed mirror of the
  /// objects changed since the last call.
  void beginMigration(const SchemaState &Before, const SchemaState &After);
  /// Starts running a stream that goes toward TowardState (which must
  /// outlive the stream): rules the stream registers from now on take
  /// their types from TowardState's declaration of them, ahead of every
  /// other hint.
  void beginPhase(const SchemaState &TowardState);
  /// Removes relation, rule, index and undeclared facts named Name.
  void forget(const std::string &Name);
  /// The rules whose clauses read Relation, by name.
  std::vector<std::string> readersOf(const std::string &Relation) const;

  const std::map<std::string, ColumnList> &relations() const { return Relations; }
  const std::map<std::string, Rule> &rules() const { return Rules; }
  const std::map<std::string, IndexDef> &indexes() const { return Indexes; }

private:
  struct Impl;
  std::unique_ptr<Impl> P;
  std::map<std::string, ColumnList> Relations;
  std::map<std::string, Rule> Rules;
  std::map<std::string, IndexDef> Indexes;
  std::string Broken;
  std::string BrokenName;
  /// Whether the server refuses to register the clause Broken is about
  /// (else it registers it and the problem shows at query time).
  bool BrokenRefusedByServer = false;

  llvm::Error executeRule(const iql::Statement &S);
  llvm::Error addClause(const iql::Statement &S);
  llvm::Error declare(const iql::Statement &S);
  llvm::Error checkUpdateBody(const std::vector<iql::Literal> &Body);
  llvm::Error checkQueryBody(const std::vector<iql::Literal> &Body);
  llvm::Error checkInsertedRows(const iql::Statement &S) const;
  void removeLastClause(const std::string &Name);
  llvm::Error writeFacts(const std::string &Relation, size_t Width, bool Insert);
  llvm::Error dropRelation(const std::string &Name);
  llvm::Error changeRule(const iql::Statement &S, MigrationStmtKind K);
  llvm::Error createIndex(const IndexDef &I);
  std::optional<size_t> arityOf(const std::string &Name) const;
  void recheckReaders(const std::string &Relation);
  void checkRule(const std::string &Name);
  std::string readProblem(const Rule &R) const;
  void indexReaders(const Rule &R, int Delta);
  void syncMirror(const std::string &Name);
  /// The pieces of differenceFrom, each the first difference or empty.
  struct Comparison;
  std::string relationsDiffer(const SchemaState &Expected, const Comparison &Cmp) const;
  std::string rulesDiffer(const SchemaState &Expected, const Comparison &Cmp) const;
  std::string indexesDiffer(const SchemaState &Expected, const Comparison &Cmp) const;
};

/// The clause with every named-argument atom made positional using the
/// columns of ColumnsOf(relation) (`_` for columns not named). Atoms whose
/// relation is unknown are left as they are.
ast::Clause positionalClause(const ast::Clause &C, const SchemaState &State);

} // namespace strata

#endif
