//===- HistoryDot.cpp - The history graph in Graphviz's DOT language ------===//
//
// Written by hand, not through Graphviz, so the text is ours to keep
// stable: golden tests compare it byte for byte, and Graphviz only lays it
// out (strata/Render/Graphviz.h). Every colour or shape has words in the
// label saying the same, so the picture reads in grey and to a screen
// reader of the SVG.
//
//===----------------------------------------------------------------------===//
#include "strata/Graph/HistoryGraph.h"

using namespace strata;
using namespace strata::graph;

namespace {
/// Text as a DOT double-quoted string; a newline becomes DOT's `\n`,
/// a line break in a label.
std::string quoted(llvm::StringRef Text) {
  std::string Out = "\"";
  for (char C : Text) {
    if (C == '\n') {
      Out += "\\n";
      continue;
    }
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

const char *fillOf(NodeState S) {
  switch (S) {
  case NodeState::Applied:
    return "#d9ead3";
  case NodeState::Pending:
    return "#ffffff";
  case NodeState::Edited:
    return "#fce5cd";
  case NodeState::NotInHistory:
    return "#f4cccc";
  }
  return "#ffffff";
}

const char *stateWords(NodeState S) {
  switch (S) {
  case NodeState::Applied:
    return "applied";
  case NodeState::Pending:
    return "pending";
  case NodeState::Edited:
    return "applied, file EDITED since";
  case NodeState::NotInHistory:
    return "applied, not in this history";
  }
  return "pending";
}

/// The words under a node's name: what kind of migration, and its state.
std::string tagsOf(const HistoryNode &N) {
  std::vector<std::string> Tags;
  if (N.Merge)
    Tags.push_back("merge");
  if (!N.Replaces.empty())
    Tags.push_back("squash of " + std::to_string(N.Replaces.size()));
  if (!N.M && !N.ReplacedBy.empty())
    Tags.push_back("file deleted");
  else if (!N.ReplacedBy.empty())
    Tags.push_back("replaced");
  if (N.Divergent)
    Tags.push_back("divergent leaf");
  if (N.State)
    Tags.push_back(stateWords(*N.State));
  if (N.Reviewed)
    Tags.push_back("reviewed");
  std::string Out;
  for (const std::string &T : Tags)
    Out += (Out.empty() ? "" : ", ") + T;
  return Out;
}

void writeNode(const HistoryNode &N, llvm::raw_ostream &OS) {
  std::string Tags = tagsOf(N);
  OS << "  " << quoted(N.Name)
     << " [label=" << quoted(Tags.empty() ? N.Name : N.Name + "\n" + Tags);
  std::string Style = "rounded";
  if (N.State || N.Reviewed)
    Style += ",filled";
  if (!N.M)
    Style += ",dashed";
  if (N.Merge)
    Style += ",bold";
  OS << ", style=" << quoted(Style);
  if (N.State)
    OS << ", fillcolor=" << quoted(fillOf(*N.State));
  else if (N.Reviewed)
    OS << ", fillcolor=\"#dde8f8\"";
  if (!N.Replaces.empty())
    OS << ", peripheries=2";
  if (N.Divergent)
    OS << ", color=\"#c0392b\", penwidth=2";
  else if (N.Reviewed)
    OS << ", color=\"#1f4e9e\", penwidth=3";
  OS << "];\n";
}

void writeEdge(const HistoryEdge &E, llvm::raw_ostream &OS) {
  OS << "  " << quoted(E.From) << " -> " << quoted(E.To);
  if (E.TheKind == HistoryEdge::Kind::Replaces)
    OS << " [style=dashed, arrowhead=empty, label=\"replaced by\"]";
  OS << ";\n";
}
} // namespace

void graph::writeDot(const HistoryGraph &H, llvm::raw_ostream &OS) {
  OS << "// The migration history, drawn by `strata graph` (docs/cli.md). An edge\n"
        "// points from a migration to one that depends on it; a dashed edge from\n"
        "// a migration to the squash that replaces it.\n"
        "digraph migrations {\n"
        "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12";
  if (H.TargetName)
    OS << ", labelloc=t, label=" << quoted("on " + *H.TargetName);
  OS << "];\n"
        "  node [shape=box, margin=\"0.2,0.06\", fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const HistoryNode &N : H.Nodes)
    writeNode(N, OS);
  for (const HistoryEdge &E : H.Edges)
    writeEdge(E, OS);
  OS << "}\n";
}
