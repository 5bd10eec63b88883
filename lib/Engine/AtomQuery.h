//===- AtomQuery.h - A query of one atom: its columns and its matches -*- C++ -*-===//
//
// A query that is one positive atom answers with whole matching facts,
// headed by the declared column names when the relation has a schema of
// that arity, else by the query's own argument texts. Both the reply a
// session builds (Session.cpp) and the rows a scan visits without building
// one (QueryScan.cpp) use this, so the two cannot disagree.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_ATOMQUERY_H
#define STRATA_LIB_ENGINE_ATOMQUERY_H

#include "IqlTypes.h"
#include "Store.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace strata::engine {

class AtomQuery {
public:
  /// Heads and constants of A on graph G; Why heads a constant's column by
  /// its place (`_c0`). Fails when a constant argument does not evaluate.
  static llvm::Expected<AtomQuery> make(const Graph &G, const Atom &A, bool Why);

  /// Whether fact T matches the atom: its arity, its constants, and the
  /// same value wherever a variable repeats.
  bool matches(const Tuple &T) const;

  std::vector<std::string> Columns;
  /// The variable of each column ("" for a constant), as applyReplyOrder
  /// reads them.
  std::vector<std::string> ColumnVars;

private:
  std::vector<std::optional<Value>> Ground;
  /// For each argument, the first argument with the same variable (itself
  /// when it is the first), so that repeats compare without a map.
  std::vector<size_t> FirstOf;
};

/// A column's header for an argument written as Arg: its text, except
/// that the server shows a string constant unquoted (`?data(X, "a")` has
/// columns X and a; transcripts 21/35, 21/48).
std::string columnName(const Expr &Arg);

} // namespace strata::engine

#endif
