//===- NearestSearch.h - hnsw_nearest as an exact search --------*- C++ -*-===//
//
// `hnsw_nearest("index", Query, K, Id, Dist[, EfSearch])` on the embedded
// engine: the index's metric is computed from Query to the indexed column
// of every fact of the indexed relation, and the K nearest facts answer,
// each as its first column (the id) and the distance. The search is exact,
// so EfSearch, which only tunes an approximate HNSW walk, is ignored.
//
// The distances are the vector functions' (FunctionsVector.cpp). For
// cosine, euclidean and manhattan a smaller distance is nearer; for
// dot_product Dist is the dot product, a similarity, so a larger one is
// nearer. Equally near facts keep the facts' order (tupleLess).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_NEARESTSEARCH_H
#define STRATA_LIB_ENGINE_NEARESTSEARCH_H

#include "Store.h"
#include "strata/IQL/Builtins.h"
#include "llvm/Support/Error.h"
#include <string>
#include <utility>
#include <vector>

namespace strata::engine {

class NearestSearch {
public:
  /// A search through index Name of G over Facts, the indexed relation's
  /// facts (which the caller keeps alive). Fails when G has no such index.
  static llvm::Expected<NearestSearch> open(const Graph &G, const std::string &Name,
                                            const TupleSet &Facts);

  /// The K facts nearest to Query, nearest first, as (id, distance).
  /// Fails when Query is not a vector or its length is not the facts'.
  llvm::Expected<std::vector<std::pair<Value, Value>>> nearest(const Value &Query, size_t K) const;

private:
  std::string Index;
  size_t Column = 0;
  iql::FunctionId Distance = iql::FunctionId::Cosine;
  bool LargerIsNearer = false;
  std::vector<const Tuple *> Facts; // in tupleLess order
};

} // namespace strata::engine

#endif
