//===- SourceFile.h - One parsed file ---------------------------*- C++ -*-===//
#ifndef STRATA_AST_SOURCEFILE_H
#define STRATA_AST_SOURCEFILE_H

#include "strata/AST/Decl.h"
#include "strata/AST/Migration.h"
#include <string>
#include <variant>
#include <vector>

namespace strata::ast {

using Item = std::variant<RelationDecl, DerivedDecl, IndexDecl, MigrationDecl>;

struct Comment {
  std::string Text; // including the `//` or `/* */` markers
  llvm::SMRange Range;
};

enum class FileKind { Schema, Migration };

struct SourceFile {
  FileKind Kind = FileKind::Schema;
  unsigned BufferID = 0;
  std::string Path;
  /// In source order. Items that held a syntax error are left out; their
  /// names are in InvalidNames so later passes do not report them missing.
  std::vector<Item> Items;
  std::vector<std::string> InvalidNames;
  /// Every comment, in source order, for the formatter.
  std::vector<Comment> Comments;
  bool HasSyntaxErrors = false;
};

/// The name a schema item declares (relation, derived relation or index).
const Ident &declaredName(const Item &I);

} // namespace strata::ast

#endif
