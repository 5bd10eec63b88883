//===- SchemaAnalyzer.h - The passes of a schema check ----------*- C++ -*-===//
//
// Three passes, so that declaration order never matters:
//   1. declare relations and derived relations (names, columns);
//   2. resolve indexes against the declared relations;
//   3. check every derived relation's clauses, then stratification.
// An item that fails to resolve stays out of the state but its name is
// remembered, so references to it do not cascade into more errors.
//
// analyzeSchema and checkSchema run the passes in one go; the editor's
// incremental check (IncrementalCheck.cpp) runs them one by one, checking
// in pass 3 only the derived relations it cannot vouch for.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_SEMA_SCHEMAANALYZER_H
#define STRATA_LIB_SEMA_SCHEMAANALYZER_H

#include "strata/Sema/Sema.h"
#include "llvm/ADT/StringMap.h"
#include <memory>
#include <vector>

namespace strata::sema {

class SchemaAnalyzer {
public:
  /// How the state gets the files' rule clauses.
  enum class ClauseUse {
    Copy,
    /// The files are ours to take clauses from (analyzeSchema(&&)).
    Move,
    /// The state points at the files' clauses without owning them: only
    /// for a state that never outlives the files (checkSchema).
    Borrow,
  };
  /// A derived relation whose name was claimed, with where it is declared.
  struct PendingDerived {
    const ast::DerivedDecl *Decl;
    std::shared_ptr<const DerivedDef> Def; // null when the columns failed
    size_t File, Item;                     // Files[File].Items[Item]
    /// Def, when this analyzer built it and only the state shares it: the
    /// clauses go into it in place instead of into a copy.
    std::shared_ptr<DerivedDef> Fresh = nullptr;
  };
  /// What checking one derived relation's clauses found out.
  struct RuleRecord {
    bool Clean = false; // nothing reported, not even a warning
    /// Every relation, derived relation or index name the check looked up.
    std::vector<std::string> Reads;
  };

  /// The definition of a relation or derived relation declared clean
  /// (nothing reported), to be taken as it is while its tree is unchanged.
  struct Declared {
    std::shared_ptr<const RelationDef> Relation;
    std::shared_ptr<const DerivedDef> Derived;
  };
  /// By file, then item.
  using DeclaredFiles = std::vector<std::vector<Declared>>;

  SchemaAnalyzer(DiagnosticEngine &Diags, ClauseUse Use) : Diags(Diags), Use(Use) {}

  /// Makes declareAll remember the definitions it declares clean, and take
  /// those of Before (same shape as the files; an empty entry for a file
  /// whose tree changed) instead of resolving them again: resolving is a
  /// function of the item's tree alone, and a clean one reports nothing.
  void rememberDeclarations(const DeclaredFiles *Before) {
    Remember = true;
    ReuseFrom = Before;
  }
  DeclaredFiles takeDeclarations() { return std::move(DeclaredNow); }

  /// All three passes. The state, or nullopt when an error was reported.
  std::optional<SchemaState> run(llvm::ArrayRef<ast::SourceFile> Files);

  /// Passes 1 and 2.
  void declareAll(llvm::ArrayRef<ast::SourceFile> Files);
  /// Pass 3's clause checks for Derived[I] of each I in Which (ascending),
  /// reported in that order; Records (when given) gets one record each.
  void checkRules(llvm::ArrayRef<size_t> Which, std::vector<RuleRecord> *Records);
  /// The rest of pass 3: the clauses go into the state, then stratification.
  void finish();

  const SchemaState &state() const { return State; }
  SchemaState takeState() { return std::move(State); }
  const llvm::StringSet<> &assumeExist() const { return AssumeExist; }
  const std::vector<PendingDerived> &derived() const { return Derived; }

private:
  bool claim(llvm::StringMap<llvm::SMRange> &Seen, const ast::Ident &Name, DiagKind K);
  void declare(const ast::Item &I, size_t File, size_t Item);
  void declareRelation(const ast::RelationDecl &R, size_t File, size_t Item);
  void declareDerived(const ast::DerivedDecl &D, size_t File, size_t Item);
  /// What the last check declared clean at (File, Item), if it is to be
  /// taken.
  const Declared *declaredBefore(size_t File, size_t Item) const;
  void resolve(const ast::IndexDecl &I);
  /// Checks one derived relation's clauses into Into; true when nothing
  /// was reported.
  bool checkOne(const PendingDerived &P, DiagnosticEngine &Into, RuleRecord *Record) const;
  void putRules(const PendingDerived &P);
  /// Fills RelationColumns from the state when Checks rule checks will
  /// look up enough names to pay for it; empties it otherwise.
  void indexColumns(size_t Checks);
  /// The state's pointers to D's clauses, taken as Use says.
  std::vector<std::shared_ptr<const ast::Clause>> clausesOf(const ast::DerivedDecl &D) const;
  /// With the files ours (Move), a declaration's columns are dropped once
  /// resolved: nothing reads them again, and Sema's own tables reuse the
  /// memory.
  void releaseColumns(const std::vector<ast::Column> &Columns) const;

  DiagnosticEngine &Diags;
  ClauseUse Use;
  SchemaState State;
  llvm::StringSet<> AssumeExist;
  llvm::StringMap<llvm::SMRange> RelationNames, IndexNames;
  std::vector<const ast::IndexDecl *> Indexes;
  std::vector<PendingDerived> Derived;
  /// The state's columns by name while checkRules runs (the state does not
  /// change then), empty otherwise (ClauseChecker.h, ColumnIndex).
  llvm::StringMap<const ColumnList *> RelationColumns;
  bool Remember = false;
  const DeclaredFiles *ReuseFrom = nullptr;
  DeclaredFiles DeclaredNow;
};

} // namespace strata::sema

#endif
