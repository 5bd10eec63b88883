//===- EvaluatorPlanTest.cpp - Plans follow the body, not its address ----===//
#include "../lib/Engine/Evaluator.h"
#include "../lib/Engine/Store.h"
#include "strata/IQL/Parser.h"
#include "gtest/gtest.h"
#include <optional>

using namespace strata;
using namespace strata::engine;

namespace {

std::vector<iql::Literal> bodyOf(llvm::StringRef Query) {
  llvm::Expected<iql::Statement> S = iql::parseStatement(Query);
  EXPECT_TRUE(bool(S)) << llvm::toString(S.takeError());
  return S ? S->Body : std::vector<iql::Literal>();
}

size_t count(Evaluator &Ev, const std::vector<iql::Literal> &Body) {
  std::vector<std::string> Vars;
  size_t Rows = 0;
  llvm::Error E = Ev.solve(Body, Vars, [&](const std::vector<iql::Value> &) { ++Rows; });
  EXPECT_FALSE(bool(E)) << llvm::toString(std::move(E));
  return Rows;
}

// Two different queries whose bodies live, one after the other, at the same
// address: the second must be planned for itself. (A plan cache keyed by the
// body's address answered the second with the first one's plan.)
TEST(EvaluatorPlan, ABodyAtAFreedBodysAddressIsPlannedAfresh) {
  Graph G;
  for (int64_t I = 1; I <= 3; ++I) {
    G.Relations["r"].Tuples.insert({iql::Value::integer(I)}, nullptr);
    G.Relations["s"].Tuples.insert({iql::Value::integer(I), iql::Value::integer(I * 10)}, nullptr);
  }
  Evaluator Ev(G);
  std::optional<std::vector<iql::Literal>> Slot;
  Slot.emplace(bodyOf("?r(X), X > 1"));
  EXPECT_EQ(count(Ev, *Slot), 2u);
  Slot.reset();
  Slot.emplace(bodyOf("?s(X, Y), Y > 5"));
  EXPECT_EQ(count(Ev, *Slot), 3u);
}

} // namespace
