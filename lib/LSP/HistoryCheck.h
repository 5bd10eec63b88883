//===- HistoryCheck.h - The migration history as `strata verify` sees it -===//
#ifndef STRATA_LIB_LSP_HISTORYCHECK_H
#define STRATA_LIB_LSP_HISTORYCHECK_H

#include "strata/LSP/Workspace.h"
#include "strata/Support/SourceFiles.h"
#include <map>

namespace strata::lsp {

/// Loads the history of MigrationsDir (Overlay's texts standing for the
/// files of open documents), checks strata.sum and verifies every
/// migration, as `strata verify` does. Every `.mig` file of the directory
/// has an entry in the result; problems that point nowhere go to Fallback.
std::map<std::string, FileDiagnostics> checkHistory(llvm::StringRef MigrationsDir,
                                                    const SourceOverlay &Overlay,
                                                    const std::string &Fallback);

} // namespace strata::lsp

#endif
