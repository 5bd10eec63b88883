//===- Decl.h - Schema declarations -----------------------------*- C++ -*-===//
#ifndef STRATA_AST_DECL_H
#define STRATA_AST_DECL_H

#include "strata/AST/Boxed.h"
#include "strata/AST/Expr.h"
#include "strata/AST/Rule.h"
#include "strata/AST/Type.h"
#include <optional>
#include <vector>

namespace strata::ast {

struct Column {
  Ident Name;
  TypeExpr Type;
  /// Value for facts that exist when a migration adds the column. Both
  /// optional parts are on the heap: most columns have neither.
  BoxedOptional<Expr> Fill;
  BoxedOptional<Ident> RenamedFrom;
  llvm::SMRange Range;
};

/// `relation edge(src: int, dst: int)` or the block form with braces.
struct RelationDecl {
  Ident Name;
  std::optional<Ident> RenamedFrom;
  std::vector<Column> Columns;
  bool BlockForm = false;
  llvm::SMRange Range;
};

/// A relation computed by persistent rules.
struct DerivedDecl {
  Ident Name;
  std::optional<Ident> RenamedFrom;
  std::vector<Column> Columns;
  std::vector<Clause> Clauses;
  llvm::SMRange Range;
};

struct IndexOption {
  enum class Kind { Word, Int, Float };
  Ident Key;
  Kind ValueKind = Kind::Word;
  std::string Value; // as written
  llvm::SMRange ValueRange;
};

/// `index N on rel(col) hnsw(metric: cosine, m: 16, ...)`
struct IndexDecl {
  Ident Name;
  Ident Relation;
  Ident Column;
  std::vector<IndexOption> Options;
  bool HasOptionList = false; // `hnsw(...)` rather than bare `hnsw`
  llvm::SMRange Range;
};

} // namespace strata::ast

#endif
