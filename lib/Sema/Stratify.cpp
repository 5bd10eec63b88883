//===- Stratify.cpp - Negation and aggregation through recursion ----------===//
//
// The dependency graph has one node per derived relation and an edge from a
// rule to every derived relation its bodies mention. An edge that negates,
// or that feeds an aggregating clause, must not lie inside a strongly
// connected component (rule_catalog.rs validate_rules_stratification).
// The components come from strata/Support/SCC.h, which needs no recursion:
// a chain of 20k rules must not exhaust the call stack.
//
//===----------------------------------------------------------------------===//
#include "strata/Sema/Sema.h"
#include "strata/Support/SCC.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>
#include <deque>

using namespace strata;

namespace {
struct Edge {
  unsigned To;
  bool Negated;
  bool Aggregating;
  const ast::Atom *Where;
};

struct Graph {
  std::vector<const DerivedDef *> Nodes;
  std::vector<std::vector<Edge>> Out;
};

Graph buildGraph(const SchemaState &State) {
  Graph G;
  llvm::StringMap<unsigned> Id;
  for (const auto &Entry : State.derived()) {
    Id[Entry.first] = G.Nodes.size();
    G.Nodes.push_back(Entry.second.get());
  }
  G.Out.resize(G.Nodes.size());
  for (unsigned From = 0; From < G.Nodes.size(); ++From) {
    for (const auto &C : G.Nodes[From]->Clauses) {
      bool Aggregating = std::any_of(C->HeadArgs.begin(), C->HeadArgs.end(),
                                     [](const ast::HeadArg &A) { return A.IsAggregate; });
      for (const ast::BodyLiteral &L : C->Body) {
        if (L.TheKind == ast::BodyLiteral::Kind::Comparison)
          continue;
        auto It = Id.find(L.TheAtom.Relation.Name);
        if (It == Id.end())
          continue;
        bool Negated = L.TheKind == ast::BodyLiteral::Kind::Negated;
        G.Out[From].push_back({It->second, Negated, Aggregating && !Negated, &L.TheAtom});
      }
    }
  }
  return G;
}

/// Component number of every node.
std::vector<unsigned> components(const Graph &G) {
  auto Successors = [&](unsigned V, std::vector<unsigned> &Out) {
    for (const Edge &E : G.Out[V])
      Out.push_back(E.To);
  };
  return findStronglyConnectedComponents(G.Nodes.size(), Successors).ComponentOf;
}

/// `a -> b -> ... -> a`: the edge From -> To closed by a shortest path from
/// To back to From inside their component.
std::string cycleText(const Graph &G, const std::vector<unsigned> &Comp, unsigned From,
                      unsigned To) {
  std::vector<int> Parent(G.Nodes.size(), -1);
  std::deque<unsigned> Queue{To};
  Parent[To] = static_cast<int>(To);
  while (!Queue.empty() && Parent[From] < 0) {
    unsigned V = Queue.front();
    Queue.pop_front();
    for (const Edge &E : G.Out[V]) {
      if (Comp[E.To] != Comp[From] || Parent[E.To] >= 0)
        continue;
      Parent[E.To] = static_cast<int>(V);
      Queue.push_back(E.To);
    }
  }
  std::vector<unsigned> Path; // From back to To, reversed below
  for (unsigned V = From; V != To; V = static_cast<unsigned>(Parent[V]))
    Path.push_back(V);
  Path.push_back(To);
  std::reverse(Path.begin(), Path.end());
  std::string Text = G.Nodes[From]->Name;
  for (unsigned V : Path)
    Text += " -> " + G.Nodes[V]->Name;
  return Text;
}

/// Reports negation or aggregation inside a component of G.
bool stratified(const Graph &G, const std::vector<unsigned> &Comp, DiagnosticEngine &Diags) {
  bool Ok = true;
  for (unsigned From = 0; From < G.Nodes.size(); ++From) {
    for (const Edge &E : G.Out[From]) {
      if (Comp[E.To] != Comp[From] || (!E.Negated && !E.Aggregating))
        continue;
      Ok = false;
      DiagKind K =
          E.Negated ? DiagKind::NegationThroughRecursion : DiagKind::AggregationThroughRecursion;
      Diags.reportAt(K, E.Where->Range, G.Nodes[From]->Name, G.Nodes[E.To]->Name)
          .noteAt(DiagKind::NoteCycle, G.Nodes[From]->Loc, cycleText(G, Comp, From, E.To));
    }
  }
  return Ok;
}

// The server evaluates no fixpoint across relations, so every relation of
// such a cycle holds nothing there (docs/engine.md, "Cycles through
// several relations"). Recursion of a relation on itself is fine.
void warnCycles(const Graph &G, const std::vector<unsigned> &Comp, DiagnosticEngine &Diags) {
  std::vector<bool> Warned(G.Nodes.size(), false);
  for (unsigned From = 0; From < G.Nodes.size(); ++From)
    for (const Edge &E : G.Out[From]) {
      if (E.To == From || Comp[E.To] != Comp[From] || Warned[Comp[From]])
        continue;
      Warned[Comp[From]] = true;
      Diags
          .reportAt(DiagKind::MutualRecursion, E.Where->Range, G.Nodes[From]->Name,
                    G.Nodes[E.To]->Name)
          .noteAt(DiagKind::NoteCycle, G.Nodes[From]->Loc, cycleText(G, Comp, From, E.To));
    }
}
} // namespace

void strata::warnMutualRecursion(const SchemaState &State, DiagnosticEngine &Diags) {
  Graph G = buildGraph(State);
  warnCycles(G, components(G), Diags);
}

bool strata::checkStratification(const SchemaState &State, DiagnosticEngine &Diags) {
  Graph G = buildGraph(State);
  return stratified(G, components(G), Diags);
}

bool strata::checkRecursion(const SchemaState &State, DiagnosticEngine &Diags) {
  Graph G = buildGraph(State);
  std::vector<unsigned> Comp = components(G);
  if (!stratified(G, Comp, Diags))
    return false;
  warnCycles(G, Comp, Diags);
  return true;
}
