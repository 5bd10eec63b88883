//===- Progress.h - How `migrate` and `revert` report a run -----*- C++ -*-===//
//
// The executor tells its listener what it does (strata/Exec/Executor.h:
// ExecEvent); a renderer turns that into output on stdout (docs/cli.md,
// "Progress"):
//
//   plain  the lines a run always printed (`applying X ... ok`); nothing
//          more, so a pipe sees what it saw before progress existed
//   tty    the plain lines, and while a migration runs one line redrawn in
//          place (at most ten times a second) naming the migration, the
//          step and its operation, the facts a move carries, the time
//          spent, the rate and, once a rate is known, the time left
//   json   one JSON object per line and nothing else, for build systems
//
// `--progress auto` (the default) is tty when stdout is a terminal and
// plain otherwise; `none` is plain.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_TOOLS_PROGRESS_H
#define STRATA_TOOLS_PROGRESS_H

#include "CommandLine.h"
#include "strata/Exec/Executor.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <optional>
#include <string>

namespace strata::driver {

enum class ProgressMode { Plain, Tty, Json };

/// The mode --progress asks for (auto resolved against stdout); nullopt
/// after a usage error, whose exit code is in Exit.
std::optional<ProgressMode> progressMode(Invocation &Inv, int &Exit);

/// The option's help entry, shared by `migrate` and `revert`.
OptionSpec progressOption();

/// `step 5/12 move-back of operation 1/2 (change column ...)`, prefixed
/// `rollback ` in a stream that undoes a failed migration.
std::string stepSummary(const exec::StepPosition &P);

class ProgressRenderer {
public:
  virtual ~ProgressRenderer();
  /// A run starts: Migrations in the plan, Resume the name of an
  /// interrupted migration finished first (empty when none).
  virtual void runStarted(const std::string &Target, bool Backward, size_t Migrations,
                          const std::string &Resume) = 0;
  /// There is nothing to do on Target.
  virtual void nothingToDo(const std::string &Target, bool Backward) = 0;
  virtual void event(const exec::ExecEvent &E) = 0;
  /// The run ends; Completed migrations of the plan ran.
  virtual void runFinished(bool Ok, size_t Completed) = 0;
  /// Something the run says before it starts (a lock taken over).
  virtual void notice(const std::string &Text) = 0;
};

/// Verbose: print every request as it is sent (plain and tty; a tty then
/// draws no live line, which the statements would break).
std::unique_ptr<ProgressRenderer> makeProgressRenderer(ProgressMode Mode, bool Verbose,
                                                       llvm::raw_ostream &OS);

} // namespace strata::driver

#endif
