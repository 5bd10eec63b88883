//===- IncrementalCheck.h - checkSchema again after an edit -----*- C++ -*-===//
//
// An editor checks the whole schema after every keystroke, and a keystroke
// changes one item of one file. Checking a derived relation's clauses is
// most of a check, and its findings depend only on its clauses, its head
// columns and what the names it looks up stand for. So a SchemaChecker
// remembers, for each derived relation it checked clean, the names it
// looked up; on the next check it checks again only the derived relations
// of changed files, those that were not clean (their messages may name
// anything: suggestions, other declarations) and those that read a name
// whose columns, index or existence changed. Declarations are redone in
// order (duplicates depend on it), but an unchanged item declared clean
// keeps its definition instead of resolving its columns again; the
// stratification is redone in full over one dependency graph.
//
// What it reports is exactly what checkSchema reports for the same files,
// in the same order (unittests/SemaIncrementalTest.cpp checks this over
// random edits).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SEMA_INCREMENTALCHECK_H
#define STRATA_SEMA_INCREMENTALCHECK_H

#include "strata/AST/SourceFile.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <memory>

namespace strata {

class SchemaChecker {
public:
  SchemaChecker();
  ~SchemaChecker();
  SchemaChecker(const SchemaChecker &) = delete;
  SchemaChecker &operator=(const SchemaChecker &) = delete;

  /// checkSchema(Files, Diags), reusing the previous call's findings.
  /// Stamps[I] names Files[I]'s tree: the caller passes a stamp again
  /// only for the very same tree, unchanged (a file that was reparsed
  /// gets a new stamp). What is remembered is kept for the stamps of this
  /// call only.
  bool check(llvm::ArrayRef<ast::SourceFile> Files, llvm::ArrayRef<uint64_t> Stamps,
             DiagnosticEngine &Diags);

  /// How many derived relations the last call checked, and how many it
  /// took as clean from before (for tests and measurements).
  struct Counts {
    size_t Checked = 0, Reused = 0;
  };
  Counts lastCounts() const;

private:
  struct Memory;
  std::unique_ptr<Memory> Mem;
};

} // namespace strata

#endif
