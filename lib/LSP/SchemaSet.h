//===- SchemaSet.h - Schema files checked together ---------------*- C++ -*-===//
//
// The schema files `strata check` would check together, each with its text
// (the editor's or the disk's), its syntax tree and its syntax errors. An
// edited file is reparsed only where it changed; a file on disk is read
// again only when its size or time changes. check() reports what
// `strata check` would, through Sema's incremental check
// (strata/Sema/IncrementalCheck.h): each tree carries a stamp that changes
// when it is reparsed, and rules untouched by an edit are not checked again.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_LSP_SCHEMASET_H
#define STRATA_LIB_LSP_SCHEMASET_H

#include "strata/LSP/Workspace.h"
#include "strata/Sema/IncrementalCheck.h"
#include "strata/Serialize/ParsePieces.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/Support/Chrono.h"
#include <functional>
#include <map>
#include <memory>

namespace strata::lsp {

class SchemaSet {
public:
  /// The open text of a path, or nullopt to read the disk.
  using OpenText = std::function<const std::string *(llvm::StringRef Path)>;

  /// Makes the set exactly Paths (sorted), each at its current text.
  void refresh(const std::vector<std::string> &Paths, const OpenText &Open);
  /// Parse and Sema diagnostics of every file, each file present in Out.
  void check(std::map<std::string, FileDiagnostics> &Out);

  const ast::SourceFile *syntax(llvm::StringRef Path) const;
  std::optional<llvm::StringRef> text(llvm::StringRef Path) const;
  std::vector<std::string> paths() const;
  llvm::ArrayRef<ast::SourceFile> trees() const { return Syntax; }

private:
  struct File {
    std::string Path;
    std::unique_ptr<llvm::SourceMgr> SM; // its one buffer: the text
    std::vector<Diagnostic> ParseDiags;
    std::optional<ParsePieces> Pieces; // cut on the first edit
    bool OnDisk = false;
    llvm::sys::TimePoint<> MTime;
    uint64_t Size = 0;
    uint64_t Stamp = 0; // new with every tree: see SchemaChecker::check
    llvm::StringRef text() const;
  };
  /// Parses Text as File I's new text (incrementally when it can).
  void setText(size_t I, const std::string &Text);
  /// Reads File I from disk when it changed there; false when unreadable.
  void refreshFromDisk(size_t I);

  std::vector<File> Files;
  std::vector<ast::SourceFile> Syntax; // parallel to Files
  uint64_t LastStamp = 0;
  SchemaChecker Checker;
};

} // namespace strata::lsp

#endif
