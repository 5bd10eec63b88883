//===- Rule.h - Rule clauses: heads, atoms and body literals ----*- C++ -*-===//
#ifndef STRATA_AST_RULE_H
#define STRATA_AST_RULE_H

#include "strata/AST/Boxed.h"
#include "strata/AST/Expr.h"
#include "strata/AST/Ident.h"
#include <optional>
#include <vector>

namespace strata::ast {

struct NamedArg {
  Ident Column;
  Expr Value;
};

/// `employee(A, _, C)` (positional) or `employee{name: N}` (named).
struct Atom {
  Ident Relation;
  bool IsNamed = false;
  std::vector<Expr> Args;          // positional
  std::vector<NamedArg> NamedArgs; // named
  llvm::SMRange Range;

  size_t argCount() const { return IsNamed ? NamedArgs.size() : Args.size(); }
};

enum class CompareOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
llvm::StringRef spelling(CompareOp Op);

struct BodyLiteral {
  enum class Kind : uint8_t { Positive, Negated, Comparison };
  Kind TheKind = Kind::Positive;
  CompareOp Op = CompareOp::Eq; // Comparison
  Atom TheAtom;                 // Positive, Negated
  /// Comparison (`=` may also bind a variable). On the heap: most literals
  /// are atoms, and an atom's sides read as empty expressions.
  Boxed<Expr> Lhs, Rhs;
  llvm::SMRange Range;
};

/// A parameter of an aggregate; ranking aggregates mark their order
/// variable as `Score:desc` or `Score:asc`.
struct AggregateArg {
  Expr Value;
  std::optional<Ident> Order;
};

/// A head argument: a plain term or an aggregate like `sum<Amount>` or
/// `top_k<3, Name, Score:desc>`.
struct HeadArg {
  bool IsAggregate = false;
  Ident Aggregate; // sum, count, top_k, ...
  std::vector<AggregateArg> AggArgs;
  Expr Value; // plain term
  llvm::SMRange Range;
};

struct Clause {
  Ident Head;
  std::vector<HeadArg> HeadArgs;
  llvm::SMRange HeadRange;
  std::vector<BodyLiteral> Body;
  llvm::SMRange Range;
};

} // namespace strata::ast

#endif
