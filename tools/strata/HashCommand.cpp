//===- HashCommand.cpp - `strata hash`: rewrite migrations/strata.sum -----===//
#include "Commands.h"
#include "strata/Migrate/SumFile.h"
#include "llvm/Support/FileSystem.h"

using namespace strata;
using namespace strata::driver;

namespace {
int runHash(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`hash` takes no arguments");
  if (!Inv.loadProject() || !Inv.requireProject())
    return Inv.finish();
  const std::string &Dir = Inv.project().MigrationsDir;
  if (!llvm::sys::fs::is_directory(Dir)) {
    Inv.diags().reportFile(DiagKind::DirectoryUnreadable, Dir, Dir, "no such directory");
    return Inv.finish();
  }
  // Only a history that loads gets recorded: a hash must never bless a
  // file that does not parse or a graph that does not hold together.
  if (MigrationGraph::load(Dir, Inv.diags()) && !Inv.diags().hasErrors())
    if (std::optional<size_t> N = writeSumFile(Dir, Inv.diags()))
      llvm::outs() << "wrote " << sumFilePath(Dir) << ": " << *N
                   << (*N == 1 ? " migration" : " migrations") << "\n";
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::HashCommand = {
    "hash",
    "record the checksums of the migration files in strata.sum",
    "hash [options]",
    "Rewrites `strata.sum` in the migrations directory: a SHA-256 of every\n"
    "`NNNN_name.mig` file and one over the whole directory. Every command that\n"
    "reads migrations checks the files against it and reports a file edited,\n"
    "added or removed since; run `strata hash` after an intended change.\n"
    "The migrations must load (parse, names, dependencies) before they are\n"
    "recorded. The file is replaced atomically.",
    {},
    runHash,
};
