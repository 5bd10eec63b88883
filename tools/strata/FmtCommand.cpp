//===- FmtCommand.cpp - `strata fmt [--check] [--stdout] [FILE...]` -------===//
//
// Thin driver over strata/Format: picks the files, compares the canonical
// text with what is on disk and writes only files that change, atomically.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "strata/Format/Formatter.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace strata;
using namespace strata::driver;

namespace {
/// Every `.strata` under the schema directory and every `.mig` under the
/// migrations directory. A project without migrations yet is normal.
std::optional<std::vector<std::string>> projectFiles(Invocation &Inv) {
  if (!Inv.loadProject() || !Inv.requireProject("name FILEs to format"))
    return std::nullopt;
  const ProjectConfig &P = Inv.project();
  auto Files = listSourceFiles(P.SchemaDir, ".strata", Inv.diags());
  if (!Files)
    return std::nullopt;
  if (llvm::sys::fs::is_directory(P.MigrationsDir)) {
    auto Migrations = listSourceFiles(P.MigrationsDir, ".mig", Inv.diags());
    if (!Migrations)
      return std::nullopt;
    Files->insert(Files->end(), Migrations->begin(), Migrations->end());
  }
  return Files;
}

/// Path as the user should read it: relative to the working directory when
/// it lies below it.
std::string displayPath(llvm::StringRef Path) {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd) || !llvm::sys::path::is_absolute(Path))
    return Path.str();
  llvm::StringRef Rest = Path;
  if (!Rest.consume_front(Cwd) || !Rest.consume_front("/"))
    return Path.str();
  return Rest.str();
}

/// Writes Text next to Path and renames it over Path, so a reader never
/// sees half a file and a failure leaves the original intact.
std::error_code writeAtomically(llvm::StringRef Path, llvm::StringRef Text) {
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status))
    return EC;
  llvm::SmallString<256> Model(Path);
  Model += ".fmt-%%%%%%.tmp";
  int FD = -1;
  llvm::SmallString<256> Temp;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, FD, Temp))
    return EC;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
    OS.close();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return EC;
    }
  }
  llvm::sys::fs::setPermissions(Temp, Status.permissions());
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return EC;
  }
  return {};
}

enum class Mode { InPlace, Check, Stdout };

/// Formats one file. Returns true when the file is (or would be) changed.
bool formatOne(Invocation &Inv, const std::string &Path, Mode M) {
  std::optional<unsigned> ID = loadSourceFile(Path, Inv.diags());
  if (!ID)
    return false;
  std::optional<std::string> Text = format::formatBuffer(*ID, fileKindForPath(Path), Inv.diags());
  if (!Text)
    return false;
  if (M == Mode::Stdout) {
    llvm::outs() << *Text;
    return false;
  }
  llvm::StringRef Old = Inv.sourceMgr().getMemoryBuffer(*ID)->getBuffer();
  if (Old == *Text)
    return false; // untouched: its modification time stays
  if (M == Mode::Check) {
    llvm::outs() << "would reformat " << displayPath(Path) << "\n";
    return true;
  }
  if (std::error_code EC = writeAtomically(Path, *Text))
    Inv.diags().reportFile(DiagKind::FormatCannotWrite, Path, Path, EC.message());
  return true;
}

int runFmt(Invocation &Inv) {
  Mode M = Inv.flag("--check") ? Mode::Check : Mode::InPlace;
  if (Inv.flag("--stdout")) {
    if (M == Mode::Check)
      return Inv.usageError("`--check` and `--stdout` cannot be combined");
    if (Inv.positional().size() != 1)
      return Inv.usageError("`--stdout` needs exactly one FILE");
    M = Mode::Stdout;
  }
  std::optional<std::vector<std::string>> Files = Inv.positional();
  if (Files->empty())
    Files = projectFiles(Inv);
  if (!Files)
    return Inv.finish();
  bool AnyChange = false;
  for (const std::string &Path : *Files)
    AnyChange |= formatOne(Inv, Path, M);
  int Status = Inv.finish();
  if (M == Mode::Check && AnyChange)
    return ExitDiagnostics;
  return Status;
}
} // namespace

const CommandSpec strata::driver::FmtCommand = {
    "fmt",
    "rewrite schema and migration files in canonical form",
    "fmt [--check] [--stdout] [FILE...] [options]",
    "Formats each FILE in place; with no FILE, every .strata file under the\n"
    "schema directory and every .mig file under the migrations directory.\n"
    "Files already in canonical form are not touched. A file with syntax\n"
    "errors is reported and left unchanged. Comments are kept.",
    {{"--check", nullptr, "change nothing; print each file that would change and exit 1 if any"},
     {"--stdout", nullptr, "print the formatted text of the one FILE instead of writing it"}},
    runFmt,
};
