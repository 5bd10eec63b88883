//===- HistoryGraph.cpp - The migration history as nodes and edges --------===//
#include "strata/Graph/HistoryGraph.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace strata;
using namespace strata::graph;

namespace {
HistoryNode nodeOf(const MigrationGraph &G, const Migration *M,
                   const std::vector<const Migration *> &Leaves) {
  HistoryNode N;
  N.Name = M->Name;
  N.Number = M->Number;
  N.M = M;
  N.Merge = M->Depends.size() > 1;
  N.Replaces = M->Replaces;
  if (const Migration *S = G.replacedBy(M))
    N.ReplacedBy = S->Name;
  N.Leaf = llvm::is_contained(Leaves, M);
  N.Divergent = N.Leaf && Leaves.size() > 1;
  return N;
}

/// A node with no file here, numbered from its name (`0002_a`: 2).
HistoryNode fileless(llvm::StringRef Name) {
  HistoryNode N;
  N.Name = Name.str();
  if (Name.take_until([](char C) { return C == '_'; }).getAsInteger(10, N.Number))
    N.Number = 0;
  return N;
}

void addEdges(const MigrationGraph &G, HistoryGraph &H) {
  for (const Migration *M : G.order()) {
    for (const std::string &D : M->Depends)
      H.Edges.push_back({D, M->Name, HistoryEdge::Kind::Depends});
    for (const std::string &R : M->Replaces)
      H.Edges.push_back({R, M->Name, HistoryEdge::Kind::Replaces});
  }
}

void addTarget(const TargetView &Target, HistoryGraph &H, llvm::StringSet<> &Seen) {
  H.TargetName = Target.Name;
  for (HistoryNode &N : H.Nodes) {
    auto It = Target.States.find(N.Name);
    N.State = It == Target.States.end() ? NodeState::Pending : It->second;
  }
  for (const std::string &Name : Target.Unknown)
    if (Seen.insert(Name).second) {
      H.Nodes.push_back(fileless(Name));
      H.Nodes.back().State = NodeState::NotInHistory;
    }
}
} // namespace

HistoryGraph graph::buildHistoryGraph(const MigrationGraph &G, const TargetView *Target) {
  HistoryGraph H;
  std::vector<const Migration *> Leaves = G.leaves();
  for (const Migration *M : Leaves)
    H.Leaves.push_back(M->Name);
  llvm::StringSet<> Seen;
  for (const Migration *M : G.order()) {
    H.Nodes.push_back(nodeOf(G, M, Leaves));
    Seen.insert(M->Name);
  }
  // Originals whose files were deleted after their squash: still part of
  // the history (targets may have applied them), drawn without a file.
  for (const Migration *M : G.order())
    for (const std::string &R : M->Replaces)
      if (Seen.insert(R).second) {
        H.Nodes.push_back(fileless(R));
        H.Nodes.back().ReplacedBy = M->Name;
      }
  addEdges(G, H);
  if (Target)
    addTarget(*Target, H, Seen);
  return H;
}

const char *graph::stateName(NodeState S) {
  switch (S) {
  case NodeState::Applied:
    return "applied";
  case NodeState::Pending:
    return "pending";
  case NodeState::Edited:
    return "edited";
  case NodeState::NotInHistory:
    return "not-in-history";
  }
  return "pending";
}
