//===- Store.h - The knowledge graphs an engine holds -----------*- C++ -*-===//
//
// A graph has base relations (an optional schema and a set of facts),
// persistent rules (a name and its clauses, in the order they were added;
// a cleared rule keeps its name with no clauses) and HNSW index
// definitions. Derived relations are never stored: they are computed when
// a statement reads them.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_STORE_H
#define STRATA_LIB_ENGINE_STORE_H

#include "IqlTypes.h"
#include "llvm/ADT/Optional.h"
#include <map>
#include <string>
#include <vector>

namespace strata::engine {

struct BaseRelation {
  llvm::Optional<Schema> Columns;
  TupleSet Tuples;
};

struct Graph {
  std::map<std::string, BaseRelation> Relations;
  std::map<std::string, std::vector<Clause>> Rules;
  std::map<std::string, IndexSpec> Indexes;
};

class Store {
public:
  std::map<std::string, Graph> Graphs;
};

} // namespace strata::engine

#endif
