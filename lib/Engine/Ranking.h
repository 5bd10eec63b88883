//===- Ranking.h - The ranking aggregates ------------------------*- C++ -*-===//
//
// `top_k<K, Vars..., S:desc>`, `top_k_threshold<K, T, Vars..., S>` and
// `within_radius<D, Vars..., S>` keep rows rather than fold them: the head
// gets one column per variable of the aggregate, and each group (the other
// head columns) keeps the rows the ranking selects. The ordering variable
// is the one marked `:asc`/`:desc`, else the last (ascending).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_RANKING_H
#define STRATA_LIB_ENGINE_RANKING_H

#include "IqlTypes.h"
#include "strata/Engine/Engine.h"
#include "llvm/Support/Error.h"
#include <vector>

namespace strata::engine {

/// The variables of a ranking aggregate, one head column each.
std::vector<const Expr *> rankingVariables(const Expr &Aggregate);

/// Of one group's distinct rows (values of rankingVariables, in order),
/// those Aggregate keeps: top_k the K first by the ordering variable (ties
/// broken by the whole row, ascending), top_k_threshold the same among
/// rows at or past the threshold (>= for desc, <= for asc), within_radius
/// every row whose ordering value is at most the radius. A row whose
/// ordering value is null never ranks. Fails on a malformed parameter.
llvm::Expected<std::vector<Tuple>> rankRows(const Expr &Aggregate, std::vector<Tuple> Rows);

} // namespace strata::engine

#endif
