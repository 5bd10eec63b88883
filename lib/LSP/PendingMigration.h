//===- PendingMigration.h - makemigrations, in process ----------*- C++ -*-===//
//
// What the code lens commands run: the steps of `strata makemigrations`
// without a terminal (no questions: an unanswered rename guess becomes
// drop + add with a warning, as in a script). Plan, then write: the text is
// read back, checked against the history and the schema (NewMigration.h)
// and written with strata.sum refreshed, exactly as the command does.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_LSP_PENDINGMIGRATION_H
#define STRATA_LIB_LSP_PENDINGMIGRATION_H

#include "strata/AST/SourceFile.h"
#include "strata/Support/ProjectConfig.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace strata::lsp {

struct PendingMigration {
  std::string Name;                    // empty when there are no changes
  std::vector<std::string> Operations; // `+ create relation ...`, one a line
  std::vector<std::string> Warnings;
  std::string Text;
};

/// The migration from the history on disk to the state of Schema (the
/// project's schema files). An LspError (RequestFailed) names the problem.
llvm::Expected<PendingMigration> planMigration(const ProjectConfig &P,
                                               llvm::ArrayRef<ast::SourceFile> Schema);

/// Plans, checks and writes the migration; returns its path (empty when
/// there were no changes).
llvm::Expected<std::string> writeMigration(const ProjectConfig &P,
                                           llvm::ArrayRef<ast::SourceFile> Schema,
                                           PendingMigration &Planned);

} // namespace strata::lsp

#endif
