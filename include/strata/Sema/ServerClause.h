//===- ServerClause.h - A rule clause as the server registers it -*- C++ -*-===//
//
// A clause of a `.strata` or `.mig` file reaches the server rewritten:
// named atoms positional with the columns of the moment, a unary minus of a
// term as `(0 - X)`, and then as an IQL tree. Code generation emits these
// trees; Sema compares them, because the server registers a clause it
// already has only once. Both use the functions here, so "the clause the
// server sees" has one definition.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SEMA_SERVERCLAUSE_H
#define STRATA_SEMA_SERVERCLAUSE_H

#include "strata/AST/Rule.h"
#include "strata/IQL/Syntax.h"
#include "strata/Sema/SchemaState.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <optional>
#include <vector>

namespace strata {

/// The columns of relation or derived relation Name, or null.
using ColumnLookup = std::function<const ColumnList *(llvm::StringRef Name)>;

/// C rewritten for the server: named-argument atoms become positional with
/// the columns Lookup gives (unnamed columns become `_`), and a unary minus
/// of a non-literal becomes `(0 - X)` (the server has no unary minus on
/// terms). An error names the atom's relation or named column that Lookup
/// does not know.
llvm::Error lowerClauseAtoms(ast::Clause &C, const ColumnLookup &Lookup);

/// The IQL tree of an expression, clause or column type of a `.mig` file
/// (clauses after lowerClauseAtoms: positional atoms only).
iql::Expr iqlExpr(const ast::Expr &E);
iql::Clause iqlClause(const ast::Clause &C);
iql::ColumnType iqlType(const Type &T);

/// C as the server registers it: lowerClauseAtoms, then iqlClause. nullopt
/// when it does not lower.
std::optional<iql::Clause> serverClause(const ast::Clause &C, const ColumnLookup &Lookup);

/// For each of Clauses, the clauses of one rule, the index of the clause
/// the server keeps in its place: its own index, or that of the first
/// earlier clause that lowers (against Lookup) to the same IQL clause. The
/// server compares a new clause with those it has as written, after
/// parsing: variable names, the order of body literals and every constant
/// count, spacing and parentheses do not (lib/Engine does the same with
/// iql::sameTree). nullopt when a clause that could be the same as another
/// (one with the same relations in the same places) does not lower.
std::optional<std::vector<size_t>> keptClauseIndexes(llvm::ArrayRef<const ast::Clause *> Clauses,
                                                     const ColumnLookup &Lookup);

} // namespace strata

#endif
