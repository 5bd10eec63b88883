//===- MigrateCommand.cpp - `strata migrate`: apply pending migrations ----===//
#include "Commands.h"
#include "ExecDriver.h"
#include "Progress.h"
#include "TargetFlags.h"

using namespace strata;
using namespace strata::driver;

namespace {
int runMigrate(Invocation &Inv) {
  if (Inv.positional().size() > 1)
    return Inv.usageError("`migrate` takes at most one migration name");
  ExecRequest R;
  R.Backward = false;
  R.Goal = Inv.positional().empty() ? "" : Inv.positional().front();
  return runExecRequest(Inv, R);
}
} // namespace

const CommandSpec strata::driver::MigrateCommand = {
    "migrate",
    "apply pending migrations to a target",
    "migrate [MIGRATION] [--target URL] [--plan] [--check] [--fake] [--allow-edited] [options]",
    "Applies the migrations the target has not applied, in dependency order,\n"
    "up to MIGRATION (default: the latest; divergent leaves must be merged\n"
    "first). The target's ledger, the relation `strata_migrations`, records each\n"
    "migration with its file's checksum, by the migration's own last statement.\n"
    "Every reply is read: an error, or a message such as `Error: ...` or\n"
    "`... not found`, stops the migration, whose completed operations are then\n"
    "undone newest first, so the target and its ledger are as before it (a\n"
    "file: target is restored from its state file). Before a migration runs,\n"
    "pre-checks query the target for facts it cannot carry (a `using` cast that\n"
    "fails for a value, a relation it moves facts into that already holds\n"
    "some) and refuse, changing nothing. The target is locked for the run\n"
    "(a holder whose process is gone is taken over; --break-lock breaks one\n"
    "on another host, never a live one here). A migration an earlier run left\n"
    "part-way (the target's journal, see `strata status`) is finished first, in\n"
    "the direction it was going (docs/safety.md). After each migration's\n"
    "statements, before its ledger row, the target's catalog (`.rel`, `.rule\n"
    "list`, `.index list`) is compared with the state the history expects for\n"
    "every object the migration names; a difference is reported and rolled\n"
    "back like a failed statement (--skip-postchecks: for a target that cannot\n"
    "answer those commands).\n"
    "On a terminal a line redrawn in place names the migration, the step and\n"
    "its operation, the facts a move carries, the rate and the time left\n"
    "(--progress tty); a pipe gets only the lines above; --progress json\n"
    "writes one JSON object per line instead (docs/cli.md, \"Progress\").\n"
    "--plan prints the statements and sends nothing (it only reads the ledger),\n"
    "each migration's grouped by operation as `strata emit` prints them.\n"
    "--check sends nothing either: it exits 3, naming them, when the target has\n"
    "pending, edited or unknown migrations, or one left part-way (a deploy\n"
    "gate).\n\n"
    "exit status of migrate: 0 success (or up to date with --check), 1 errors were\n"
    "reported, 2 usage error, 3 --check found the target out of date.\n\n" STRATA_TARGET_HELP,
    concatOptions({{"--plan", nullptr, "print the statements that would be sent; send nothing"},
                   {"--check", nullptr, "exit 3 when the target is not up to date; send nothing"},
                   {"--fake", nullptr, "record the migrations as applied without running them"},
                   {"--allow-edited", nullptr,
                    "accept applied migrations whose file changed since (a warning)"},
                   {"--break-lock", nullptr,
                    "take over the lock from a holder not provably alive, naming it"},
                   {"--skip-prechecks", nullptr, "do not query the target before migrating"},
                   {"--skip-postchecks", nullptr,
                    "do not compare the target's catalog with the history after each migration"},
                   {"--verbose", nullptr, "print every statement as it is sent"},
                   progressOption()},
                  targetOptions()),
    runMigrate,
};
