//===- ShowMigrationsCommand.cpp - `strata showmigrations --offline` ------===//
#include "Commands.h"
#include "TargetFlags.h"
#include "strata/Exec/Executor.h"
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

/// `0002_a, 0003_b (now 0004_squashed_0002_0003)`: a dependency whose file
/// is gone names the squash that stands for it.
std::string dependsText(const MigrationGraph &G, const Migration *M) {
  std::string S;
  for (const std::string &D : M->Depends) {
    S += (S.empty() ? "" : ", ") + D;
    if (const Migration *Squash = G.resolve(D); Squash && !G.find(D))
      S += " (now " + Squash->Name + ")";
  }
  return S;
}

void printText(const MigrationGraph &G, llvm::raw_ostream &OS) {
  std::vector<const Migration *> Leaves = G.leaves();
  bool Divergent = Leaves.size() > 1;
  for (const Migration *M : G.order()) {
    OS << M->Name;
    if (!M->Depends.empty())
      OS << "  depends " << dependsText(G, M);
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

} // namespace

std::string driver::squashVerdict(const exec::SquashOnTarget &U) {
  const std::vector<std::string> &Done = U.AppliedOriginals, &Left = U.MissingOriginals;
  if (U.needsOriginals())
    return "NEEDS THE ORIGINALS: applied " + joined(Done) + ", not " + joined(Left) +
           "; keep their files until `strata migrate` has run here";
  if (U.UsesOriginals)
    return "applied through its originals (" + joined(Done) +
           "); this target no longer needs their files";
  if (!Done.empty())
    return "applied through its originals' ledger rows (" + joined(Done) +
           "); their files are not needed";
  return "this target applied none of the originals: it runs the squash as one migration, and "
         "does not need their files";
}

void driver::printTargetText(const exec::TargetStatus &S, llvm::raw_ostream &OS) {
  OS << S.TargetName << '\n';
  for (const exec::MigrationStatus &MS : S.Migrations) {
    OS << (MS.Applied ? "[X] " : "[ ] ") << MS.M->Name;
    if (MS.Applied)
      OS << "  applied " << MS.Applied->AppliedAt;
    if (MS.Edited)
      OS << "  EDITED: the file changed since it was applied";
    OS << '\n';
  }
  for (const exec::LedgerEntry &E : S.Unknown)
    OS << "[?] " << E.Name << "  applied " << E.AppliedAt
       << "  UNKNOWN: no such migration file here\n";
  if (S.Migrations.empty() && S.Unknown.empty())
    OS << "no migrations\n";
  for (const exec::SquashOnTarget &U : S.Squashes)
    OS << "squash " << U.Squash->Name << ": " << squashVerdict(U) << '\n';
}

namespace {
void printTargetJson(const exec::TargetStatus &S, llvm::raw_ostream &OS) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("target", S.TargetName);
    J.attributeArray("migrations", [&] {
      for (const exec::MigrationStatus &MS : S.Migrations)
        J.object([&] {
          J.attribute("name", MS.M->Name);
          J.attribute("applied", MS.Applied.has_value());
          if (MS.Applied)
            J.attribute("applied_at", MS.Applied->AppliedAt);
          J.attribute("edited", MS.Edited);
          J.attribute("checksum", "h1:" + MS.M->Checksum);
        });
    });
    J.attributeArray("squashes", [&] {
      for (const exec::SquashOnTarget &U : S.Squashes)
        J.object([&] {
          J.attribute("name", U.Squash->Name);
          J.attribute("uses_originals", U.UsesOriginals);
          J.attribute("needs_originals", U.needsOriginals());
          J.attributeArray("applied_originals", [&] {
            for (const std::string &N : U.AppliedOriginals)
              J.value(N);
          });
          J.attributeArray("missing_originals", [&] {
            for (const std::string &N : U.MissingOriginals)
              J.value(N);
          });
        });
    });
    J.attributeArray("unknown", [&] {
      for (const exec::LedgerEntry &E : S.Unknown)
        J.object([&] {
          J.attribute("name", E.Name);
          J.attribute("applied_at", E.AppliedAt);
          J.attribute("checksum", "h1:" + E.Checksum);
        });
    });
  });
  OS << '\n';
}

int showOnTarget(Invocation &Inv, const MigrationGraph &G, bool Json) {
  int Exit = ExitOk;
  std::optional<exec::TargetStatus> S = readChosenTargetStatus(Inv, G, Exit);
  if (!S)
    return Exit;
  if (Json)
    printTargetJson(*S, llvm::outs());
  else
    printTargetText(*S, llvm::outs());
  return Inv.finish();
}

int runShowMigrations(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`showmigrations` takes no arguments");
  if (Inv.flag("--offline") && Inv.value("--target"))
    return Inv.usageError("`--offline` reads no target; drop `--target` or `--offline`");
  std::string Format = Inv.value("--format").value_or("text");
  if (Format != "text" && Format != "json")
    return Inv.usageError("`--format` must be `text` or `json`, not `" + Format + "`");
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
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
  if (!Inv.flag("--offline"))
    return showOnTarget(Inv, *G, Format == "json");
  if (Format == "json")
    printJson(*G, llvm::outs());
  else
    printText(*G, llvm::outs());
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::ShowMigrationsCommand = {
    "showmigrations",
    "list the migration history and what a target has applied",
    "showmigrations [--target URL | --offline] [--format text|json] [--state-after NAME] [options]",
    "Loads the migrations directory, checks it (file names, syntax, names,\n"
    "dependencies, cycles, strata.sum) and replays every migration, then lists\n"
    "the migrations in the order they apply with what the target's ledger says:\n"
    "`[X] 0001_initial  applied <time>` or `[ ] 0002_...`, marking migrations\n"
    "whose file changed since they were applied (EDITED) and ledger rows with\n"
    "no migration file here (`[?]`, UNKNOWN); or the same as JSON.\n"
    "--offline reads no target: it lists the migrations in order, dependencies\n"
    "first, one a line with what each depends on, marking divergent leaves\n"
    "(branches made in parallel; `strata makemigrations --merge` joins "
    "them).\n\n" STRATA_TARGET_HELP,
    concatOptions({{"--offline", nullptr, "list the migration files only; read no target"},
                   {"--format", "FORMAT", "`text` (default) or `json`"},
                   {"--state-after", "NAME",
                    "print the schema state after migration NAME (`all`: after every migration)"}},
                  targetOptions()),
    runShowMigrations,
};
