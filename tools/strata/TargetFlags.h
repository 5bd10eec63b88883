//===- TargetFlags.h - Choosing and opening a target -------------*- C++ -*-===//
#ifndef STRATA_TOOLS_TARGETFLAGS_H
#define STRATA_TOOLS_TARGETFLAGS_H

#include "CommandLine.h"
#include "strata/Exec/Executor.h"
#include "strata/Exec/Target.h"
#include <memory>

namespace strata::driver {

/// --target, --user, --password-file, --api-key-file, --credentials-file,
/// --timeout, and the evaluation limits of a `file:` target
/// (EvaluationFlags.h).
std::vector<OptionSpec> targetOptions();

/// The help paragraph on how the target and its credentials are chosen.
#define STRATA_TARGET_HELP                                                                         \
  "The target is --target, else the STRATA_TARGET environment variable, else\n"                    \
  "strata.toml's `target`, else `file:.strata/dev.kg` in the project: an embedded\n"               \
  "knowledge graph kept in that file (`strata status` shows which was chosen\n"                    \
  "and why). Credentials for ws:// come from --user\n"                                             \
  "with --password-file, or --api-key-file, else the environment variables\n"                      \
  "STRATA_USER and STRATA_PASSWORD, or STRATA_API_KEY, else a credentials file\n"                  \
  "(--credentials-file or STRATA_CREDENTIALS_FILE); they are never printed."

/// A followed by B.
std::vector<OptionSpec> concatOptions(std::vector<OptionSpec> A, const std::vector<OptionSpec> &B);

/// The chosen target URL and where it came from.
struct ChosenTarget {
  std::string Url;
  /// `--target`, `STRATA_TARGET`, `strata.toml` or `default`.
  std::string Source;
};

/// The target: --target, then the STRATA_TARGET environment variable, then
/// strata.toml's `target`, then `file:.strata/dev.kg` in the project. The
/// environment beats the file because a deploy job sets the environment
/// for the run at hand, while strata.toml is the developer's standing
/// choice checked into the project. Call after Inv.loadProject().
ChosenTarget chooseTarget(const Invocation &Inv);

/// chooseTarget(Inv).Url.
std::string chosenTargetUrl(const Invocation &Inv);

/// Opens the chosen target with the credentials of the flags, the
/// environment or a credentials file (strata/Exec/Credentials.h), after
/// setting the engine's evaluation limits from the flags. On
/// failure prints
/// `strata CMD: error: ...` and returns null; Exit is then the status.
std::unique_ptr<exec::Target> openChosenTarget(Invocation &Inv, int &Exit);

/// Opens the chosen target and reads its ledger against G (what
/// `showmigrations --target` and `graph --target` show). On failure,
/// reported, returns nullopt with Exit the status.
std::optional<exec::TargetStatus> readChosenTargetStatus(Invocation &Inv, const MigrationGraph &G,
                                                         int &Exit);

} // namespace strata::driver

#endif
