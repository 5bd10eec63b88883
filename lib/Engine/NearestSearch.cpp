//===- NearestSearch.cpp - hnsw_nearest as an exact search -----------------===//
#include "NearestSearch.h"
#include "FunctionSupport.h"
#include "Functions.h"
#include <algorithm>

using namespace strata::engine;
using strata::iql::FunctionId;

static llvm::Error failure(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

/// The distance function of a canonical metric name (Session.cpp stores
/// only canonical names).
static FunctionId metricFunction(const std::string &Metric) {
  if (Metric == "euclidean")
    return FunctionId::Euclidean;
  if (Metric == "dot_product")
    return FunctionId::Dot;
  if (Metric == "manhattan")
    return FunctionId::Manhattan;
  return FunctionId::Cosine;
}

llvm::Expected<NearestSearch> NearestSearch::open(const Graph &G, const std::string &Name,
                                                  const TupleSet &Facts) {
  auto Spec = G.Indexes.find(Name);
  if (Spec == G.Indexes.end())
    return failure("hnsw_nearest: Index '" + Name + "' not found");
  auto Rel = G.Relations.find(Spec->second.Relation);
  if (Rel == G.Relations.end() || !Rel->second.Columns)
    return failure("hnsw_nearest: Index '" + Name + "' has no relation '" + Spec->second.Relation +
                   "'");
  const Schema &Columns = *Rel->second.Columns;
  auto Col = llvm::find_if(Columns, [&](const auto &C) { return C.Name == Spec->second.Column; });
  if (Col == Columns.end())
    return failure("hnsw_nearest: Index '" + Name + "' has no column '" + Spec->second.Column +
                   "' in relation '" + Spec->second.Relation + "'");
  NearestSearch S;
  S.Index = Name;
  S.Column = size_t(Col - Columns.begin());
  S.Distance = metricFunction(Spec->second.Metric);
  S.LargerIsNearer = S.Distance == FunctionId::Dot;
  for (const Tuple &T : Facts)
    if (T.size() == Columns.size())
      S.Facts.push_back(&T);
  std::sort(S.Facts.begin(), S.Facts.end(),
            [](const Tuple *A, const Tuple *B) { return tupleLess(*A, *B); });
  return S;
}

llvm::Expected<std::vector<std::pair<Value, Value>>> NearestSearch::nearest(const Value &Query,
                                                                            size_t K) const {
  std::vector<float> Q;
  if (!readVector(Query, Q))
    return failure("hnsw_nearest: the query for index '" + Index + "' is not a vector");
  struct Hit {
    double Dist;
    size_t Order; // the fact's place in Facts, which breaks ties
  };
  std::vector<Hit> Hits;
  for (size_t I = 0; I < Facts.size(); ++I) {
    const Value &Cell = (*Facts[I])[Column];
    if (Cell.kind() != Value::Kind::List)
      continue; // a null cell is no point in the index
    if (Cell.asList().size() != Q.size())
      return failure("hnsw_nearest: the query has " + std::to_string(Q.size()) +
                     " dimensions, index '" + Index + "' holds vectors of " +
                     std::to_string(Cell.asList().size()));
    Value D = callFunction(Distance, {Query, Cell});
    if (D.isNumber())
      Hits.push_back({D.toDouble(), I});
  }
  auto Nearer = [&](const Hit &A, const Hit &B) {
    if (A.Dist != B.Dist)
      return LargerIsNearer ? A.Dist > B.Dist : A.Dist < B.Dist;
    return A.Order < B.Order;
  };
  size_t Keep = std::min(K, Hits.size());
  std::partial_sort(Hits.begin(), Hits.begin() + Keep, Hits.end(), Nearer);
  std::vector<std::pair<Value, Value>> Out;
  for (size_t I = 0; I < Keep; ++I)
    Out.emplace_back((*Facts[Hits[I].Order])[0], Value::real(Hits[I].Dist));
  return Out;
}
