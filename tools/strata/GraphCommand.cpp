//===- GraphCommand.cpp - `strata graph`: a picture of the history --------===//
#include "Commands.h"
#include "TargetFlags.h"
#include "strata/Exec/Executor.h"
#include "strata/Graph/HistoryGraph.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Render/Graphviz.h"

using namespace strata;
using namespace strata::driver;

namespace {
/// What the target's ledger says of each migration, in the graph's terms.
/// A squash the target follows through its originals is applied once they
/// all are; the originals of a squash applied as one share its state.
graph::TargetView viewOf(const exec::TargetStatus &S) {
  graph::TargetView V;
  V.Name = S.TargetName;
  for (const exec::MigrationStatus &MS : S.Migrations)
    V.States[MS.M->Name] = !MS.Applied ? graph::NodeState::Pending
                           : MS.Edited ? graph::NodeState::Edited
                                       : graph::NodeState::Applied;
  for (const exec::SquashOnTarget &U : S.Squashes) {
    if (U.UsesOriginals) {
      V.States[U.Squash->Name] =
          U.MissingOriginals.empty() ? graph::NodeState::Applied : graph::NodeState::Pending;
      continue;
    }
    auto It = V.States.find(U.Squash->Name);
    graph::NodeState Of = It == V.States.end() ? graph::NodeState::Pending : It->second;
    for (const std::string &R : U.Squash->Replaces)
      V.States[R] = Of;
  }
  for (const exec::LedgerEntry &E : S.Unknown)
    V.Unknown.push_back(E.Name);
  return V;
}

/// Reads the --target's ledger into View; returns the exit status on failure.
std::optional<int> readTarget(Invocation &Inv, const MigrationGraph &G, graph::TargetView &View) {
  int Exit = ExitOk;
  std::optional<exec::TargetStatus> S = readChosenTargetStatus(Inv, G, Exit);
  if (!S)
    return Exit;
  View = viewOf(*S);
  return std::nullopt;
}

int runGraph(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`graph` takes no arguments");
  std::string Format = Inv.value("--format").value_or("dot");
  if (Format != "dot" && Format != "svg" && Format != "json")
    return Inv.usageError("`--format` must be `dot`, `svg` or `json`, not `" + Format + "`");
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G)
    return Inv.finish();
  graph::TargetView View;
  bool OnTarget = Inv.value("--target").has_value();
  if (OnTarget)
    if (std::optional<int> Exit = readTarget(Inv, *G, View))
      return *Exit;
  graph::HistoryGraph H = graph::buildHistoryGraph(*G, OnTarget ? &View : nullptr);
  if (Format == "json") {
    graph::writeJson(H, llvm::outs());
    return Inv.finish();
  }
  std::string Dot;
  llvm::raw_string_ostream DotOS(Dot);
  graph::writeDot(H, DotOS);
  DotOS.flush();
  if (Format == "dot") {
    llvm::outs() << Dot;
    return Inv.finish();
  }
  llvm::Expected<std::string> Svg = render::renderSvg(Dot);
  if (!Svg) {
    int Exit = Inv.finish();
    llvm::errs() << "strata graph: error: " << llvm::toString(Svg.takeError()) << '\n';
    return Exit == ExitOk ? ExitDiagnostics : Exit;
  }
  llvm::outs() << *Svg;
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::GraphCommand = {
    "graph",
    "draw the migration history: DOT, SVG (laid out by Graphviz) or JSON",
    "graph [--target URL] [--format dot|svg|json] [options]",
    "Loads and checks the migrations directory (as every command does, with\n"
    "strata.sum) and prints it as a graph: each migration a node, each\n"
    "`depends` an edge from the dependency to the migration that names it.\n"
    "Labels say what colours and shapes also show: a merge (bold), a squash\n"
    "(a double border, with a dashed `replaced by` edge from each migration it\n"
    "replaces; an original whose file was deleted is drawn dashed), and\n"
    "divergent leaves (red) that `strata makemigrations --merge` would join.\n"
    "With --target, each migration also reads `applied` (green), `pending`,\n"
    "`applied, file EDITED since` (orange), and ledger rows naming no\n"
    "migration here are drawn as `applied, not in this history` (red).\n"
    "Only --target is read: the environment's STRATA_TARGET and strata.toml's\n"
    "`target` are not, so the picture never opens a target you did not name.\n"
    "--format dot (default) prints Graphviz's DOT text; svg lays it out with\n"
    "Graphviz's `dot` layout into a standalone SVG; json prints the nodes and\n"
    "edges for tools (docs/cli.md gives the schema).",
    concatOptions({{"--format", "FORMAT", "`dot` (default), `svg` or `json`"}}, targetOptions()),
    runGraph,
};
