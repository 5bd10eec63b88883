//===- SquashCommand.cpp - `strata squash FROM TO` ------------------------===//
#include "Commands.h"
#include "strata/Migrate/Squash.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Migrate/Writer.h"

using namespace strata;
using namespace strata::driver;

namespace {
int runSquash(Invocation &Inv) {
  if (Inv.positional().size() != 2)
    return Inv.usageError("expected two migrations, FROM and TO");
  std::optional<std::string> Name = Inv.value("--name");
  DiagnosticEngine &Diags = Inv.diags();
  if (Name && !isValidMigrationName(*Name)) {
    Diags.report(DiagKind::BadMigrationNameOption, llvm::SMLoc(), *Name);
    return Inv.finish();
  }
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
    return Inv.finish();
  const std::string &Dir = Inv.project().MigrationsDir;
  auto &Graph = keepUntilExit(loadHistory(Dir, Diags));
  if (!Graph || Diags.hasErrors())
    return Inv.finish();
  auto Chain = squashChain(*Graph, Inv.positional()[0], Inv.positional()[1], Diags);
  if (!Chain)
    return Inv.finish();

  MigrationSpec Spec;
  std::vector<OperationPtr> All;
  for (const Migration *M : *Chain) {
    Spec.Replaces.push_back(M->Name);
    All.insert(All.end(), M->Operations.begin(), M->Operations.end());
  }
  Spec.Depends = Chain->front()->Depends;
  Spec.Operations = squashOperations(All);
  Spec.Name = migrationNumber(Graph->nextNumber()) + "_" +
              (Name ? *Name
                    : "squashed_" + migrationNumber(Chain->front()->Number) + "_" +
                          migrationNumber(Chain->back()->Number));
  std::optional<std::string> Text = renderMigration(Spec, Diags);
  if (!Text)
    return Inv.finish();
  if (Inv.flag("--dry-run")) {
    llvm::outs() << *Text;
    return Inv.finish();
  }
  std::optional<std::string> Path = writeMigrationFile(Dir, Spec.Name, *Text, Diags);
  if (!Path || !writeSumFile(Dir, Diags))
    return Inv.finish();
  llvm::outs() << "squashed " << Chain->size() << " migrations (" << All.size() << " -> "
               << Spec.Operations.size() << " operations)\nwrote " << *Path << "\n";
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::SquashCommand = {
    "squash",
    "replace a run of migrations by one equivalent migration",
    "squash [--name NAME] [--dry-run] [options] FROM TO",
    "Writes one migration holding the operations of FROM..TO (full migration\n"
    "names, e.g. `0002_add_level`; a linear chain, both included) with\n"
    "cancelling pairs removed: a create then a drop of the same relation, rule\n"
    "or index, an added then dropped column, a rename or a reorder and its\n"
    "reverse; consecutive renames, and consecutive reorders of one relation,\n"
    "are folded. It depends on FROM's dependencies, lists the originals in\n"
    "`replaces`, and is recorded in `strata.sum`. The originals' files are\n"
    "kept; nothing is sent to any target.\n"
    "\n"
    "The lifecycle, per target (docs/cli.md has the same):\n"
    "  - applied none of the originals: the squash runs, one ledger row;\n"
    "  - applied all of them: the squash counts as applied, nothing runs, and\n"
    "    the originals' ledger rows stay;\n"
    "  - applied some: `migrate` runs the rest of the originals (not the\n"
    "    squash), which then counts as applied;\n"
    "  - `revert` past the squash removes every ledger row it stands for (its\n"
    "    own, or the originals') and runs the matching backward streams: the\n"
    "    originals', newest first, or the squash's when their files are gone.\n"
    "Later migrations may keep depending on TO.\n"
    "\n"
    "When the originals may be deleted: once no target applied some of them but\n"
    "not all. `strata status` (or `showmigrations --target URL`) prints, per\n"
    "target, `squash NAME: NEEDS THE ORIGINALS ...` while that target still\n"
    "needs them; run `strata migrate` there first. Keep the `replaces` line:\n"
    "it is how a target that applied the originals is recognised, and a\n"
    "`depends` on a deleted original then means the squash. Run `strata hash`\n"
    "after deleting. On a target that applied some of the originals but not\n"
    "all, every command that reads its ledger refuses, before changing\n"
    "anything, naming the originals it still needs.",
    {{"--name", "NAME", "the name after `NNNN_` (default: squashed_FROM_TO numbers)"},
     {"--dry-run", nullptr, "print the squashed migration; write nothing"}},
    runSquash,
};
