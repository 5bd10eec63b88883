//===- QueryScan.cpp - A query's rows, visited without a reply ------------===//
//
// A reply sorts its rows and turns every value into a cell; a caller that
// only counts rows or looks at a column of each (the executor's
// pre-checks, on a million facts) pays for neither here. Only the simplest
// query is scanned, one atom over stored facts, whose rows AtomQuery
// defines for both paths; anything else is left to execute().
//
//===----------------------------------------------------------------------===//
#include "AtomQuery.h"
#include "ReplyOrder.h"
#include "Store.h"
#include "strata/Engine/Engine.h"
#include "strata/IQL/Builtins.h"
#include "strata/IQL/Parser.h"
#include "llvm/ADT/STLExtras.h"

using namespace strata;
using namespace strata::engine;

namespace {
/// The atom of a query `?atom` with plain arguments and nothing else.
const Atom *plainAtom(std::vector<Literal> &Body) {
  llvm::Expected<ReplyOrder> Order = takeReplyOrder(Body);
  if (!Order) {
    llvm::consumeError(Order.takeError());
    return nullptr;
  }
  if (!Order->Keys.empty() || Order->Limit || Order->Offset || Body.size() != 1 ||
      Body[0].K != Literal::Kind::Positive || iql::isIndexSearch(Body[0].A.Relation))
    return nullptr;
  for (const Expr &E : Body[0].A.Args)
    if (E.K != Expr::Kind::Variable && E.K != Expr::Kind::Wildcard && E.K != Expr::Kind::Constant)
      return nullptr;
  return &Body[0].A;
}
} // namespace

std::optional<size_t> Session::scanQuery(llvm::StringRef Query, std::vector<std::string> &Columns,
                                         llvm::function_ref<void(const Tuple &)> Row) const {
  std::vector<iql::SourceStatement> Sources = iql::splitProgram(Query);
  if (Sources.size() != 1 || hasSessionData())
    return std::nullopt;
  llvm::Expected<Statement> St = iql::parseStatement(Sources.front().Text);
  if (!St) {
    llvm::consumeError(St.takeError());
    return std::nullopt;
  }
  if (St->K != Statement::Kind::Query)
    return std::nullopt;
  const Atom *A = plainAtom(St->Body);
  auto G = TheEngine.store().Graphs.find(Graph);
  if (!A || G == TheEngine.store().Graphs.end() || G->second.Rules.count(A->Relation))
    return std::nullopt;
  auto R = G->second.Relations.find(A->Relation);
  if (R == G->second.Relations.end())
    return std::nullopt;
  llvm::Expected<AtomQuery> Q = AtomQuery::make(G->second, *A, /*Why=*/false);
  if (!Q) {
    llvm::consumeError(Q.takeError());
    return std::nullopt;
  }
  Columns = Q->Columns;
  size_t N = 0;
  for (const Tuple &T : R->second.Tuples)
    if (Q->matches(T)) {
      Row(T);
      ++N;
    }
  return N;
}
