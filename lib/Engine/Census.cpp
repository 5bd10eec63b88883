//===- Census.cpp - What each graph holds, counted ------------------------===//
//
// The server compares a census taken before a request with one taken after
// it to say what the request changed (its change notifications). Counting
// keeps that cheap: a set's size, not its facts.
//
//===----------------------------------------------------------------------===//
#include "Store.h"
#include "strata/Engine/Engine.h"

using namespace strata::engine;

Census Engine::census() const {
  Census Out;
  for (const auto &[Name, G] : store().Graphs) {
    GraphCensus &C = Out[Name];
    for (const auto &[Relation, Base] : G.Relations)
      C.Relations[Relation] = {Base.Tuples.size(), Base.Columns.hasValue()};
    for (const auto &[Rule, Clauses] : G.Rules)
      C.Rules[Rule] = Clauses.size();
  }
  return Out;
}
