//===- RuleBodyIndex.cpp - Which relations a graph's rule bodies read -----===//
#include "RuleBodyIndex.h"
#include "Store.h"
#include "strata/IQL/Builtins.h"

using namespace strata::engine;

std::string strata::engine::searchedIndex(const Atom &A) {
  if (A.Args.empty() || A.Args[0].K != Expr::Kind::Constant ||
      A.Args[0].Constant.kind() != Value::Kind::String)
    return "";
  return A.Args[0].Constant.asString();
}

std::string strata::engine::readRelation(const Graph &G, const Literal &L) {
  if (L.K == Literal::Kind::Compare)
    return "";
  if (!strata::iql::isIndexSearch(L.A.Relation))
    return L.A.Relation;
  auto It = G.Indexes.find(searchedIndex(L.A));
  return It == G.Indexes.end() ? "" : It->second.Relation;
}

void RuleBodyIndex::count(const Clause &C, long By) const {
  if (!Built)
    return; // built from the rules as they are when first asked
  auto Add = [By](std::unordered_map<std::string, long> &Counts, const std::string &Name) {
    long &N = Counts[Name];
    N += By;
    if (N <= 0)
      Counts.erase(Name);
  };
  for (const Literal &L : C.Body) {
    if (L.K == Literal::Kind::Compare)
      continue;
    if (strata::iql::isIndexSearch(L.A.Relation))
      Add(Indexes, searchedIndex(L.A));
    else
      Add(Relations, L.A.Relation);
  }
}

void RuleBodyIndex::forget() {
  Built = false;
  Relations.clear();
  Indexes.clear();
}

bool RuleBodyIndex::someBodyReads(const Graph &G, const std::string &Relation) const {
  if (!Built) {
    Built = true;
    for (const auto &Entry : G.Rules)
      for (const Clause &C : Entry.second)
        count(C, +1);
  }
  if (Relations.count(Relation))
    return true;
  // Few indexes exist; those over Relation count if some body searches them.
  for (const auto &[Name, Spec] : G.Indexes)
    if (Spec.Relation == Relation && Indexes.count(Name))
      return true;
  return false;
}
