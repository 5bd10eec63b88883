//===- Writer.h - Migration files from operations ---------------*- C++ -*-===//
//
// Renders a migration as the text `strata fmt` would produce and writes it
// as `NNNN_name.mig`, never over an existing file.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_WRITER_H
#define STRATA_MIGRATE_WRITER_H

#include "strata/Migrate/Operation.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// Generated names are at most this long (after `NNNN_`).
constexpr size_t MaxMigrationNameLength = 50;

/// `0001` for 1.
std::string migrationNumber(unsigned Number);

/// The name part of a generated migration: `initial` for the first one,
/// the first operation's fragment alone or followed by `_and_more`, cut to
/// MaxMigrationNameLength; `auto` for no operations.
std::string suggestMigrationName(llvm::ArrayRef<OperationPtr> Ops, bool Initial);

/// Whether Name (the part after `NNNN_`) is a usable migration name.
bool isValidMigrationName(llvm::StringRef Name);

struct MigrationSpec {
  std::string Name; // `0002_add_employee_level`
  std::vector<std::string> Depends;
  std::vector<std::string> Replaces;
  std::vector<OperationPtr> Operations;
};

/// The unformatted text: header, blank line, one printed operation each.
std::string renderMigrationRaw(const MigrationSpec &M);

/// The text as `strata fmt` prints it (renderMigrationRaw run through the
/// formatter). Returns nullopt after reporting when it does not parse.
std::optional<std::string> renderMigration(const MigrationSpec &M, DiagnosticEngine &Diags);

/// Creates Dir/Name.mig holding Text; refuses (MigrationFileExists) when the
/// file exists. Creates Dir when missing. Returns the path, or nullopt
/// after reporting.
std::optional<std::string> writeMigrationFile(llvm::StringRef Dir, llvm::StringRef Name,
                                              llvm::StringRef Text, DiagnosticEngine &Diags);

} // namespace strata

#endif
