//===- Migration.h - Migration files and their operations -------*- C++ -*-===//
//
// The operations as written in a `.mig` file. The Migrate library turns them
// into typed operations that act on a schema state.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_AST_MIGRATION_H
#define STRATA_AST_MIGRATION_H

#include "strata/AST/Decl.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <tuple>
#include <variant>
#include <vector>

/// Lists an operation's fields, in their serialized order, so that the
/// stages that only walk an operation's parts handle every kind with one
/// generic walk instead of code per kind: the serializer (lib/Serialize)
/// and the `--dump-ast` dumper (lib/AST/ASTDumper.cpp). The walks go by a
/// field's type, and by its name where the type alone does not say how it
/// reads (`To` is the target of a rename or retype, `Column` follows its
/// relation after a dot, `Using`/`Forward`... label the part); fieldNames()
/// gives the names.
#define STRATA_OPERATION_FIELDS(...)                                                               \
  auto fields() { return std::tie(__VA_ARGS__); }                                                  \
  auto fields() const { return std::tie(__VA_ARGS__); }                                            \
  static constexpr const char *FieldNames = #__VA_ARGS__;

namespace strata::ast {

struct CreateRelationOp {
  Ident Name;
  std::vector<Column> Columns;
  bool BlockForm = false;
  STRATA_OPERATION_FIELDS(Name, Columns, BlockForm)
};
/// Carries the columns so that the backward stream can re-create it.
struct DropRelationOp {
  Ident Name;
  std::vector<Column> Columns;
  bool BlockForm = false;
  STRATA_OPERATION_FIELDS(Name, Columns, BlockForm)
};
struct RenameRelationOp {
  Ident From, To;
  STRATA_OPERATION_FIELDS(From, To)
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
  STRATA_OPERATION_FIELDS(Relation, Column, Type, Fill, Position)
};
/// Carries the type, fill value and position so that the backward stream
/// can re-add it where it was.
struct DropColumnOp {
  Ident Relation, Column;
  TypeExpr Type;
  std::optional<Expr> Fill;
  std::optional<ColumnPosition> Position;
  STRATA_OPERATION_FIELDS(Relation, Column, Type, Fill, Position)
};
struct RenameColumnOp {
  Ident Relation, Column, To;
  STRATA_OPERATION_FIELDS(Relation, Column, To)
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
  STRATA_OPERATION_FIELDS(Relation, Column, From, To, Using, Reverse)
};
/// The relation's columns in their order before (From) and after (To):
/// carrying both makes the backward stream computable from the text.
struct ReorderColumnsOp {
  Ident Relation;
  std::vector<Ident> From, To;
  STRATA_OPERATION_FIELDS(Relation, From, To)
};
struct CreateRuleOp {
  Ident Name;
  std::vector<Column> Columns;
  std::vector<Clause> Clauses;
  STRATA_OPERATION_FIELDS(Name, Columns, Clauses)
};
/// Carries the columns and clauses so that the backward stream can re-create it.
struct DropRuleOp {
  Ident Name;
  std::vector<Column> Columns;
  std::vector<Clause> Clauses;
  STRATA_OPERATION_FIELDS(Name, Columns, Clauses)
};
struct ReplaceRuleOp {
  Ident Name;
  std::vector<Clause> Clauses;
  /// The clauses being replaced (`was { ... }`), for the backward stream.
  std::optional<std::vector<Clause>> OldClauses;
  STRATA_OPERATION_FIELDS(Name, Clauses, OldClauses)
};
struct RenameRuleOp {
  Ident From, To;
  STRATA_OPERATION_FIELDS(From, To)
};
struct CreateIndexOp {
  IndexDecl Index;
  STRATA_OPERATION_FIELDS(Index)
};
struct DropIndexOp {
  IndexDecl Index;
  STRATA_OPERATION_FIELDS(Index)
};
struct AlterIndexOp {
  Ident Name;
  std::vector<IndexOption> Options;
  std::optional<std::vector<IndexOption>> OldOptions;
  STRATA_OPERATION_FIELDS(Name, Options, OldOptions)
};
/// Raw IQL, kept verbatim as the text between the braces.
struct IqlText {
  std::string Text;
  llvm::SMRange Range;
};
struct RunIqlOp {
  IqlText Forward;
  std::optional<IqlText> Backward;
  STRATA_OPERATION_FIELDS(Forward, Backward)
};

namespace detail {
template <typename Ignored, typename... Ts> struct VariantOfRest {
  using type = std::variant<Ts...>;
};
} // namespace detail

/// One alternative per line of Operations.def, in its order: an
/// alternative's index is the kind's serialized tag.
using OperationBody = detail::VariantOfRest<void
#define OPERATION(Kind, Name, Keyword, Marker, Tag) , Kind##Op
#include "strata/AST/Operations.def"
                                            >::type;

/// The names STRATA_OPERATION_FIELDS lists for Op, in the order of its
/// fields(). Split once per kind: the parser asks for every operation.
template <typename Op> const std::vector<llvm::StringRef> &fieldNames() {
  static const std::vector<llvm::StringRef> Names = [] {
    llvm::SmallVector<llvm::StringRef, 8> Parts;
    llvm::StringRef(Op::FieldNames).split(Parts, ',');
    std::vector<llvm::StringRef> Out;
    for (llvm::StringRef P : Parts)
      Out.push_back(P.trim());
    return Out;
  }();
  return Names;
}

/// The kind of each alternative of OperationBody as Operations.def spells
/// it ("AddColumn"), by the alternative's index.
inline llvm::StringRef operationKindIdentifier(size_t Index) {
  static const char *const Names[] = {
#define OPERATION(Kind, Name, Keyword, Marker, Tag) #Kind,
#include "strata/AST/Operations.def"
  };
  return Names[Index];
}
/// The words that start the alternative at Index in `.mig` text ("add column").
inline llvm::StringRef operationKeyword(size_t Index) {
  static const char *const Keywords[] = {
#define OPERATION(Kind, Name, Keyword, Marker, Tag) Keyword,
#include "strata/AST/Operations.def"
  };
  return Keywords[Index];
}

/// What precedes a name (Ident) or type (TypeExpr) field of an operation
/// where it reads inline, in `.mig` text and in the AST dump: ` -> ` before
/// the `To` of a rename or retype, `.` before the `Column` of a relation,
/// `: ` before any other type, a space before any other name.
inline llvm::StringRef inlineFieldPrefix(llvm::StringRef FieldName, bool IsType) {
  if (FieldName == "To")
    return " -> ";
  if (IsType)
    return ": ";
  return FieldName == "Column" ? "." : " ";
}

/// A list of names as it reads inline after the names before it: `(a, b)`,
/// or ` -> (b, a)` for the `To` of a reorder.
inline std::string inlineNameList(llvm::StringRef FieldName, const std::vector<Ident> &Names) {
  std::string Out = FieldName == "To" ? " -> (" : "(";
  for (size_t I = 0; I < Names.size(); ++I)
    Out += (I ? ", " : "") + Names[I].Name;
  return Out + ")";
}

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
