//===- ShowMigrationsCommand.cpp - `strata showmigrations --offline` ------===//
#include "Commands.h"
#include "strata/Migrate/SumFile.h"
#include "llvm/Support/JSON.h"

using namespace strata;
using namespace strata::driver;

namespace {
std::string joined(const std::vector<std::string> &Names) {
  std::string S;
  for (const std::string &N : Names)
    S += (S.empty() ? "" : ", ") + N;
  return S;
}

void printText(const MigrationGraph &G, llvm::raw_ostream &OS) {
  std::vector<const Migration *> Leaves = G.leaves();
  bool Divergent = Leaves.size() > 1;
  for (const Migration *M : G.order()) {
    OS << M->Name;
    if (!M->Depends.empty())
      OS << "  depends " << joined(M->Depends);
    if (!M->Replaces.empty())
      OS << "  replaces " << joined(M->Replaces);
    if (const Migration *S = G.replacedBy(M))
      OS << "  (replaced by " << S->Name << ")";
    if (Divergent && llvm::is_contained(Leaves, M))
      OS << "  (divergent leaf)";
    OS << '\n';
  }
  if (G.empty())
    OS << "no migrations\n";
  if (Divergent) {
    std::vector<std::string> Names;
    for (const Migration *M : Leaves)
      Names.push_back(M->Name);
    OS << "the history has " << Leaves.size() << " leaves (" << joined(Names)
       << "); run `strata makemigrations --merge` to join them\n";
  }
}

void printJson(const MigrationGraph &G, llvm::raw_ostream &OS) {
  std::vector<const Migration *> Leaves = G.leaves();
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attributeArray("migrations", [&] {
      for (const Migration *M : G.order())
        J.object([&] {
          J.attribute("name", M->Name);
          J.attribute("number", static_cast<int64_t>(M->Number));
          J.attributeArray("depends", [&] {
            for (const std::string &D : M->Depends)
              J.value(D);
          });
          J.attributeArray("replaces", [&] {
            for (const std::string &R : M->Replaces)
              J.value(R);
          });
          if (const Migration *S = G.replacedBy(M))
            J.attribute("replaced_by", S->Name);
          J.attribute("checksum", "h1:" + M->Checksum);
          J.attribute("operations", static_cast<int64_t>(M->Operations.size()));
          J.attribute("leaf", llvm::is_contained(Leaves, M));
        });
    });
    J.attributeArray("leaves", [&] {
      for (const Migration *M : Leaves)
        J.value(M->Name);
    });
    J.attribute("divergent", Leaves.size() > 1);
  });
  OS << '\n';
}

int runShowMigrations(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`showmigrations` takes no arguments");
  if (!Inv.flag("--offline"))
    return Inv.usageError("`--offline` is required: no target database is supported yet, so "
                          "only the migration files can be listed");
  std::string Format = Inv.value("--format").value_or("text");
  if (Format != "text" && Format != "json")
    return Inv.usageError("`--format` must be `text` or `json`, not `" + Format + "`");
  if (!Inv.loadProject())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G)
    return Inv.finish();
  if (std::optional<std::string> After = Inv.value("--state-after")) {
    const Migration *Target = nullptr;
    if (*After != "all" && !(Target = G->find(*After)))
      return Inv.usageError("no migration `" + *After + "`");
    if (auto &State = keepUntilExit(G->stateAfter(Target, Inv.diags())))
      State->dump(llvm::outs());
    return Inv.finish();
  }
  // The history must replay: a listing of migrations that do not apply
  // would hide the problem.
  if (!keepUntilExit(G->stateAfter(nullptr, Inv.diags())))
    return Inv.finish();
  if (Format == "json")
    printJson(*G, llvm::outs());
  else
    printText(*G, llvm::outs());
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::ShowMigrationsCommand = {
    "showmigrations",
    "list the migration history",
    "showmigrations --offline [--format text|json] [--state-after NAME] [options]",
    "Loads the migrations directory, checks it (file names, syntax, numbers,\n"
    "dependencies, cycles, strata.sum) and replays every migration, then lists\n"
    "the migrations in order, dependencies first: one a line with what it\n"
    "depends on, or as JSON. Divergent leaves (branches made in parallel) are\n"
    "marked; `strata makemigrations --merge` joins them.\n"
    "--offline is required until targets exist: only the files are read.",
    {{"--offline", nullptr, "read only the migration files (required for now)"},
     {"--format", "FORMAT", "`text` (default) or `json`"},
     {"--state-after", "NAME", "print the schema state after migration NAME (`all`: after every migration)"}},
    runShowMigrations,
};
