//===- ExecDriver.h - What `migrate` and `revert` share -----------*- C++ -*-===//
#ifndef STRATA_TOOLS_EXECDRIVER_H
#define STRATA_TOOLS_EXECDRIVER_H

#include "CommandLine.h"
#include <string>

namespace strata::driver {

/// Exit status of `migrate --check` when the target is out of date.
constexpr int ExitTargetStale = 3;

struct ExecRequest {
  bool Backward = false;
  /// Migration name; empty: the latest (migrate) or `zero` (revert).
  std::string Goal;
};

/// Loads the history, opens and locks the target, plans, and prints or
/// runs the plan (--plan, --check, --fake, --allow-edited, --verbose).
int runExecRequest(Invocation &Inv, const ExecRequest &R);

} // namespace strata::driver

#endif
