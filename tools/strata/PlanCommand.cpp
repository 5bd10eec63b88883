//===- PlanCommand.cpp - `strata plan [--from A] [--to B]` ----------------===//
#include "Commands.h"
#include "strata/CodeGen/History.h"
#include "strata/CodeGen/Stream.h"
#include "strata/Migrate/SumFile.h"

using namespace strata;
using namespace strata::driver;

namespace {
int runPlan(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`plan` takes no arguments");
  std::string Format = Inv.value("--format").value_or("iql");
  if (Format != "iql" && Format != "json")
    return Inv.usageError("`--format` must be `iql` or `json`, not `" + Format + "`");
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G)
    return Inv.finish();
  std::vector<const Migration *> Leaves = G->leaves();
  auto Point = [&](const char *Option, std::string &Spelling,
                   const Migration *&Out) -> std::optional<int> {
    std::optional<std::string> V = Inv.value(Option);
    Out = nullptr;
    if (!V) {
      if (std::string(Option) == "--from" || Leaves.empty()) {
        Spelling = "zero";
        return std::nullopt;
      }
      if (Leaves.size() > 1)
        return Inv.usageError("the history has " + std::to_string(Leaves.size()) +
                              " leaves; name one with `--to`");
      Out = Leaves.front();
      Spelling = Out->Name;
      return std::nullopt;
    }
    Spelling = *V;
    if (*V == "zero")
      return std::nullopt;
    if (!(Out = G->find(*V)))
      return Inv.usageError("no migration `" + *V + "`");
    return std::nullopt;
  };
  std::string FromName, ToName;
  const Migration *From = nullptr, *To = nullptr;
  if (auto Exit = Point("--from", FromName, From))
    return *Exit;
  if (auto Exit = Point("--to", ToName, To))
    return *Exit;
  llvm::Expected<std::optional<Plan>> Planned = planBetween(*G, From, To, Inv.diags());
  if (!Planned)
    return Inv.usageError("cannot plan from `" + FromName + "` to `" + ToName +
                          "`: " + llvm::toString(Planned.takeError()));
  auto &P = keepUntilExit(std::move(*Planned));
  if (!P)
    return Inv.finish();
  std::vector<const LoweredMigration *> Steps;
  for (const LoweredMigration &L : P->Steps)
    Steps.push_back(&L);
  std::vector<StreamItem> Items = streamOf(Steps, P->Backward);
  // A revert plan that cannot undo an operation is not a plan.
  for (const StreamItem &I : Items)
    if (!I.S)
      Inv.diags().reportAt(DiagKind::CodeGenIrreversible, I.Op->Op->loc(), I.M->Name,
                           I.Op->Op->describe());
  if (Inv.diags().hasErrors())
    return Inv.finish();
  if (Format == "json")
    writeJson(Items, Inv.sourceMgr(), P->Backward, {{"from", FromName}, {"to", ToName}},
              llvm::outs());
  else
    writeIql(Items, Inv.sourceMgr(), !Inv.flag("--no-comments"), llvm::outs());
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::PlanCommand = {
    "plan",
    "print the IQL between two points of the history",
    "plan [--from A] [--to B] [--format iql|json] [--no-comments] [options]",
    "Prints every statement that takes a knowledge graph from migration A to\n"
    "migration B: the forward streams of the migrations in between, oldest\n"
    "first, when A comes before B; the backward streams, newest first, when A\n"
    "comes after B (a revert plan). `zero` names the empty history; --from\n"
    "defaults to `zero`, --to to the last migration (the single leaf). A and B\n"
    "must lie on one line of the history. A backward plan through a `run iql`\n"
    "with no backward block is an error. The output format is `strata emit`'s,\n"
    "each migration opening with `// migration NAME, forward|backward`; its\n"
    "JSON document carries `from` and `to` instead of `migration`.",
    {{"--from", "A", "the migration the graph is at (`zero`: empty; default)"},
     {"--to", "B", "the migration to reach (`zero`: empty; default: the leaf)"},
     {"--format", "FORMAT", "`iql` (default) or `json`"},
     {"--no-comments", nullptr, "print the statements alone: no headers, no blank lines"}},
    runPlan,
};
