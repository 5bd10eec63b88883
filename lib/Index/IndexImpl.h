//===- IndexImpl.h - The index's tables, shared by its queries --*- C++ -*-===//
#ifndef STRATA_LIB_INDEX_INDEXIMPL_H
#define STRATA_LIB_INDEX_INDEXIMPL_H

#include "strata/Index/SymbolIndex.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include <cstdint>
#include <map>
#include <memory>

namespace strata::index {

/// What a defining occurrence defines, for hover: the AST nodes that say
/// what the symbol is. Only the pointers that apply are set.
struct Definition {
  const std::vector<ast::Column> *Columns = nullptr; // relation-like
  const std::vector<ast::Clause> *Clauses = nullptr; // derived relation, rule
  const ast::Column *Column = nullptr;
  const ast::TypeExpr *Type = nullptr; // a column added by `add column`
  const ast::IndexDecl *Index = nullptr;
};

struct Occ {
  uint32_t Begin = 0, End = 0;
  unsigned Sym = 0; // into SymbolTable::Syms
  Role TheRole = Role::Reference;
  /// Relation or Derived when the occurrence says which (a declaration,
  /// `create rule`); an atom does not.
  bool KnownKind = false;
  SymbolKind Kind = SymbolKind::Relation;
  int Def = -1;                        // into FileEntry::Defs
  const ast::Clause *Clause = nullptr; // the clause it is in, if any
  const ast::Operation *Op = nullptr;  // the migration operation it is in
};

/// Interned symbols. Relations and derived relations share one namespace,
/// so both intern as Relation; the kind is resolved from declarations.
struct SymbolTable {
  llvm::StringMap<unsigned> Ids;
  std::vector<Symbol> Syms;
  /// Key distinguishes symbols of one kind and owner with equal names
  /// (variables of different clauses); empty for the others.
  unsigned intern(SymbolKind Kind, llvm::StringRef Owner, llvm::StringRef Name,
                  llvm::StringRef Key = {});
  std::optional<unsigned> lookup(SymbolKind Kind, llvm::StringRef Owner, llvm::StringRef Name,
                                 llvm::StringRef Key = {}) const;
};

struct FileEntry {
  std::string Path;
  std::string Text;
  ast::SourceFile AST;
  /// Where the AST's locations pointed when it was added: locations are
  /// turned into offsets by arithmetic on addresses, never dereferenced.
  uintptr_t Base = 0;
  std::vector<Occ> Occs; // sorted by Begin
  std::vector<Definition> Defs;
  llvm::DenseMap<unsigned, std::vector<unsigned>> BySym; // Sym -> Occs positions

  bool isMigration() const { return AST.Kind == ast::FileKind::Migration; }
  /// The offset of L in Text, or -1 when L is not in it.
  int64_t offsetOf(llvm::SMLoc L) const;
  Location location(const Occ &O) const { return {Path, O.Begin, O.End}; }
};

/// Fills E.Occs, E.Defs and E.BySym from E.AST.
void collectOccurrences(FileEntry &E, SymbolTable &Table);

struct SymbolIndex::Impl {
  SymbolTable Table;
  std::map<std::string, std::unique_ptr<FileEntry>, std::less<>> Files;

  const FileEntry *file(llvm::StringRef Path) const;
  /// The occurrence at Offset (touching its end counts), or null.
  const Occ *occAt(const FileEntry &E, size_t Offset) const;
  /// The symbol with Relation or Derived resolved from what declares it.
  Symbol symbol(unsigned Sym) const;
  SymbolKind kindOf(unsigned Sym) const;
  /// Each occurrence of Sym: in Only's file alone when given (variables).
  template <typename Fn> void forEach(unsigned Sym, const FileEntry *Only, Fn &&F) const {
    for (const auto &[Path, E] : Files) {
      if (Only && E.get() != Only)
        continue;
      auto It = E->BySym.find(Sym);
      if (It != E->BySym.end())
        for (unsigned I : It->second)
          F(*E, E->Occs[I]);
    }
  }
  /// The schema declaration of Sym (first found), or null.
  std::pair<const FileEntry *, const Occ *> declaration(unsigned Sym) const;
  /// Sym's definition: its schema declaration, else the last migration
  /// (by path) that creates it.
  std::pair<const FileEntry *, const Occ *> bestDefinition(unsigned Sym) const;
  bool isLocal(unsigned Sym) const { return Table.Syms[Sym].Kind == SymbolKind::Variable; }
};

/// The markdown hover text (Hover.cpp), rename (Rename.cpp) and completion
/// (Completion.cpp) over an index.
std::optional<Hover> hoverAt(const SymbolIndex::Impl &I, const FileEntry &E, size_t Offset);
llvm::Expected<WorkspaceEdit> renameAt(const SymbolIndex::Impl &I, const FileEntry &E,
                                       size_t Offset, llvm::StringRef NewName);
Completion completeAt(const SymbolIndex::Impl &I, const FileEntry &E, size_t Offset);

/// The printed type of a column-like definition, or empty.
std::string definedType(const Definition &D);

} // namespace strata::index

#endif
