//===- UnknownCalls.cpp - Calls of functions the server does not know -----===//
#include "UnknownCalls.h"

using namespace strata;
using namespace strata::engine;

const Expr *strata::engine::firstUnknownCall(const Expr &E) {
  if (E.K == Expr::Kind::Call && !E.Function)
    return &E;
  for (const Expr &A : E.Args)
    if (const Expr *U = firstUnknownCall(A))
      return U;
  return nullptr;
}

namespace {

const Expr *inExprs(const std::vector<Expr> &Es) {
  for (const Expr &E : Es)
    if (const Expr *U = firstUnknownCall(E))
      return U;
  return nullptr;
}

const Expr *inBody(const std::vector<iql::Literal> &Body) {
  for (const iql::Literal &L : Body) {
    const Expr *U = L.K == iql::Literal::Kind::Compare ? firstUnknownCall(L.Lhs) : nullptr;
    if (!U)
      U = L.K == iql::Literal::Kind::Compare ? firstUnknownCall(L.Rhs) : inExprs(L.A.Args);
    if (U)
      return U;
  }
  return nullptr;
}

} // namespace

const Expr *strata::engine::firstUnknownCall(const iql::Statement &St) {
  for (const std::vector<Expr> &Row : St.Rows)
    if (const Expr *U = inExprs(Row))
      return U;
  if (const Expr *U = inExprs(St.Rule.Head.Args))
    return U;
  if (const Expr *U = inBody(St.Rule.Body))
    return U;
  if (const Expr *U = inBody(St.Body))
    return U;
  for (const auto &Target : St.Targets)
    if (const Expr *U = inExprs(Target.second.Args))
      return U;
  return nullptr;
}

std::string strata::engine::unknownCallMessage(const Expr &Call) {
  return "Parse error: Invalid term: '" + (Call.Text.empty() ? Call.Name : Call.Text) + "'";
}
