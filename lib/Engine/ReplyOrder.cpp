//===- ReplyOrder.cpp - The order and window a query asks for -------------===//
#include "ReplyOrder.h"
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace strata;
using namespace strata::engine;

namespace {
/// A `limit` argument: a non-negative integer constant.
std::optional<size_t> count(const Expr &E) {
  if (E.K != Expr::Kind::Constant || E.Constant.kind() != Value::Kind::Int ||
      E.Constant.asInt() < 0)
    return std::nullopt;
  return size_t(E.Constant.asInt());
}
} // namespace

llvm::Expected<ReplyOrder> strata::engine::takeReplyOrder(std::vector<Literal> &Body) {
  ReplyOrder Out;
  std::vector<Literal> Kept;
  for (Literal &L : Body) {
    if (L.K != Literal::Kind::Positive || !iql::isQueryLimit(L.A.Relation)) {
      for (const Expr &A : L.A.Args)
        if (A.isVariable() && !A.Order.empty())
          Out.Keys.push_back({A.Name, A.Order == "desc"});
      Kept.push_back(std::move(L));
      continue;
    }
    const std::vector<Expr> &Args = L.A.Args;
    std::optional<size_t> N = Args.empty() ? std::nullopt : count(Args[0]);
    std::optional<size_t> O = Args.size() == 2 ? count(Args[1]) : std::optional<size_t>(0);
    if (!N || !O || Args.size() > 2)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "Invalid limit: expected limit(N) or limit(N, OFFSET) "
                                     "with non-negative integers");
    Out.Limit = *N;
    Out.Offset = *O;
  }
  // `?limit(2)` alone leaves nothing to answer (strata-fuzz-engine found
  // the empty body indexed further on: docs/security.md).
  if (Kept.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "Invalid query: limit(...) needs at least one literal to "
                                   "answer beside it");
  Body = std::move(Kept);
  return Out;
}

void strata::engine::applyReplyOrder(const ReplyOrder &Order,
                                     const std::vector<std::string> &ColumnVars,
                                     std::vector<Tuple> &Rows) {
  std::vector<std::pair<size_t, bool>> Columns; // (column, descending)
  for (const ReplyOrder::Key &K : Order.Keys) {
    auto It = llvm::find(ColumnVars, K.Variable);
    if (It != ColumnVars.end())
      Columns.emplace_back(size_t(It - ColumnVars.begin()), K.Descending);
  }
  if (!Columns.empty())
    std::stable_sort(Rows.begin(), Rows.end(), [&](const Tuple &A, const Tuple &B) {
      for (const auto &[C, Descending] : Columns)
        if (int Cmp = compareValues(A[C], B[C]))
          return Descending ? Cmp > 0 : Cmp < 0;
      return false;
    });
  size_t From = std::min(Order.Offset, Rows.size());
  size_t To = Order.Limit ? std::min(Rows.size(), From + *Order.Limit) : Rows.size();
  if (From == 0 && To == Rows.size())
    return; // no window: the rows stay where they are
  Rows = std::vector<Tuple>(Rows.begin() + long(From), Rows.begin() + long(To));
}
