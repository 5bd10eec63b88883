//===- StatusCommand.cpp - `strata status`: which target, and its ledger --===//
//
// The target can come from four places (TargetFlags.h); a deploy job that
// migrates the wrong knowledge graph is found by asking which one won.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "ExecDriver.h"
#include "TargetFlags.h"
#include "strata/Exec/Executor.h"
#include "strata/Exec/TargetCatalog.h"
#include "strata/Migrate/SumFile.h"

using namespace strata;
using namespace strata::driver;

namespace {
/// Compares the target's catalog with the state its ledger expects and
/// prints `drift: none` or one `drift: ...` line per difference. Returns
/// ExitTargetStale when there is one.
int printDrift(exec::Target &T, const exec::TargetStatus &S, Invocation &Inv) {
  std::optional<SchemaState> Want = exec::expectedState(S, Inv.diags());
  if (!Want)
    return ExitDiagnostics;
  llvm::Expected<exec::TargetCatalog> C = exec::readTargetCatalog(T);
  if (!C) {
    Inv.diags().report(DiagKind::ExecTargetFailed, llvm::SMLoc(), llvm::toString(C.takeError()));
    return ExitDiagnostics;
  }
  std::vector<std::string> Differences = exec::catalogDifferences(*C, *Want);
  if (Differences.empty())
    llvm::outs() << "drift: none\n";
  for (const std::string &D : Differences)
    llvm::outs() << "drift: " << D << '\n';
  return Differences.empty() ? ExitOk : ExitTargetStale;
}

int runStatus(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`status` takes no arguments");
  if (!Inv.loadProject() || !Inv.requireProject())
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
  if (I || Failed)
    return Inv.finish(); // the catalog is part-way through a migration
  int Drift = printDrift(*T, *S, Inv);
  int Status = Inv.finish();
  return Status != ExitOk ? Status : Drift;
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
    "`strata migrate` or `revert` does with it. Otherwise it compares the\n"
    "target's catalog (`.rel`, `.rule list`, `.index list`: relations with their\n"
    "column types, rules with their clause counts, indexes) with the state its\n"
    "ledger expects and prints `drift: none`, or one `drift: ...` line per\n"
    "difference (Strata's own relations are not compared).\n"
    "Exit status 0, 1 when the target or the history cannot be read, 3 when\n"
    "the target drifted from its ledger.\n\n" STRATA_TARGET_HELP,
    targetOptions(),
    runStatus,
};
