//===- EmitCommand.cpp - `strata emit MIGRATION` --------------------------===//
#include "Commands.h"
#include "strata/CodeGen/History.h"
#include "strata/CodeGen/Stream.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Verify/Lints.h"

using namespace strata;
using namespace strata::driver;

namespace {
int runEmit(Invocation &Inv) {
  if (Inv.positional().size() != 1)
    return Inv.usageError("`emit` takes one migration name");
  std::string Format = Inv.value("--format").value_or("iql");
  if (Format != "iql" && Format != "json")
    return Inv.usageError("`--format` must be `iql` or `json`, not `" + Format + "`");
  bool Backward = Inv.flag("--backward");
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G)
    return Inv.finish();
  const std::string &Name = Inv.positional()[0];
  const Migration *M = G->find(Name);
  if (!M)
    return Inv.usageError("no migration `" + Name + "`");
  auto &L = keepUntilExit(lowerInHistory(*G, *M, Inv.diags()));
  if (!L)
    return Inv.finish();
  if (Inv.flag("--strict")) { // the safety lints, as errors: print nothing on one
    SchemaState Before;
    DiagnosticEngine Scratch(Inv.sourceMgr()); // the lowering has replayed it already
    for (const Migration *A : appliedAt(*G, M))
      if (A != M)
        for (const OperationPtr &Op : A->Operations)
          Op->apply(Before, Scratch);
    LintOptions Lint;
    Lint.Strict = true;
    lintMigration(*M, *L, Before, M->AllowComments, Lint, Inv.diags());
    if (Inv.diags().hasErrors())
      return Inv.finish();
  }
  std::vector<StreamItem> Items = streamOf({&*L}, Backward);
  if (Backward)
    for (const StreamItem &I : Items)
      if (!I.S)
        Inv.diags().reportAt(DiagKind::CodeGenIrreversibleSkipped, I.Op->Op->loc(), M->Name,
                             I.Op->Op->describe());
  if (Format == "json")
    writeJson(Items, Inv.sourceMgr(), Backward, {{"migration", M->Name}}, llvm::outs());
  else
    writeIql(Items, Inv.sourceMgr(), !Inv.flag("--no-comments"), llvm::outs());
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::EmitCommand = {
    "emit",
    "print the IQL one migration sends to the server",
    "emit MIGRATION [--backward] [--format iql|json] [--no-comments] [--strict] [options]",
    "Replays the history up to MIGRATION's dependencies and lowers each of its\n"
    "operations to IQL against the schema of that moment, then prints the\n"
    "forward stream (or, with --backward, the stream that undoes it: operations\n"
    "newest first), opening with `// migration NAME, forward` (or backward).\n"
    "The statements stand under the operation they come from: one header per\n"
    "operation (`// 3: add column employee.level: int = 1 after salary\n"
    "(FILE:LINE)`: its number in the migration and its text); where an\n"
    "operation takes several steps (stage, move, drop, re-create rules), each\n"
    "step under a `//   - ` line saying what it does; `[lossy]` on what cannot\n"
    "restore what it replaces; a blank line between operations. The output\n"
    "runs as-is with the server's `.load`. --no-comments prints the statements\n"
    "alone, one after another.\n"
    "--format json prints a versioned document (version 1): version, direction,\n"
    "migration, statements[] (text, migration, operation, file, line, lossy,\n"
    "step, index), irreversible[] (operations with no backward) and operations[]\n"
    "(each operation with the positions of its statements).",
    {{"--backward", nullptr, "print the stream that undoes the migration"},
     {"--format", "FORMAT", "`iql` (default) or `json`"},
     {"--no-comments", nullptr, "print the statements alone: no headers, no blank lines"},
     {"--strict", nullptr, "fail, printing nothing, when a safety lint (docs/lints.md) applies"}},
    runEmit,
};
