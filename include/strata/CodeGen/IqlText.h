//===- IqlText.h - Building IQL statements safely ---------------*- C++ -*-===//
//
// Where code generation turns names, values and clauses into IQL: typed
// lib/IQL trees, which only lib/IQL's printer (the lowering style) turns
// into text, so no value can end the statement it sits in. Names must pass
// the server's rules (checked here, never assumed).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_CODEGEN_IQLTEXT_H
#define STRATA_CODEGEN_IQLTEXT_H

#include "strata/AST/Rule.h"
#include "strata/IQL/Syntax.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Sema/ServerClause.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <string>
#include <vector>

namespace strata::codegen {

/// `[a-z][a-z0-9_]*`, at most 256 bytes, not starting with `__`
/// (src/naming.rs plus the reserved prefix).
bool isServerRelationName(llvm::StringRef Name);
/// ASCII letters, digits and `_`, non-empty: a strict subset of what
/// schema.rs accepts, and all a `.mig` file can spell.
bool isServerColumnName(llvm::StringRef Name);
/// An index name is one whitespace-free token of the `.index` command; we
/// require a relation-style name.
bool isServerIndexName(llvm::StringRef Name);

/// Whether the server recognises `+name(cols)` as a schema declaration: at
/// least one column type must start with int|string|bool|float|list
/// (statement/mod.rs); `+e(v: vector)` alone would be taken for a fact.
bool declaresSchema(const ColumnList &Columns);

/// The text of a statement the lowering built: lib/IQL's printer in the
/// lowering style.
std::string spell(const iql::Statement &S);

// The clause lowering lives in Sema (strata/Sema/ServerClause.h), which
// also compares lowered clauses; code generation uses it under its names.
using strata::ColumnLookup;
using strata::iqlClause;
using strata::iqlExpr;
using strata::iqlType;
using strata::lowerClauseAtoms;

/// `+name(col: type, ...)`.
iql::Statement declaration(llvm::StringRef Name, const ColumnList &Columns);
/// `.rel drop name`, `.rule drop name`, `.index drop name`.
iql::Statement relDrop(llvm::StringRef Name);
iql::Statement ruleDrop(llvm::StringRef Name);
iql::Statement indexDrop(llvm::StringRef Name);
/// `.index create N on rel(col) type hnsw metric M m X ef_construction Y ef_search Z`.
iql::Statement indexCreate(const IndexDef &I);

/// `+head(...) <- body` for a lowered clause, on one line.
iql::Statement persistentClause(const ast::Clause &C);

/// Fresh variables `C0`, `C1`, ... that avoid every name in Taken.
class FreshVars {
public:
  explicit FreshVars(std::vector<std::string> Taken = {}) : Taken(std::move(Taken)) {}
  std::string next();

private:
  std::vector<std::string> Taken;
  unsigned Counter = 0;
};

} // namespace strata::codegen

#endif
