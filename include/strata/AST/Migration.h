//===- Migration.h - Migration files and their operations -------*- C++ -*-===//
//
// The operations as written in a `.mig` file. The Migrate library turns them
// into typed operations that act on a schema state.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_AST_MIGRATION_H
#define STRATA_AST_MIGRATION_H

#include "strata/AST/Decl.h"
#include <optional>
#include <variant>
#include <vector>

namespace strata::ast {

struct CreateRelationOp {
  Ident Name;
  std::vector<Column> Columns;
  bool BlockForm = false;
};
/// Carries the columns so that the backward stream can re-create it.
struct DropRelationOp {
  Ident Name;
  std::vector<Column> Columns;
  bool BlockForm = false;
};
struct RenameRelationOp {
  Ident From, To;
};
/// `first` or `after NAME`; absent means after the last column.
struct ColumnPosition {
  bool First = false;
  Ident After;
  llvm::SMRange Range;
};
struct AddColumnOp {
  Ident Relation, Column;
  TypeExpr Type;
  std::optional<Expr> Fill;
  std::optional<ColumnPosition> Position;
};
/// Carries the type, fill value and position so that the backward stream
/// can re-add it where it was.
struct DropColumnOp {
  Ident Relation, Column;
  TypeExpr Type;
  std::optional<Expr> Fill;
  std::optional<ColumnPosition> Position;
};
struct RenameColumnOp {
  Ident Relation, Column, To;
};
/// `using X => expr` converts an old value; `reverse X => expr` converts back.
struct CastExpr {
  Ident Var;
  Expr Body;
};
struct RetypeColumnOp {
  Ident Relation, Column;
  TypeExpr From, To;
  std::optional<CastExpr> Using, Reverse;
};
struct CreateRuleOp {
  Ident Name;
  std::vector<Column> Columns;
  std::vector<Clause> Clauses;
};
/// Carries the columns and clauses so that the backward stream can re-create it.
struct DropRuleOp {
  Ident Name;
  std::vector<Column> Columns;
  std::vector<Clause> Clauses;
};
struct ReplaceRuleOp {
  Ident Name;
  std::vector<Clause> Clauses;
  /// The clauses being replaced (`was { ... }`), for the backward stream.
  std::optional<std::vector<Clause>> OldClauses;
};
struct RenameRuleOp {
  Ident From, To;
};
struct CreateIndexOp {
  IndexDecl Index;
};
struct DropIndexOp {
  IndexDecl Index;
};
struct AlterIndexOp {
  Ident Name;
  std::vector<IndexOption> Options;
  std::optional<std::vector<IndexOption>> OldOptions;
};
/// Raw IQL, kept verbatim as the text between the braces.
struct IqlText {
  std::string Text;
  llvm::SMRange Range;
};
struct RunIqlOp {
  IqlText Forward;
  std::optional<IqlText> Backward;
};

using OperationBody =
    std::variant<CreateRelationOp, DropRelationOp, RenameRelationOp,
                 AddColumnOp, DropColumnOp, RenameColumnOp, RetypeColumnOp,
                 CreateRuleOp, DropRuleOp, ReplaceRuleOp, RenameRuleOp,
                 CreateIndexOp, DropIndexOp, AlterIndexOp, RunIqlOp>;

struct Operation {
  OperationBody Body;
  llvm::SMRange Range;
};

struct MigrationDecl {
  Ident Name;
  std::vector<Ident> Depends;
  std::vector<Ident> Replaces;
  std::vector<Operation> Operations;
  llvm::SMRange Range;
};

} // namespace strata::ast

#endif
