//===- RevertCommand.cpp - `strata revert TARGET|zero` --------------------===//
#include "Commands.h"
#include "ExecDriver.h"
#include "Progress.h"
#include "TargetFlags.h"

using namespace strata;
using namespace strata::driver;

namespace {
int runRevert(Invocation &Inv) {
  if (Inv.positional().size() != 1)
    return Inv.usageError("`revert` takes one argument: the migration to go back to, or `zero`");
  ExecRequest R;
  R.Backward = true;
  R.Goal = Inv.positional().front() == "zero" ? "" : Inv.positional().front();
  return runExecRequest(Inv, R);
}
} // namespace

const CommandSpec strata::driver::RevertCommand = {
    "revert",
    "revert applied migrations on a target",
    "revert MIGRATION|zero [--target URL] [--plan] [--fake] [--allow-edited] [options]",
    "Reverts every applied migration that MIGRATION does not depend on (`zero`:\n"
    "all of them), newest first, by running their backward statements, and\n"
    "removes each from the target's ledger by its own last statement. A\n"
    "failure part-way re-applies the operations of that migration already\n"
    "reverted. Operations without a backward (`run iql` without `backward`)\n"
    "stop the revert before anything is sent. The target is locked for the run\n"
    "(a holder whose process is gone is taken over; --break-lock breaks one\n"
    "on another host, never a live one here). A migration an earlier run left\n"
    "part-way (the target's journal, see `strata status`) is finished first, in\n"
    "the direction it was going (docs/safety.md). After each migration is\n"
    "reverted, the target's catalog is compared with the state before it, as\n"
    "`strata migrate` does (--skip-postchecks skips it). Progress is reported\n"
    "as by `strata migrate` (--progress).\n"
    "--plan prints the statements and sends nothing (it only reads the "
    "ledger),\neach migration's grouped by operation as `strata emit` prints "
    "them.\n\n" STRATA_TARGET_HELP,
    concatOptions(
        {{"--plan", nullptr, "print the statements that would be sent; send nothing"},
         {"--fake", nullptr, "remove the migrations from the ledger without running them"},
         {"--allow-edited", nullptr,
          "accept applied migrations whose file changed since (a warning)"},
         {"--break-lock", nullptr,
          "take over the lock from a holder not provably alive, naming it"},
         {"--skip-postchecks", nullptr,
          "do not compare the target's catalog with the history after each migration"},
         {"--verbose", nullptr, "print every statement as it is sent"},
         progressOption()},
        targetOptions()),
    runRevert,
};
