//===- TargetFlags.h - Choosing and opening a target -------------*- C++ -*-===//
#ifndef STRATA_TOOLS_TARGETFLAGS_H
#define STRATA_TOOLS_TARGETFLAGS_H

#include "CommandLine.h"
#include "strata/Exec/Target.h"
#include <memory>

namespace strata::driver {

/// --target, --user, --password-file, --api-key-file, --credentials-file,
/// --timeout.
std::vector<OptionSpec> targetOptions();

/// The help paragraph on how the target and its credentials are chosen.
#define STRATA_TARGET_HELP                                                          \
  "The target is --target, else strata.toml's `target`, else the STRATA_TARGET\n"   \
  "environment variable, else `file:.strata/dev.kg` in the project: an embedded\n"  \
  "knowledge graph kept in that file. Credentials for ws:// come from --user\n"     \
  "with --password-file, or --api-key-file, else the environment variables\n"       \
  "STRATA_USER and STRATA_PASSWORD, or STRATA_API_KEY, else a credentials file\n"   \
  "(--credentials-file or STRATA_CREDENTIALS_FILE); they are never printed."

/// A followed by B.
std::vector<OptionSpec> concatOptions(std::vector<OptionSpec> A, const std::vector<OptionSpec> &B);

/// The target URL: --target, then strata.toml's `target`, then the
/// STRATA_TARGET environment variable, then `file:.strata/dev.kg` in the
/// project. Call after Inv.loadProject().
std::string chosenTargetUrl(const Invocation &Inv);

/// Opens the chosen target with the credentials of the flags, the
/// environment or a credentials file (strata/Exec/Credentials.h). On
/// failure prints
/// `strata CMD: error: ...` and returns null; Exit is then the status.
std::unique_ptr<exec::Target> openChosenTarget(Invocation &Inv, int &Exit);

} // namespace strata::driver

#endif
