//===- ClauseConflicts.cpp - Clauses a rule cannot take -------------------===//
#include "ClauseConflicts.h"
#include "strata/Engine/Engine.h"
#include <cmath>

using namespace strata::engine;

namespace {

/// A ranking aggregate's parameter as the server prints it in messages:
/// a whole float without its fraction (`within_radius<2, ...>`).
std::string parameterText(const Expr &E) {
  if (E.K != Expr::Kind::Constant)
    return E.K == Expr::Kind::Variable ? E.Name : E.Text;
  const Value &V = E.Constant;
  if (V.kind() == Value::Kind::Float && std::trunc(V.asFloat()) == V.asFloat() &&
      std::fabs(V.asFloat()) < 1e15)
    return std::to_string(int64_t(V.asFloat()));
  return V.kind() == Value::Kind::String ? V.asString() : V.literal(); // a bare `desc`
}

const Expr *aggregateOf(const Clause &C) {
  for (const Expr &A : C.Head.Args)
    if (A.K == Expr::Kind::Aggregate)
      return &A;
  return nullptr;
}

/// An aggregate as the server names it when two clauses of a rule
/// disagree: a folding one by its name (`sum`), a ranking one whole
/// (`top_k<2, Id, V:desc>`).
std::string aggregationText(const Expr &A) {
  if (!A.Aggregate->isRanking())
    return A.Aggregate->Name;
  std::string S = std::string(A.Aggregate->Name) + "<";
  for (size_t I = 0; I < A.Args.size(); ++I) {
    S += (I ? ", " : "") + parameterText(A.Args[I]);
    if (!A.Args[I].Order.empty())
      S += ":" + A.Args[I].Order;
  }
  return S + ">";
}

/// Folding aggregates may differ between clauses (transcript 14/155); a
/// ranking one must be the same in every clause.
std::string aggregationConflict(const Clause &Existing, const Clause &Rule, bool Session,
                                const std::string &Fix) {
  const Expr *OldAgg = aggregateOf(Existing), *NewAgg = aggregateOf(Rule);
  if (!OldAgg || !NewAgg || (!OldAgg->Aggregate->isRanking() && !NewAgg->Aggregate->isRanking()))
    return "";
  std::string Old = aggregationText(*OldAgg), New = aggregationText(*NewAgg);
  if (Old == New)
    return "";
  return "Conflicting aggregation: cannot add clause with '" + New + "' to " +
         (Session ? "session rule '" : "rule '") + Rule.Head.Relation +
         "' which already has a clause with '" + Old + "'. " + Fix;
}

} // namespace

std::string strata::engine::clauseConflict(const std::vector<const Clause *> &Existing,
                                           const Clause &Rule, bool Session) {
  if (Existing.empty())
    return "";
  const std::string &Name = Rule.Head.Relation;
  std::string Fix = Session
                        ? "Use '.session drop " + Name + "' to remove the existing rule first."
                        : "Drop the rule first with '.rule drop " + Name + "' and re-create it.";
  auto ArityMismatch = [&](size_t Had, size_t Has) {
    return "Arity mismatch: rule '" + Name + "' has " + std::to_string(Had) +
           " argument(s) but new clause has " + std::to_string(Has) + ". " + Fix;
  };
  // The server counts the head's arguments as written, a ranking aggregate
  // as one (`r(top_k<2, Id, V>)` has one), so a clause `r(sum<V>)` meets the
  // aggregation check, not this one (transcript 14/177).
  const Atom &Old = Existing.front()->Head;
  if (!Session && Old.Args.size() != Rule.Head.Args.size())
    return ArityMismatch(Old.Args.size(), Rule.Head.Args.size());
  if (std::string Conflict = aggregationConflict(*Existing.front(), Rule, Session, Fix);
      !Conflict.empty())
    return Conflict;
  // Clauses of one rule must still give rows of one width.
  size_t Had = headColumns(Old), Has = headColumns(Rule.Head);
  if (!Session && Had != Has)
    return ArityMismatch(Had, Has);
  return "";
}
