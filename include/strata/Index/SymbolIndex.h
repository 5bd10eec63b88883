//===- SymbolIndex.h - Language-aware queries over a workspace --*- C++ -*-===//
//
// Every name of a workspace's schema (`.strata`) and migration (`.mig`)
// files, each occurrence tagged with the symbol it names: relations and
// derived relations (one namespace), their columns, indexes, the
// variables of one rule clause, migrations, and the server's built-in
// functions and aggregates. Editors ask it what is under the cursor, where
// that is defined, where it is used, what it is (hover), how to rename it
// and what may be typed next.
//
// Protocol-free: positions are byte offsets into a file's text, files are
// named by the path they were added under. Works on files with syntax
// errors as far as their parsed AST reaches (items with an error are not in
// the AST, so their names are not indexed); every query answers, possibly
// with nothing, and never fails on bad input.
//
// Symbols are matched by name: a relation is the same symbol in every file
// that names it, including the history's migrations (a `rename relation a
// -> b` mentions `a` and defines `b`); a column is its relation's name and
// its own; a variable is local to its clause (or to a retype's cast).
//
// Queries are const and may run together; update and remove may not run
// while anything else does.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_INDEX_SYMBOLINDEX_H
#define STRATA_INDEX_SYMBOLINDEX_H

#include "strata/AST/SourceFile.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::index {

enum class SymbolKind {
  Relation,
  Derived,
  Column,
  Index,
  Variable,
  Migration,
  Function,  // a built-in function of Functions.def
  Aggregate, // an aggregate of Aggregates.def
};
/// "relation", "derived relation", "column", ...
llvm::StringRef symbolKindName(SymbolKind K);

struct Symbol {
  SymbolKind Kind = SymbolKind::Relation;
  std::string Name;
  /// Column: its relation. Variable: the head of its clause. Else empty.
  std::string Owner;
};

/// What an occurrence does with its symbol.
enum class Role {
  Declaration,       // a schema file declares it (a variable: its first occurrence)
  Reference,         // a schema file uses it
  RenamedFrom,       // the old name in a schema file's `renamed_from`
  HistoryDefinition, // a migration creates the name (create, add, rename ... -> it)
  HistoryReference,  // a migration mentions it otherwise
};

/// Bytes [Begin, End) of the file added as Path.
struct Location {
  std::string Path;
  size_t Begin = 0, End = 0;
};

struct Occurrence {
  Location Loc;
  Role TheRole = Role::Reference;
};

/// The symbol under a cursor and the occurrence the cursor is on.
struct SymbolAt {
  Symbol Sym;
  Occurrence Occ;
};

struct Hover {
  std::string Markdown;
  Location Range; // what the text is about
};

/// Replace bytes [Begin, End) by NewText.
struct TextEdit {
  size_t Begin = 0, End = 0;
  std::string NewText;
};
/// Edits by path; each file's edits are sorted and do not overlap.
using WorkspaceEdit = std::map<std::string, std::vector<TextEdit>>;

enum class CompletionKind { Relation, Derived, Column, Variable, Function, Aggregate, Keyword };

struct CompletionItem {
  std::string Label;
  CompletionKind Kind = CompletionKind::Keyword;
  /// A signature (`len(sequence) -> int`), a type or the kind of thing.
  std::string Detail;
};

struct Completion {
  /// The partial word before the cursor, which a chosen item replaces.
  size_t ReplaceBegin = 0, ReplaceEnd = 0;
  /// Items whose label starts with that word (any case), sorted by label.
  std::vector<CompletionItem> Items;
};

class SymbolIndex {
public:
  SymbolIndex();
  ~SymbolIndex();
  SymbolIndex(SymbolIndex &&) noexcept;
  SymbolIndex &operator=(SymbolIndex &&) noexcept;

  /// Adds File under Path, replacing what Path held. File was parsed from
  /// buffer File.BufferID of SM; the index copies that text, so neither
  /// needs to outlive this call. Costs the size of File, not of the
  /// workspace: an editor updates the edited file only.
  void update(llvm::StringRef Path, ast::SourceFile File, const llvm::SourceMgr &SM);
  /// Parses Text (a migration file when Path ends in `.mig`) and updates.
  void updateText(llvm::StringRef Path, llvm::StringRef Text);
  void remove(llvm::StringRef Path);
  /// The paths held, sorted.
  std::vector<std::string> files() const;
  /// The text Path was indexed at, which every offset about it points
  /// into; nullopt when Path is not held.
  std::optional<llvm::StringRef> text(llvm::StringRef Path) const;

  std::optional<SymbolAt> symbolAt(llvm::StringRef Path, size_t Offset) const;
  /// The schema declaration(s) of the symbol under the cursor and the
  /// migration operations that create its name; a variable's first
  /// occurrence in its clause; a migration's header.
  std::vector<Location> definition(llvm::StringRef Path, size_t Offset) const;
  /// Every occurrence of the symbol under the cursor across the
  /// workspace, sorted by path and offset; schema declarations only when
  /// IncludeDeclaration.
  std::vector<Occurrence> references(llvm::StringRef Path, size_t Offset,
                                     bool IncludeDeclaration) const;
  /// Every occurrence in Path, by offset (for highlighting).
  std::vector<std::pair<Symbol, Occurrence>> occurrencesIn(llvm::StringRef Path) const;

  /// Markdown about the symbol under the cursor, and in a migration file
  /// about the operation it is in (what it does, whether it can lose
  /// facts, what undoes it).
  std::optional<Hover> hover(llvm::StringRef Path, size_t Offset) const;

  /// Renames the relation, derived relation, column, index or variable
  /// under the cursor in every schema file, and records the old name with
  /// `renamed_from` so that the next makemigrations keeps the data.
  /// Migration files are history and are never edited. Fails with a
  /// DiagnosticError (InvalidName and the other name checks of
  /// checkDeclaredName, OpNameExists for a name already taken,
  /// RenameRefused for anything else that cannot be renamed).
  llvm::Expected<WorkspaceEdit> rename(llvm::StringRef Path, size_t Offset,
                                       llvm::StringRef NewName) const;

  /// What may be written at the cursor: relation names where an atom
  /// starts, the unused columns inside a named atom, variables, functions
  /// and aggregates inside expressions, the language's keywords elsewhere.
  Completion completion(llvm::StringRef Path, size_t Offset) const;

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace strata::index

#endif
