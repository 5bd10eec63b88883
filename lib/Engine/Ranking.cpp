//===- Ranking.cpp - The ranking aggregates --------------------------------===//
#include "Ranking.h"
#include "strata/IQL/Builtins.h"
#include <algorithm>

using namespace strata::engine;
using strata::iql::AggregateKind;

static llvm::Error failure(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::vector<const Expr *> strata::engine::rankingVariables(const Expr &Aggregate) {
  std::vector<const Expr *> Out;
  for (size_t I = Aggregate.Aggregate->leadingParams(); I < Aggregate.Args.size(); ++I)
    if (Aggregate.Args[I].isVariable())
      Out.push_back(&Aggregate.Args[I]);
  return Out;
}

size_t strata::engine::headColumns(const Atom &Head) {
  size_t N = 0;
  for (const Expr &A : Head.Args)
    N += A.K == Expr::Kind::Aggregate && A.Aggregate->isRanking() ? rankingVariables(A).size() : 1;
  return N;
}

namespace {

struct Ordering {
  size_t Column = 0;
  bool Descending = false;
};

Ordering orderingOf(const std::vector<const Expr *> &Vars) {
  Ordering O;
  O.Column = Vars.empty() ? 0 : Vars.size() - 1;
  for (size_t I = 0; I < Vars.size(); ++I)
    if (!Vars[I]->Order.empty()) {
      O.Column = I;
      O.Descending = Vars[I]->Order == "desc";
    }
  return O;
}

/// Whether Score passes the bound of top_k_threshold or within_radius.
bool withinBound(const Value &Score, const Value &Bound, bool Descending) {
  int C = compareValues(Score, Bound);
  return Descending ? C >= 0 : C <= 0;
}

} // namespace

llvm::Expected<std::vector<Tuple>> strata::engine::rankRows(const Expr &Aggregate,
                                                            std::vector<Tuple> Rows) {
  AggregateKind Kind = Aggregate.Aggregate->Kind;
  std::vector<const Expr *> Vars = rankingVariables(Aggregate);
  if (Vars.empty() || Aggregate.Args.size() < Aggregate.Aggregate->leadingParams())
    return failure("Aggregate '" + Aggregate.Name + "' needs a variable to rank by");
  Ordering O = orderingOf(Vars);
  const Value &First = Aggregate.Args[0].Constant;
  int64_t K = INT64_MAX;
  if (Kind != AggregateKind::WithinRadius) {
    if (First.kind() != Value::Kind::Int || First.asInt() < 1)
      return failure("The limit of '" + Aggregate.Name + "' must be a positive integer");
    K = First.asInt();
  }
  Rows.erase(std::remove_if(Rows.begin(), Rows.end(),
                            [&](const Tuple &R) { return R[O.Column].isNull(); }),
             Rows.end());
  if (Kind != AggregateKind::TopK) {
    const Value &Bound = Kind == AggregateKind::WithinRadius ? First : Aggregate.Args[1].Constant;
    if (!Bound.isNumber())
      return failure("The bound of '" + Aggregate.Name + "' must be a number");
    // within_radius keeps what is near: at most the radius, whatever the order.
    bool Descending = Kind == AggregateKind::TopKThreshold && O.Descending;
    Rows.erase(std::remove_if(
                   Rows.begin(), Rows.end(),
                   [&](const Tuple &R) { return !withinBound(R[O.Column], Bound, Descending); }),
               Rows.end());
  }
  std::sort(Rows.begin(), Rows.end(), [&](const Tuple &A, const Tuple &B) {
    int C = compareValues(A[O.Column], B[O.Column]);
    if (C != 0)
      return O.Descending ? C > 0 : C < 0;
    return tupleLess(A, B);
  });
  if (int64_t(Rows.size()) > K)
    Rows.resize(size_t(K));
  return Rows;
}
