//===- Recursion.cpp - Negation and aggregation through recursion ---------===//
#include "Recursion.h"
#include <fmt/format.h>
#include <set>
#include <vector>

using namespace strata;

namespace {
struct Dependency {
  std::string To;
  bool Negated = false, Aggregating = false;
};

using Dependencies = std::map<std::string, std::vector<Dependency>>;

/// The reads of every rule reachable from Head (rule -> rules it reads).
Dependencies reachableFrom(const std::map<std::string, IqlCatalog::Rule> &Rules,
                           const std::string &Head) {
  Dependencies Out;
  std::vector<std::string> Work{Head};
  std::set<std::string> Seen{Head};
  while (!Work.empty()) {
    std::string Name = std::move(Work.back());
    Work.pop_back();
    auto It = Rules.find(Name);
    if (It == Rules.end())
      continue;
    std::vector<Dependency> &Deps = Out[Name];
    for (const auto &C : It->second.Clauses) {
      bool Aggregating = false;
      for (const ast::HeadArg &A : C->HeadArgs)
        Aggregating |= A.IsAggregate;
      for (const ast::BodyLiteral &L : C->Body) {
        if (L.TheKind == ast::BodyLiteral::Kind::Comparison ||
            !Rules.count(L.TheAtom.Relation.Name))
          continue;
        bool Negated = L.TheKind == ast::BodyLiteral::Kind::Negated;
        Deps.push_back({L.TheAtom.Relation.Name, Negated, Aggregating && !Negated});
        if (Seen.insert(L.TheAtom.Relation.Name).second)
          Work.push_back(L.TheAtom.Relation.Name);
      }
    }
  }
  return Out;
}

/// The rules among Deps that read Head, directly or not (Head included
/// when it is in a cycle): with the rules Head reaches, its cycle.
std::set<std::string> readersWithin(const Dependencies &Deps, const std::string &Head) {
  std::map<std::string, std::vector<std::string>> Reverse;
  for (const auto &[From, Ds] : Deps)
    for (const Dependency &D : Ds)
      Reverse[D.To].push_back(From);
  std::set<std::string> Out;
  std::vector<std::string> Work{Head};
  while (!Work.empty()) {
    std::string Name = std::move(Work.back());
    Work.pop_back();
    for (const std::string &R : Reverse[Name])
      if (Out.insert(R).second)
        Work.push_back(R);
  }
  return Out;
}
} // namespace

std::string verify::recursionProblem(const std::map<std::string, IqlCatalog::Rule> &Rules,
                                     const std::string &Head) {
  Dependencies Deps = reachableFrom(Rules, Head);
  std::set<std::string> Cycle = readersWithin(Deps, Head);
  if (!Cycle.count(Head))
    return "";
  // Every rule Head reaches that also reaches Head is in its cycle.
  for (const std::string &From : Cycle)
    for (const Dependency &D : Deps[From])
      if ((D.Negated || D.Aggregating) && Cycle.count(D.To))
        return fmt::format("`{}` {} `{}` inside a recursive cycle; the server rejects {} "
                           "through recursion",
                           From, D.Negated ? "negates" : "aggregates over", D.To,
                           D.Negated ? "negation" : "aggregation");
  return "";
}
