//===- CheckAggregates.cpp - Head aggregates ------------------------------===//
//
// `count<X>`, `sum<X>`, ... take one variable. Ranking aggregates
// (`top_k<K, Vars...>`, `top_k_threshold<K, T, Vars...>`,
// `within_radius<D, Vars...>`) fill one head column per variable; with
// several variables exactly one carries `:desc` or `:asc`. A bare `desc` is
// read by the server as one more variable, which is never what was meant.
//
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"
#include "strata/AST/Printer.h"
#include "strata/Sema/Suggest.h"

using namespace strata;
using namespace strata::sema;

namespace {
bool isOrderWord(const ast::Expr &E) {
  return E.TheKind == ast::Expr::Kind::Word && (E.Text == "desc" || E.Text == "asc");
}
} // namespace

std::optional<std::vector<HeadValue>> ClauseChecker::checkAggregate(const ast::HeadArg &A) {
  const BuiltinAggregate *Agg = iql::findAggregate(A.Aggregate.Name);
  if (!Agg) {
    NameSuggester S(llvm::StringRef(A.Aggregate.Name).lower());
    for (const BuiltinAggregate &B : iql::allAggregates())
      S.offer(B.Name);
    addSuggestion(Diags.reportAt(DiagKind::UnknownAggregate, A.Aggregate.Range, A.Aggregate.Name),
                  A.Aggregate.Range, S.best());
    return std::nullopt;
  }
  if (!Agg->isRanking())
    return checkSimpleAggregate(A, *Agg);
  return checkRankingAggregate(A, *Agg);
}

std::optional<std::vector<HeadValue>>
ClauseChecker::checkSimpleAggregate(const ast::HeadArg &A, const BuiltinAggregate &Agg) {
  llvm::StringRef Name = Agg.Name;
  if (A.AggArgs.size() != 1) {
    Diags.reportAt(DiagKind::AggregateArgCount, A.Range, Name.str(), "1 variable",
                   A.AggArgs.size());
    return std::nullopt;
  }
  const ast::AggregateArg &P = A.AggArgs.front();
  bool Ok = true;
  if (P.Order) {
    Diags.reportAt(DiagKind::OrderNotAllowed, P.Order->Range, Name.str());
    Ok = false;
  }
  const ast::Expr &V = P.Value.stripParens();
  if (!V.isVariable()) {
    Diags.reportAt(DiagKind::AggregateArgNotVariable, P.Value.Range, Name.str(),
                   ast::toString(P.Value));
    return std::nullopt;
  }
  if (!Ok)
    return std::nullopt;
  std::optional<Type> T;
  // The server sums in int64, truncating floats (docs/engine.md).
  if (Agg.isCount() || Agg.Kind == AggregateKind::Sum)
    T = Type::intTy();
  else if (Agg.Kind == AggregateKind::Avg)
    T = Type::floatTy();
  else if (auto It = VarTypes.find(V.Text); It != VarTypes.end())
    T = It->second.Ty;
  return std::vector<HeadValue>{{T, &P.Value}};
}

std::optional<std::vector<HeadValue>>
ClauseChecker::checkRankingAggregate(const ast::HeadArg &A, const BuiltinAggregate &Agg) {
  llvm::StringRef Name = Agg.Name;
  unsigned Lead = Agg.leadingParams();
  if (A.AggArgs.size() < Lead + 1) {
    Diags.reportAt(DiagKind::AggregateArgCount, A.Range, Name.str(),
                   fmt::format("at least {0} arguments", Lead + 1), A.AggArgs.size());
    return std::nullopt;
  }
  bool Ok = true;
  if (Agg.Kind != AggregateKind::WithinRadius) {
    const ast::Expr &K = A.AggArgs.front().Value.stripParens();
    if (K.TheKind != ast::Expr::Kind::Int || K.IntValue < 1) {
      Diags.reportAt(DiagKind::RankingLimit, A.AggArgs.front().Value.Range, Name.str());
      Ok = false;
    }
  }
  std::vector<HeadValue> Out;
  unsigned Annotated = 0;
  bool BareOrder = false;
  for (size_t I = Lead; I < A.AggArgs.size(); ++I) {
    const ast::AggregateArg &P = A.AggArgs[I];
    const ast::Expr &V = P.Value.stripParens();
    if (isOrderWord(V)) {
      const ast::AggregateArg *Prev = I > Lead ? &A.AggArgs[I - 1] : nullptr;
      bool CanFix = Prev && Prev->Value.isVariable() && !Prev->Order;
      DiagnosticBuilder B = Diags.reportAt(DiagKind::TopKBareOrder, V.Range, V.Text,
                                           CanFix ? Prev->Value.Text : "Score");
      if (CanFix)
        B.fixIt({Prev->Value.Range.End, V.Range.End}, ":" + V.Text);
      BareOrder = true;
      continue;
    }
    if (!V.isVariable()) {
      Diags.reportAt(DiagKind::AggregateArgNotVariable, P.Value.Range, Name.str(),
                     ast::toString(P.Value));
      Ok = false;
      continue;
    }
    if (P.Order) {
      if (P.Order->Name != "desc" && P.Order->Name != "asc") {
        Diags.reportAt(DiagKind::BadOrderAnnotation, P.Order->Range, P.Order->Name);
        Ok = false;
      }
      ++Annotated;
    }
    std::optional<Type> T;
    if (auto It = VarTypes.find(V.Text); It != VarTypes.end())
      T = It->second.Ty;
    Out.push_back({T, &P.Value});
  }
  if (Ok && !BareOrder && Out.size() > 1 && Annotated != 1) {
    Diags.reportAt(DiagKind::RankingOrderMissing, A.Range, Name.str(), Annotated);
    Ok = false;
  }
  if (RankingAggregate && RankingAggregate->Kind != Agg.Kind) {
    Diags
        .reportAt(DiagKind::ConflictingRankingAggregates, A.Aggregate.Range, Name.str(), Rule.Name,
                  RankingAggregate->Name)
        .noteAt(DiagKind::NoteFirstUsedHere, RankingAggregateLoc, RankingAggregate->Name);
  } else if (!RankingAggregate) {
    RankingAggregate = &Agg;
    RankingAggregateLoc = A.Aggregate.Range;
  }
  if (!Ok || BareOrder)
    return std::nullopt;
  return Out;
}
