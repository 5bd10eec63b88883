//===- CommandLine.cpp ----------------------------------------------------===//
#include "CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <unistd.h>

using namespace strata;
using namespace strata::driver;

const std::vector<OptionSpec> &strata::driver::commonOptions() {
  static const std::vector<OptionSpec> Common = {
      {"--schema", "DIR",
       "schema directory (default: `schema` in the project, or strata.toml's `schema`)"},
      {"--migrations", "DIR",
       "migrations directory (default: `migrations`, or strata.toml's `migrations`)"},
      {"--diagnostics", "FORMAT", "`text` (default) or `json`, written to standard error"},
      {"--color", "WHEN", "`auto` (default: only on a terminal), `always` or `never`"},
      {"--help", nullptr, "show this help"},
  };
  return Common;
}

const OptionSpec *Invocation::findOption(llvm::StringRef Name) const {
  for (const OptionSpec &O : Spec.Options)
    if (Name == O.Name)
      return &O;
  for (const OptionSpec &O : commonOptions())
    if (Name == O.Name)
      return &O;
  return nullptr;
}

std::optional<std::string> Invocation::value(llvm::StringRef Name) const {
  auto It = Values.find(Name);
  if (It == Values.end() || It->second.empty())
    return std::nullopt;
  return It->second.back();
}

std::vector<std::string> Invocation::values(llvm::StringRef Name) const {
  auto It = Values.find(Name);
  return It == Values.end() ? std::vector<std::string>() : It->second;
}

int Invocation::usageError(const std::string &Message) const {
  llvm::errs() << "strata " << Spec.Name << ": error: " << Message << "\nrun `strata help "
               << Spec.Name << "` for usage\n";
  return ExitUsage;
}

std::optional<int> Invocation::parse(const std::vector<std::string> &Args) {
  bool OnlyPositional = false;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (OnlyPositional || !Arg.startswith("-") || Arg == "-") {
      Positional.push_back(Arg.str());
      continue;
    }
    if (Arg == "--") {
      OnlyPositional = true;
      continue;
    }
    if (Arg == "-h")
      Arg = "--help";
    auto [Name, Inline] = Arg.split('=');
    bool HasInline = Arg.contains('=');
    const OptionSpec *Opt = findOption(Name);
    if (!Opt)
      return usageError("unknown option `" + Name.str() + "`");
    if (!Opt->Metavar) {
      if (HasInline)
        return usageError("option `" + Name.str() + "` takes no value");
      Values[Name].push_back("");
      continue;
    }
    std::string Value;
    if (HasInline)
      Value = Inline.str();
    else if (I + 1 < Args.size())
      Value = Args[++I];
    else
      return usageError("option `" + Name.str() + "` needs a value (" + Opt->Metavar + ")");
    Values[Name].push_back(Value);
  }
  if (flag("--help")) {
    printCommandHelp(Spec, llvm::outs());
    return ExitOk;
  }
  if (auto F = value("--diagnostics"); F && *F != "text" && *F != "json")
    return usageError("`--diagnostics` must be `text` or `json`, not `" + *F + "`");
  if (auto C = value("--color"); C && *C != "auto" && *C != "always" && *C != "never")
    return usageError("`--color` must be `auto`, `always` or `never`, not `" + *C + "`");
  return std::nullopt;
}

namespace {
/// Path relative to Dir when it lies under Dir, so messages show the short
/// paths a user would type.
std::string underDirectory(llvm::StringRef Path, llvm::StringRef Dir) {
  std::string Prefix = Dir.str();
  if (!llvm::StringRef(Prefix).endswith("/"))
    Prefix += '/';
  if (Path.startswith(Prefix) && Path.size() > Prefix.size())
    return Path.drop_front(Prefix.size()).str();
  return Path == Dir ? "." : Path.str();
}
} // namespace

bool Invocation::loadProject() {
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  std::optional<ProjectConfig> Config = loadProjectConfig(Cwd, Diags);
  if (!Config)
    return false;
  Project = std::move(*Config);
  Project.SchemaDir = underDirectory(Project.SchemaDir, Cwd);
  Project.MigrationsDir = underDirectory(Project.MigrationsDir, Cwd);
  // Flags are relative to the working directory, not the project.
  if (auto S = value("--schema"))
    Project.SchemaDir = *S;
  if (auto M = value("--migrations"))
    Project.MigrationsDir = *M;
  return true;
}

bool Invocation::requireMigrationsDir() {
  if (llvm::sys::fs::is_directory(Project.MigrationsDir))
    return true;
  Diags.reportFile(DiagKind::MigrationsDirMissing, Project.MigrationsDir, Project.MigrationsDir)
      .note(DiagKind::NoteMakeFirstMigration, llvm::SMLoc());
  return false;
}

bool Invocation::requireProject(llvm::StringRef OrElse) {
  if (!Project.ConfigPath.empty() || value("--schema") || value("--migrations") ||
      llvm::sys::fs::is_directory(Project.SchemaDir) ||
      llvm::sys::fs::is_directory(Project.MigrationsDir))
    return true;
  Diags.report(DiagKind::OutsideProject, llvm::SMLoc(), Project.Root)
      .note(DiagKind::NoteOutsideProject, llvm::SMLoc(), OrElse.str());
  return false;
}

int Invocation::finish() {
  RenderOptions Opts;
  if (value("--diagnostics").value_or("text") == "json")
    Opts.Format = DiagnosticFormat::Json;
  std::string Color = value("--color").value_or("auto");
  Opts.Color =
      Color == "always" ||
      (Color == "auto" && llvm::sys::Process::StandardErrIsDisplayed() && !getenv("NO_COLOR"));
  llvm::outs().flush();
  renderDiagnostics(Diags, llvm::errs(), Opts);
  return Diags.hasErrors() ? ExitDiagnostics : ExitOk;
}

namespace {
void printOptions(const std::vector<OptionSpec> &Opts, llvm::raw_ostream &OS) {
  for (const OptionSpec &O : Opts) {
    std::string Left = std::string(O.Name) + (O.Metavar ? std::string(" ") + O.Metavar : "");
    OS << "  " << Left;
    if (Left.size() < 22)
      OS.indent(22 - Left.size());
    else
      OS << "\n" << std::string(24, ' ');
    OS << O.Help << '\n';
  }
}
} // namespace

void strata::driver::printCommandHelp(const CommandSpec &Spec, llvm::raw_ostream &OS) {
  OS << "usage: strata " << Spec.Usage << "\n\n" << Spec.Description << "\n";
  if (!Spec.Options.empty()) {
    OS << "\noptions:\n";
    printOptions(Spec.Options, OS);
  }
  OS << "\ncommon options:\n";
  printOptions(commonOptions(), OS);
  OS << "\nexit status: 0 success, 1 errors were reported, 2 usage error\n";
}
