//===- Syntax.h - IQL statements as the engine's parser reads them -*- C++ -*-===//
//
// The parsed form of one IQL statement. Expressions cover what rule bodies
// use: variables, `_`, constants, arithmetic, function calls and head
// aggregates. Printer.h prints trees back to text.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_SYNTAX_H
#define STRATA_IQL_SYNTAX_H

#include "strata/IQL/Builtins.h"
#include "strata/IQL/Value.h"
#include <memory>
#include <string>
#include <vector>

namespace strata::iql {

struct Expr {
  enum class Kind { Variable, Wildcard, Constant, Binary, Call, Aggregate };
  Kind K = Kind::Constant;
  std::string Name; // variable, function or aggregate name
  Value Constant;
  char Op = 0; // + - * / %
  std::vector<Expr> Args;
  std::string Text; // the source text, for column headers
  /// Parentheses written around the expression (the lowering print style
  /// keeps them; the parser leaves 0 and sameTree ignores it).
  unsigned Parens = 0;
  /// A variable argument of an aggregate written `S:desc` or `S:asc`:
  /// "desc" or "asc"; else empty.
  std::string Order;
  /// Call: the built-in it names (Functions.def), or null for a name the
  /// server does not know (reported when the statement runs).
  const BuiltinFunction *Function = nullptr;
  /// Aggregate: the aggregate it names (Aggregates.def); never null.
  const BuiltinAggregate *Aggregate = nullptr;
  /// Byte range in the statement's Text (Statement::Text): [Begin, End).
  /// A parenthesised expression's range covers its parentheses.
  unsigned Begin = 0, End = 0;

  bool isVariable() const { return K == Kind::Variable; }
  bool isGround() const; // no variables, wildcards or aggregates
};

struct Atom {
  std::string Relation;
  std::vector<Expr> Args;
  unsigned Begin = 0, End = 0; // byte range in Statement::Text
};

struct Literal {
  enum class Kind { Positive, Negative, Compare };
  Kind K = Kind::Positive;
  Atom A;                      // Positive, Negative
  std::string CmpOp;           // = != < <= > >=
  Expr Lhs, Rhs;               // Compare
  unsigned Begin = 0, End = 0; // byte range in Statement::Text, `!` included
};

struct Clause {
  Atom Head;
  std::vector<Literal> Body;
  bool hasAggregate() const;
};

/// A column type of a schema declaration.
struct ColumnType {
  enum class Kind { Int, Float, String, Bool, Vector, List, Record, Named };
  Kind K = Kind::Int;
  unsigned Dimension = 0;                                 // vector(N); 0 = any length
  std::vector<ColumnType> Element;                        // list[T]: one element
  std::vector<std::pair<std::string, ColumnType>> Fields; // records
  std::string Name;                                       // Named

  std::string text() const;
  bool accepts(const Value &V) const;
};

struct Column {
  std::string Name;
  ColumnType Type;
};
using Schema = std::vector<Column>;

struct IndexSpec {
  std::string Name, Relation, Column, Type = "hnsw", Metric = "cosine";
  int64_t M = 16, EfConstruction = 200, EfSearch = 50;
  std::string text() const; // the `.index create` statement
};

struct Statement {
  enum class Kind {
    Meta,              // `.kg`, `.rel`, `.rule`, `.index`, ...
    Query,             // ?body
    SchemaDecl,        // +rel(col: type, ...)
    Insert,            // +rel(...) / +rel[...]
    Delete,            // -rel(...) / -rel[...]
    DropRule,          // -name
    ConditionalDelete, // -rel(...) <- body
    Update,            // -a(...), +b(...) <- body
    PersistentRule,    // +head <- body
    SessionRule,       // head <- body
    SessionFact,       // rel(...)
    TypeDecl,          // type Name: T
  };
  Kind K = Kind::Meta;
  unsigned Line = 1;
  /// The statement as parsed (trimmed); the ranges in its tree point here.
  std::string Text;

  std::vector<std::string> Words;              // Meta: the command's words
  MetaCommandId Command = MetaCommandId::None; // Meta: the form they match
  IndexSpec Index;                             // Meta `.index create`
  std::string Relation;
  Schema Columns;                             // SchemaDecl
  std::vector<std::vector<Expr>> Rows;        // Insert, Delete
  bool Bulk = false;                          // `rel[...]`
  Clause Rule;                                // rules, ConditionalDelete target + body, SessionFact
  std::vector<Literal> Body;                  // Query, Update
  std::vector<std::pair<bool, Atom>> Targets; // Update: (isInsert, atom)
  ColumnType Type;                            // TypeDecl: the type Relation names
};

/// A meta statement of form Id (not None): its words are the form's
/// command and sub-command words (MetaCommands.def) followed by Args.
/// Text is left empty; `.index create` callers fill Index themselves.
Statement metaStatement(MetaCommandId Id, std::vector<std::string> Args);

/// Structural equality: the same kinds, names, constants (bit for bit),
/// operators and resolved built-ins, ignoring where the tree came from
/// (Begin/End, Statement::Line, Statement::Text and Expr::Text).
bool sameTree(const Expr &A, const Expr &B);
bool sameTree(const Atom &A, const Atom &B);
bool sameTree(const Literal &A, const Literal &B);
bool sameTree(const Clause &A, const Clause &B);
bool sameTree(const ColumnType &A, const ColumnType &B);
bool sameTree(const Statement &A, const Statement &B);

} // namespace strata::iql

#endif
