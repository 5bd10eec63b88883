//===- HistoryGraph.h - The migration history as nodes and edges -*- C++ -*-===//
//
// What `strata graph` draws: every migration of a MigrationGraph as a node
// (merges, squashes with what they replace, divergent leaves, and, for a
// target, what it has applied), every `depends` and `replaces` as an edge.
// It is a view of the one MigrationGraph (strata/Migrate/MigrationGraph.h),
// which decides leaves and replacements; nothing here walks the graph on
// its own. Written as DOT (laid out by Graphviz: strata/Render/Graphviz.h)
// or as JSON; docs/cli.md describes both.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_GRAPH_HISTORYGRAPH_H
#define STRATA_GRAPH_HISTORYGRAPH_H

#include "strata/Migrate/MigrationGraph.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>
#include <vector>

namespace strata::graph {

/// Where a target stands with one migration.
enum class NodeState {
  Applied,
  Pending,
  /// Applied, but the file changed since.
  Edited,
  /// A ledger row of the target naming no migration here.
  NotInHistory,
};

/// What a target has applied, as the driver read it from its ledger.
struct TargetView {
  /// The target's describe().
  std::string Name;
  /// By migration name; a migration missing here is pending.
  llvm::StringMap<NodeState> States;
  /// Ledger rows naming no migration of the history, in ledger order.
  std::vector<std::string> Unknown;
};

struct HistoryNode {
  std::string Name;
  /// The leading number; 0 when there is no file to take it from.
  unsigned Number = 0;
  /// The migration, or null for a node without a file here: an original a
  /// squash replaces whose file was deleted, or a ledger row the history
  /// does not know.
  const Migration *M = nullptr;
  /// Depends on more than one migration.
  bool Merge = false;
  /// For a squash: the migrations it replaces, as its file lists them.
  std::vector<std::string> Replaces;
  /// The squash that replaces this migration, or "".
  std::string ReplacedBy;
  /// Nothing depends on it (MigrationGraph::leaves).
  bool Leaf = false;
  /// A leaf of a history with several: the branches need a merge.
  bool Divergent = false;
  /// Set only when a target was given.
  std::optional<NodeState> State;
  /// Marked for a reader (`strata review` sets it on the migrations it
  /// reviews): a thick blue border and the word `reviewed`.
  bool Reviewed = false;
};

struct HistoryEdge {
  enum class Kind {
    /// To depends on From (`depends From` in To's file).
    Depends,
    /// To is a squash that replaces From.
    Replaces,
  };
  std::string From, To;
  Kind TheKind = Kind::Depends;
};

struct HistoryGraph {
  /// Migrations in the order they apply (MigrationGraph::order), then
  /// deleted originals in the order their squashes list them, then ledger
  /// rows the history does not know.
  std::vector<HistoryNode> Nodes;
  /// In the order of the node they point to, then as its file lists them.
  std::vector<HistoryEdge> Edges;
  /// The leaves, sorted by name.
  std::vector<std::string> Leaves;
  /// The target the states were read from, when there was one.
  std::optional<std::string> TargetName;
};

/// The graph of G; with Target, every node also carries its state there.
HistoryGraph buildHistoryGraph(const MigrationGraph &G, const TargetView *Target);

/// Writes H in Graphviz's DOT language: deterministic, one node or edge a
/// line, with labels that say in words what colours and shapes also show.
void writeDot(const HistoryGraph &H, llvm::raw_ostream &OS);

/// Writes H as JSON (version 1; docs/cli.md gives the schema).
void writeJson(const HistoryGraph &H, llvm::raw_ostream &OS);

/// `applied`, `pending`, `edited`, `not-in-history`.
const char *stateName(NodeState S);

} // namespace strata::graph

#endif
