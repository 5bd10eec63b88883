//===- Lints.h - Safety lints of lowered migrations -------------*- C++ -*-===//
//
// Warnings about migrations that are legal but risky, each with a stable
// code (docs/lints.md):
//
//   S001  a drop that loses data (drop relation, drop column)
//   S002  a lossy backward (reverting the operation loses data)
//   S003  an irreversible operation (`run iql` with no backward block)
//   S004  a rule left reading a relation the operation drops
//   S005  an index dropped and re-created in one migration (rebuild cost)
//   S006  a retype with no `using` cast
//   S007  a retype converting with a server function that fails for, or
//         changes, some values (`to_int` of a string)
//
// A lint is a warning, or an error with LintOptions::Strict. It is silenced
// for one operation by a comment on the line before the operation (or in
// the block of comment lines directly above it) or at the end of its first
// or last line:
//
//   // strata:allow S001 the table was emptied by 0007_archive
//   drop relation legacy
//
// Several codes are separated by commas (`S001,S002`). A suppression with no
// reason, and one that silences nothing, are themselves warnings (errors
// with Strict).
//
// Every lint has its own diagnostic kind, a warning reported at error
// severity under Strict; every message starts with the code.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_VERIFY_LINTS_H
#define STRATA_VERIFY_LINTS_H

#include "strata/AST/SourceFile.h"
#include "strata/CodeGen/Lowering.h"
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"

namespace strata {

struct LintOptions {
  /// Report lints (and suppression problems) as errors.
  bool Strict = false;
};

/// The marker that starts a suppression comment's body.
constexpr const char *LintAllowMarker = "strata:allow";

/// Lints M, lowered as L against Before (the state before M), reporting at
/// the operations' locations. Comments are the file's comments (only those
/// holding `strata:allow` matter; Migration::AllowComments keeps them).
/// Returns the number of lints and suppression problems reported.
unsigned lintMigration(const Migration &M, const LoweredMigration &L, const SchemaState &Before,
                       llvm::ArrayRef<ast::Comment> Comments, const LintOptions &Opts,
                       DiagnosticEngine &Diags);

/// What to do about a lint, by its code (`S001`), in one sentence; for
/// an empty code (a problem with a `strata:allow` comment), how to fix
/// the comment; empty for an unknown code.
llvm::StringRef lintFix(llvm::StringRef Code);

} // namespace strata

#endif
