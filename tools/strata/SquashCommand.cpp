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
  if (!Inv.loadProject() || !Inv.requireMigrationsDir())
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
    "Writes one migration holding the operations of FROM..TO (a linear chain,\n"
    "both included) with cancelling pairs removed: a create then a drop of the\n"
    "same relation, rule or index, an added then dropped column, a rename and\n"
    "its reverse; consecutive renames are folded. It depends on FROM's\n"
    "dependencies and lists the originals in `replaces`.\n"
    "\n"
    "The originals are kept (as Django does). A database that applied none of\n"
    "them runs the squashed migration instead; one that applied them all\n"
    "treats it as applied. Later migrations may keep depending on TO. Once\n"
    "every database has moved past TO, the originals can be deleted (run\n"
    "`strata hash` afterwards) and the `replaces` line removed.",
    {{"--name", "NAME", "the name after `NNNN_` (default: squashed_FROM_TO numbers)"},
     {"--dry-run", nullptr, "print the squashed migration; write nothing"}},
    runSquash,
};
