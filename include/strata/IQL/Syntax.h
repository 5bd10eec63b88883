//===- Syntax.h - IQL statements as the engine's parser reads them -*- C++ -*-===//
//
// The parsed form of one IQL statement. Expressions cover what rule bodies
// use: variables, `_`, constants, arithmetic, function calls and head
// aggregates. Rules print back in the server's style (`.rule def`): binary
// arithmetic without spaces (`X*2`), comparisons with (`X < 2`).
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
  /// A variable argument of an aggregate written `S:desc` or `S:asc`:
  /// "desc" or "asc"; else empty.
  std::string Order;
  /// Call: the built-in it names (Functions.def), or null for a name the
  /// server does not know (reported when the statement runs).
  const BuiltinFunction *Function = nullptr;
  /// Aggregate: the aggregate it names (Aggregates.def); never null.
  const BuiltinAggregate *Aggregate = nullptr;

  bool isVariable() const { return K == Kind::Variable; }
  bool isGround() const; // no variables, wildcards or aggregates
};

struct Atom {
  std::string Relation;
  std::vector<Expr> Args;
};

struct Literal {
  enum class Kind { Positive, Negative, Compare };
  Kind K = Kind::Positive;
  Atom A;             // Positive, Negative
  std::string CmpOp;  // = != < <= > >=
  Expr Lhs, Rhs;      // Compare
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
  unsigned Dimension = 0; // vector(N); 0 = any length
  std::vector<ColumnType> Element; // list[T]: one element
  std::vector<std::pair<std::string, ColumnType>> Fields; // records
  std::string Name; // Named

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
  std::string Text;

  std::vector<std::string> Words; // Meta: the command's words
  IndexSpec Index;                // Meta `.index create`
  std::string Relation;
  Schema Columns;                       // SchemaDecl
  std::vector<std::vector<Expr>> Rows;  // Insert, Delete
  bool Bulk = false;                    // `rel[...]`
  Clause Rule;                          // rules, ConditionalDelete target + body, SessionFact
  std::vector<Literal> Body;            // Query, Update
  std::vector<std::pair<bool, Atom>> Targets; // Update: (isInsert, atom)
};

std::string printExpr(const Expr &E);
std::string printAtom(const Atom &A);
std::string printLiteral(const Literal &L);
std::string printClause(const Clause &C);

} // namespace strata::iql

#endif
