//===- CommandLine.h - Subcommands, options, common set-up ------*- C++ -*-===//
//
// Each subcommand is a CommandSpec: its options are declared once and both
// the parser and `--help` read them, so help cannot drift from behaviour.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_TOOLS_COMMANDLINE_H
#define STRATA_TOOLS_COMMANDLINE_H

#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/Diagnostics.h"
#include "strata/Support/ProjectConfig.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"
#include <optional>
#include <string>
#include <vector>

namespace strata::driver {

/// Documented in docs/cli.md.
enum ExitCode : int { ExitOk = 0, ExitDiagnostics = 1, ExitUsage = 2 };

struct OptionSpec {
  const char *Name;    // "--dump-state"
  const char *Metavar; // "DIR" for options that take a value; null for flags
  const char *Help;
};

class Invocation;

struct CommandSpec {
  const char *Name;
  const char *Summary;     // one line, for `strata help`
  const char *Usage;       // after "usage: strata "
  const char *Description; // paragraphs for `strata help NAME`
  std::vector<OptionSpec> Options;
  int (*Run)(Invocation &);
};

/// The options every subcommand accepts.
const std::vector<OptionSpec> &commonOptions();

/// A parsed command line plus the state every command needs: the project
/// configuration, a SourceMgr and a diagnostics engine.
class Invocation {
public:
  explicit Invocation(const CommandSpec &Spec) : Spec(Spec), Diags(SM) {}

  /// Parses Args (after the subcommand name). On a usage error prints it
  /// and returns ExitUsage; on `--help` prints help and returns ExitOk.
  std::optional<int> parse(const std::vector<std::string> &Args);

  bool flag(llvm::StringRef Name) const { return Values.count(Name) != 0; }
  /// The value of the last occurrence of Name.
  std::optional<std::string> value(llvm::StringRef Name) const;
  /// Every value given for Name, in command-line order (for options that
  /// may be repeated, like `--rename`).
  std::vector<std::string> values(llvm::StringRef Name) const;
  const std::vector<std::string> &positional() const { return Positional; }

  /// Reads strata.toml (flags win). Returns false after reporting a problem.
  bool loadProject();
  const ProjectConfig &project() const { return Project; }
  /// For commands that read the migration history: reports and returns
  /// false when the migrations directory does not exist (a mistyped
  /// --migrations must not read as an empty history).
  bool requireMigrationsDir();
  /// For commands that need a project: reports (OutsideProject) and
  /// returns false when the working directory is in none, that is, no
  /// strata.toml was found, no `--schema` or `--migrations` was given, and
  /// neither directory exists. OrElse completes the note after `strata
  /// init creates a project there; or`: what else the command would take.
  /// Call after loadProject().
  bool requireProject(llvm::StringRef OrElse = DefaultOutsideProjectHint);
  static constexpr const char *DefaultOutsideProjectHint =
      "name the directories with `--schema DIR` and `--migrations DIR`";

  DiagnosticEngine &diags() { return Diags; }
  llvm::SourceMgr &sourceMgr() { return SM; }

  /// Prints `strata NAME: error: Message` and returns ExitUsage.
  int usageError(const std::string &Message) const;
  /// Renders every diagnostic once; ExitDiagnostics when any is an error.
  int finish();

  const CommandSpec &Spec;

private:
  const OptionSpec *findOption(llvm::StringRef Name) const;

  llvm::StringMap<std::vector<std::string>> Values;
  std::vector<std::string> Positional;
  ProjectConfig Project;
  llvm::SourceMgr SM;
  DiagnosticEngine Diags;
};

void printCommandHelp(const CommandSpec &Spec, llvm::raw_ostream &OS);

/// Moves Value to the heap and never frees it. A command's syntax trees and
/// schema state live until the process exits; freeing hundreds of thousands
/// of nodes one by one just before the OS reclaims them all costs a tenth
/// of a large check (clang's -disable-free makes the same trade).
template <typename T> T &keepUntilExit(T &&Value) { return *new T(std::move(Value)); }

} // namespace strata::driver

#endif
