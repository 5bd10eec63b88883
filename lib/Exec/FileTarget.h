//===- FileTarget.h - The embedded engine in a state file -------*- C++ -*-===//
#ifndef STRATA_LIB_EXEC_FILETARGET_H
#define STRATA_LIB_EXEC_FILETARGET_H

#include "strata/Exec/Target.h"

namespace strata::exec {

/// Loads the state file (a missing file is an empty knowledge graph; a
/// corrupt one is an error that says how to recover).
llvm::Expected<std::unique_ptr<Target>> openFileTarget(const TargetUrl &Url);

} // namespace strata::exec

#endif
