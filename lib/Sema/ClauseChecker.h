//===- ClauseChecker.h - Checks one rule's clauses --------------*- C++ -*-===//
//
// One ClauseChecker per derived relation; check() is called per clause. The
// work is split by concern:
//   CheckClause.cpp      the driver, head arity and head types
//   CheckAtoms.cpp       body atoms: names, arity, named arguments, variable types
//   CheckExprs.cpp       expressions: built-in functions, arithmetic, comparisons
//   CheckAggregates.cpp  head aggregates
//   CheckSafety.cpp      range restriction (safety)
//   Plural.cpp           counted nouns, for the messages of all of them
// Calls between these files go one way: the driver calls the checks, atoms
// call expressions, and every file may call plural() (which calls nothing
// back); scripts/check-layering.py checks it.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_SEMA_CLAUSECHECKER_H
#define STRATA_LIB_SEMA_CLAUSECHECKER_H

#include "strata/IQL/Builtins.h"
#include "strata/Sema/Sema.h"
#include "llvm/ADT/StringMap.h"

namespace strata::sema {

using iql::AggregateKind;
using iql::BuiltinAggregate;
using iql::BuiltinFunction;
using iql::ParamType;
using iql::ResultType;

/// A value that fills one head column.
struct HeadValue {
  std::optional<Type> Ty;
  const ast::Expr *E;
};

/// What is known about a variable's type, and why.
struct VarType {
  Type Ty;
  /// The atom argument that gave the type (invalid when it came from an
  /// assignment), and its relation and column (`rel.col` in the note),
  /// kept as references: the text is only wanted for a diagnostic.
  llvm::SMRange Origin;
  llvm::StringRef Relation;
  const ColumnDef *Column = nullptr;
};

/// The columns of every relation and derived relation of a state by name
/// (a relation's where both have the name): one hash lookup per atom
/// instead of two searches of the state's ordered maps.
using ColumnIndex = llvm::StringMap<const ColumnList *>;

/// checkClauses (strata/Sema/Sema.h), looking relations up in Columns when
/// it is given (it must agree with Scope.State).
bool checkClausesWith(const ast::Ident &Name, const ColumnList *HeadColumns,
                      llvm::ArrayRef<ast::Clause> Clauses, const RuleScope &Scope,
                      const ColumnIndex *Columns, DiagnosticEngine &Diags);

class ClauseChecker {
public:
  ClauseChecker(const ast::Ident &Rule, const ColumnList *HeadColumns, const RuleScope &Scope,
                DiagnosticEngine &Diags, const ColumnIndex *Columns = nullptr)
      : Rule(Rule), HeadColumns(HeadColumns), Scope(Scope), Columns(Columns), Diags(Diags) {}

  void check(const ast::Clause &C);
  /// Checks E, computed from variable Var of type VarTy alone (a retype's
  /// cast), and returns its type when known.
  std::optional<Type> checkValueOf(const ast::Expr &E, llvm::StringRef Var, const Type &VarTy);

private:
  // CheckAtoms.cpp
  void checkAtom(const ast::Atom &A, bool Negated);
  void checkHnswNearest(const ast::Atom &A);
  /// The columns of Relation, or null after reporting it unknown (or when
  /// it is assumed to exist).
  const ColumnList *lookupRelation(const ast::Ident &Relation);
  /// Records the type of a variable argument (Record) or only checks it
  /// against what is known.
  void bindArgument(const ast::Expr &Arg, const ColumnList &Columns, size_t Index,
                    llvm::StringRef Relation, bool Record);

  // CheckExprs.cpp
  /// Checks E and returns its type when known.
  std::optional<Type> checkExpr(const ast::Expr &E, bool InArithmetic = false);
  std::optional<Type> checkCall(const ast::Expr &E, bool InArithmetic);
  /// Warns about each argument whose known type does not fit F's signature.
  void checkCallArguments(const ast::Expr &E, const BuiltinFunction &F,
                          const std::vector<std::optional<Type>> &ArgTypes);
  std::optional<Type> checkBinary(const ast::Expr &E);
  void checkComparison(const ast::BodyLiteral &L);
  /// Notes where a variable's type came from, when E is such a variable.
  void noteVariableType(DiagnosticBuilder &B, const ast::Expr &E);

  // CheckAggregates.cpp
  /// Checks a head aggregate. Returns the types of the head columns it
  /// fills (one for simple aggregates, one per variable for ranking
  /// ones; unknown types are nullopt), or nullopt when malformed.
  std::optional<std::vector<HeadValue>> checkAggregate(const ast::HeadArg &A);
  /// `count<X>`, `sum<X>`, ...: one variable, no order.
  std::optional<std::vector<HeadValue>> checkSimpleAggregate(const ast::HeadArg &A,
                                                             const BuiltinAggregate &Agg);
  /// `top_k<K, Vars...>` and the like: the limit, then variables of which
  /// exactly one is ordered when there are several.
  std::optional<std::vector<HeadValue>> checkRankingAggregate(const ast::HeadArg &A,
                                                              const BuiltinAggregate &Agg);

  // CheckSafety.cpp
  void checkSafety(const ast::Clause &C);

  // CheckClause.cpp
  void checkHead(const ast::Clause &C);

  const ast::Ident &Rule;
  const ColumnList *HeadColumns;
  const RuleScope &Scope;
  const ColumnIndex *Columns;
  DiagnosticEngine &Diags;

  /// Per clause.
  llvm::StringMap<VarType> VarTypes;
  /// Per rule: the first ranking aggregate used by a clause.
  const BuiltinAggregate *RankingAggregate = nullptr;
  llvm::SMRange RankingAggregateLoc;
};

/// `1 column`, `3 columns` (Plural.cpp).
std::string plural(size_t N, llvm::StringRef Noun);

} // namespace strata::sema

#endif
