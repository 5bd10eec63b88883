//===- StatusCommand.cpp - `strata status`: which target, and its ledger --===//
//
// The target can come from four places (TargetFlags.h); a deploy job that
// migrates the wrong knowledge graph is found by asking which one won.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "TargetFlags.h"
#include "strata/Exec/Executor.h"
#include "strata/Migrate/SumFile.h"

using namespace strata;
using namespace strata::driver;

namespace {
int runStatus(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`status` takes no arguments");
  if (!Inv.loadProject())
    return Inv.finish();
  ChosenTarget Chosen = chooseTarget(Inv);
  int Exit = ExitOk;
  std::unique_ptr<exec::Target> T = openChosenTarget(Inv, Exit);
  if (!T)
    return Exit;
  // describe(), not the URL as given: it is what every other message names.
  llvm::outs() << "target: " << T->describe() << " (from " << Chosen.Source << ")\n";
  if (!Inv.requireMigrationsDir())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G || !keepUntilExit(G->stateAfter(nullptr, Inv.diags())))
    return Inv.finish();
  std::optional<exec::TargetStatus> S = exec::readTargetStatus(*T, *G, Inv.diags());
  if (!S)
    return Inv.finish();
  printTargetText(*S, llvm::outs());
  bool Failed = false;
  std::optional<exec::Interrupted> I =
      exec::readInterrupted(*T, *G, *S, exec::ExecOptions(), Inv.diags(), Failed);
  if (I)
    llvm::outs() << "interrupted: " << I->Entry.Migration << " (" << exec::describeInterrupted(*I)
                 << ")\n  " << exec::nextActionFor(*I) << '\n';
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::StatusCommand = {
    "status",
    "show which target is chosen, why, and what it has applied",
    "status [--target URL] [options]",
    "Prints the chosen target and where the choice came from, as\n"
    "`target: URL (from SOURCE)` with SOURCE one of `--target`, `STRATA_TARGET`,\n"
    "`strata.toml` or `default`, then what `strata showmigrations` prints for\n"
    "that target: each migration with `[X]` when its ledger records it, and a\n"
    "migration a run left part-way (the target's journal, docs/safety.md):\n"
    "`interrupted: NAME (DIRECTION, statement K of N sent)` and what the next\n"
    "`strata migrate` or `revert` does with it.\n"
    "Exit status 0, 1 when the target or the history cannot be read.\n\n" STRATA_TARGET_HELP,
    targetOptions(),
    runStatus,
};
