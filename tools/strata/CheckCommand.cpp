//===- CheckCommand.cpp - `strata check [--dump-state] [FILE...]` ---------===//
#include "Commands.h"
#include "strata/Parse/Parser.h"
#include "strata/Sema/Sema.h"
#include "strata/Support/SourceFiles.h"

using namespace strata;
using namespace strata::driver;

namespace {
std::string count(size_t N, llvm::StringRef One, llvm::StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

int runCheck(Invocation &Inv) {
  std::vector<std::string> Paths = Inv.positional();
  if (Paths.empty()) {
    if (!Inv.loadProject() || !Inv.requireProject("name FILEs to check, or `--schema DIR`"))
      return Inv.finish();
    std::optional<std::vector<std::string>> Found =
        listSourceFiles(Inv.project().SchemaDir, ".strata", Inv.diags());
    if (!Found)
      return Inv.finish();
    if (Found->empty())
      Inv.diags().reportFile(DiagKind::NoSchemaFiles, Inv.project().SchemaDir,
                             Inv.project().SchemaDir);
    Paths = std::move(*Found);
  }

  auto &Files = keepUntilExit(std::vector<ast::SourceFile>());
  Files.reserve(Paths.size());
  for (const std::string &Path : Paths)
    if (std::optional<ast::SourceFile> F = parseFile(Path, Inv.diags()))
      Files.push_back(std::move(*F));

  auto &State = keepUntilExit(analyzeSchema(std::move(Files), Inv.diags()));
  if (State && !Inv.diags().hasErrors()) {
    if (Inv.flag("--dump-state"))
      State->dump(llvm::outs());
    else
      llvm::outs() << "checked " << count(Paths.size(), "file", "files") << ": "
                   << count(State->relationCount(), "relation", "relations") << ", "
                   << count(State->derivedCount(), "derived relation", "derived relations") << ", "
                   << count(State->indexCount(), "index", "indexes") << "\n";
  }
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::CheckCommand = {
    "check",
    "check schema files: names, types, rules, indexes",
    "check [--dump-state] [options] [FILE...]",
    "Parses and checks schema files together: relation and column names,\n"
    "column types, rule atoms, types, safety and stratification, and indexes,\n"
    "as the InputLayer server would accept them. With FILEs, checks those\n"
    "files; otherwise every `.strata` file under the schema directory.\n"
    "On success prints a one-line summary, or the canonical schema state\n"
    "with --dump-state. The migrations are not read: `strata verify` checks\n"
    "the history, `strata makemigrations --check` whether it matches the schema.",
    {{"--dump-state", nullptr, "print the canonical schema state instead of the summary"}},
    runCheck,
};
