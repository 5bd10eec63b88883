//===- AnalyzeSchema.cpp - Schema files to a SchemaState ------------------===//
//
// Three passes, so that declaration order never matters:
//   1. declare relations and derived relations (names, columns);
//   2. resolve indexes against the declared relations;
//   3. check every derived relation's clauses, then stratification.
// An item that fails to resolve stays out of the state but its name is
// remembered, so references to it do not cascade into more errors.
//
//===----------------------------------------------------------------------===//
#include "strata/Sema/Sema.h"
#include "strata/Sema/Suggest.h"
#include "llvm/ADT/StringMap.h"
#include <thread>

using namespace strata;

namespace {
/// A relation needs one column the server's schema detection recognises (statement/mod.rs): a type
/// starting with int, string, bool, float or list.
bool hasSchemaMarkerColumn(const ColumnList &Columns) {
  for (const ColumnDef &C : Columns.Columns) {
    Type::Kind K = C.Ty.kind();
    if (K == Type::Kind::Int || K == Type::Kind::Float || K == Type::Kind::String ||
        K == Type::Kind::Bool || K == Type::Kind::List)
      return true;
  }
  return false;
}

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
  SchemaAnalyzer(DiagnosticEngine &Diags, ClauseUse Use) : Diags(Diags), Use(Use) {}

  std::optional<SchemaState> run(llvm::ArrayRef<ast::SourceFile> Files) {
    unsigned Before = Diags.errorCount();
    for (const ast::SourceFile &F : Files)
      for (const std::string &Name : F.InvalidNames)
        AssumeExist.insert(Name);
    for (const ast::SourceFile &F : Files)
      for (const ast::Item &I : F.Items)
        declare(I);
    for (const ast::IndexDecl *I : Indexes)
      resolve(*I);
    checkAllRules();
    for (const PendingDerived &P : Derived)
      putRules(P);
    if (checkStratification(State, Diags))
      warnMutualRecursion(State, Diags);
    if (Diags.errorCount() != Before)
      return std::nullopt;
    return std::move(State);
  }

private:
  struct PendingDerived {
    const ast::DerivedDecl *Decl;
    std::shared_ptr<const DerivedDef> Def; // null when the columns failed
  };

  /// False (after reporting) when Name is already taken in Seen.
  bool claim(llvm::StringMap<llvm::SMRange> &Seen, const ast::Ident &Name, DiagKind K) {
    auto [It, Inserted] = Seen.try_emplace(Name.Name, Name.Range);
    if (Inserted)
      return true;
    Diags.reportAt(K, Name.Range, Name.Name)
        .noteAt(DiagKind::NotePreviousDefinition, It->second, Name.Name);
    return false;
  }

  void declare(const ast::Item &I) {
    if (auto *R = std::get_if<ast::RelationDecl>(&I))
      declareRelation(*R);
    else if (auto *D = std::get_if<ast::DerivedDecl>(&I))
      declareDerived(*D);
    else if (auto *X = std::get_if<ast::IndexDecl>(&I)) {
      checkDeclaredName(X->Name, NameKind::Index, Diags);
      if (claim(IndexNames, X->Name, DiagKind::DuplicateIndex))
        Indexes.push_back(X);
    }
  }

  void declareRelation(const ast::RelationDecl &R) {
    checkDeclaredName(R.Name, NameKind::Relation, Diags);
    if (!claim(RelationNames, R.Name, DiagKind::DuplicateRelation))
      return;
    std::optional<ColumnList> Columns =
        resolveColumns(R.Columns, R.Name, NameKind::Relation, Diags);
    if (!Columns) {
      AssumeExist.insert(R.Name.Name);
      return;
    }
    if (!hasSchemaMarkerColumn(*Columns))
      Diags.reportAt(DiagKind::SchemaNotRecognized, R.Name.Range, R.Name.Name);
    auto Def = std::make_shared<RelationDef>();
    Def->Name = R.Name.Name;
    Def->Columns = std::move(*Columns);
    Def->Loc = R.Name.Range;
    State.put(std::shared_ptr<const RelationDef>(std::move(Def)));
  }

  void declareDerived(const ast::DerivedDecl &D) {
    checkDeclaredName(D.Name, NameKind::Derived, Diags);
    if (!claim(RelationNames, D.Name, DiagKind::DuplicateRelation))
      return;
    std::optional<ColumnList> Columns = resolveColumns(D.Columns, D.Name, NameKind::Derived, Diags);
    if (!Columns) {
      AssumeExist.insert(D.Name.Name);
      Derived.push_back({&D, nullptr});
      return;
    }
    auto Def = std::make_shared<DerivedDef>();
    Def->Name = D.Name.Name;
    Def->Columns = std::move(*Columns);
    Def->Loc = D.Name.Range;
    State.put(std::shared_ptr<const DerivedDef>(Def));
    Derived.push_back({&D, std::move(Def)});
  }

  void resolve(const ast::IndexDecl &I) {
    std::optional<IndexDef> Def = resolveIndex(I, State, Diags, &AssumeExist);
    if (!Def) {
      AssumeExist.insert(I.Name.Name);
      return;
    }
    State.put(std::make_shared<const IndexDef>(std::move(*Def)));
  }

  void checkRules(const PendingDerived &P, DiagnosticEngine &Into) const {
    RuleScope Scope{State, &AssumeExist};
    const ColumnList *Columns = P.Def ? &P.Def->Columns : nullptr;
    checkClauses(P.Decl->Name, Columns, P.Decl->Clauses, Scope, Into);
  }

  /// Checks the clauses of every derived relation. Checking only reads the
  /// state (names, columns and locations, which putRules leaves as they
  /// are), so a large schema is checked in two halves at once, each into
  /// its own engine, and the halves' diagnostics are appended in order:
  /// exactly what one pass reports unless the spell-checking limit (an
  /// error count) could have been reached, in which case one pass runs.
  void checkAllRules() {
    constexpr size_t ParallelFrom = 512;
    if (Derived.size() < ParallelFrom) {
      for (const PendingDerived &P : Derived)
        checkRules(P, Diags);
      return;
    }
    size_t Half = Derived.size() / 2;
    DiagnosticEngine First(Diags.sourceMgr()), Second(Diags.sourceMgr());
    First.setWarningsAsErrors(Diags.warningsAsErrors());
    Second.setWarningsAsErrors(Diags.warningsAsErrors());
    std::thread Worker([&] {
      for (size_t I = Half; I < Derived.size(); ++I)
        checkRules(Derived[I], Second);
    });
    for (size_t I = 0; I < Half; ++I)
      checkRules(Derived[I], First);
    Worker.join();
    if (Diags.errorCount() + First.errorCount() + Second.errorCount() < sema::SpellCheckingLimit) {
      Diags.append(std::move(First));
      Diags.append(std::move(Second));
      return;
    }
    for (const PendingDerived &P : Derived)
      checkRules(P, Diags);
  }

  /// Puts the checked clauses of P into the state.
  void putRules(const PendingDerived &P) {
    if (!P.Def)
      return;
    auto Full = std::make_shared<DerivedDef>(*P.Def);
    Full->Clauses.reserve(P.Decl->Clauses.size());
    for (const ast::Clause &C : P.Decl->Clauses) {
      switch (Use) {
      case ClauseUse::Move: // the caller gave up the files: see analyzeSchema(&&)
        Full->Clauses.push_back(
            std::make_shared<const ast::Clause>(std::move(const_cast<ast::Clause &>(C))));
        break;
      case ClauseUse::Borrow: // an aliasing pointer with no owner
        Full->Clauses.push_back(std::shared_ptr<const ast::Clause>(std::shared_ptr<void>(), &C));
        break;
      case ClauseUse::Copy:
        Full->Clauses.push_back(std::make_shared<const ast::Clause>(C));
        break;
      }
    }
    State.put(std::shared_ptr<const DerivedDef>(std::move(Full)));
  }

  DiagnosticEngine &Diags;
  ClauseUse Use;
  SchemaState State;
  llvm::StringSet<> AssumeExist;
  llvm::StringMap<llvm::SMRange> RelationNames, IndexNames;
  std::vector<const ast::IndexDecl *> Indexes;
  std::vector<PendingDerived> Derived;
};
} // namespace

std::optional<SchemaState> strata::analyzeSchema(llvm::ArrayRef<ast::SourceFile> Files,
                                                 DiagnosticEngine &Diags) {
  return SchemaAnalyzer(Diags, SchemaAnalyzer::ClauseUse::Copy).run(Files);
}

bool strata::checkSchema(llvm::ArrayRef<ast::SourceFile> Files, DiagnosticEngine &Diags) {
  // The state borrows the files' clauses and is dropped here, before any
  // of them can go.
  return SchemaAnalyzer(Diags, SchemaAnalyzer::ClauseUse::Borrow).run(Files).has_value();
}

std::optional<SchemaState> strata::analyzeSchema(std::vector<ast::SourceFile> &&Files,
                                                 DiagnosticEngine &Diags) {
  std::vector<ast::SourceFile> Owned = std::move(Files);
  return SchemaAnalyzer(Diags, SchemaAnalyzer::ClauseUse::Move).run(Owned);
}
