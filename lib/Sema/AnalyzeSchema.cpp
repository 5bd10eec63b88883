//===- AnalyzeSchema.cpp - Schema files to a SchemaState ------------------===//
//
// The passes are described in SchemaAnalyzer.h.
//
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"
#include "SchemaAnalyzer.h"
#include "strata/Sema/Suggest.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"
#include <thread>

using namespace strata;
using namespace strata::sema;

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
} // namespace

std::optional<SchemaState> SchemaAnalyzer::run(llvm::ArrayRef<ast::SourceFile> Files) {
  unsigned Before = Diags.errorCount();
  declareAll(Files);
  std::vector<size_t> All(Derived.size());
  for (size_t I = 0; I < All.size(); ++I)
    All[I] = I;
  checkRules(All, nullptr);
  finish();
  if (Diags.errorCount() != Before)
    return std::nullopt;
  return std::move(State);
}

void SchemaAnalyzer::declareAll(llvm::ArrayRef<ast::SourceFile> Files) {
  for (const ast::SourceFile &F : Files)
    for (const std::string &Name : F.InvalidNames)
      AssumeExist.insert(Name);
  if (Remember) {
    DeclaredNow.resize(Files.size());
    for (size_t F = 0; F < Files.size(); ++F)
      DeclaredNow[F].resize(Files[F].Items.size());
  }
  for (size_t F = 0; F < Files.size(); ++F)
    for (size_t I = 0; I < Files[F].Items.size(); ++I)
      declare(Files[F].Items[I], F, I);
  for (const ast::IndexDecl *I : Indexes)
    resolve(*I);
}

void SchemaAnalyzer::finish() {
  for (const PendingDerived &P : Derived)
    putRules(P);
  checkRecursion(State, Diags);
}

/// False (after reporting) when Name is already taken in Seen.
bool SchemaAnalyzer::claim(llvm::StringMap<llvm::SMRange> &Seen, const ast::Ident &Name,
                           DiagKind K) {
  auto [It, Inserted] = Seen.try_emplace(Name.Name, Name.Range);
  if (Inserted)
    return true;
  Diags.reportAt(K, Name.Range, Name.Name)
      .noteAt(DiagKind::NotePreviousDefinition, It->second, Name.Name);
  return false;
}

void SchemaAnalyzer::declare(const ast::Item &I, size_t File, size_t Item) {
  if (auto *R = std::get_if<ast::RelationDecl>(&I))
    declareRelation(*R, File, Item);
  else if (auto *D = std::get_if<ast::DerivedDecl>(&I))
    declareDerived(*D, File, Item);
  else if (auto *X = std::get_if<ast::IndexDecl>(&I)) {
    checkDeclaredName(X->Name, NameKind::Index, Diags);
    if (claim(IndexNames, X->Name, DiagKind::DuplicateIndex))
      Indexes.push_back(X);
  }
}

const SchemaAnalyzer::Declared *SchemaAnalyzer::declaredBefore(size_t File, size_t Item) const {
  if (!ReuseFrom || File >= ReuseFrom->size() || Item >= (*ReuseFrom)[File].size())
    return nullptr;
  const Declared &D = (*ReuseFrom)[File][Item];
  return D.Relation || D.Derived ? &D : nullptr;
}

void SchemaAnalyzer::declareRelation(const ast::RelationDecl &R, size_t File, size_t Item) {
  const Declared *Before = declaredBefore(File, Item);
  size_t Reported = Diags.size();
  if (!Before || !Before->Relation)
    checkDeclaredName(R.Name, NameKind::Relation, Diags);
  if (!claim(RelationNames, R.Name, DiagKind::DuplicateRelation))
    return;
  if (Before && Before->Relation) {
    State.put(Before->Relation);
    DeclaredNow[File][Item].Relation = Before->Relation;
    return;
  }
  std::optional<ColumnList> Columns = resolveColumns(R.Columns, R.Name, NameKind::Relation, Diags);
  releaseColumns(R.Columns);
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
  std::shared_ptr<const RelationDef> Done(std::move(Def));
  State.put(Done);
  if (Remember && Diags.size() == Reported)
    DeclaredNow[File][Item].Relation = std::move(Done);
}

void SchemaAnalyzer::declareDerived(const ast::DerivedDecl &D, size_t File, size_t Item) {
  const Declared *Before = declaredBefore(File, Item);
  size_t Reported = Diags.size();
  if (!Before || !Before->Derived)
    checkDeclaredName(D.Name, NameKind::Derived, Diags);
  if (!claim(RelationNames, D.Name, DiagKind::DuplicateRelation))
    return;
  if (Before && Before->Derived) {
    State.put(Before->Derived);
    DeclaredNow[File][Item].Derived = Before->Derived;
    Derived.push_back({&D, Before->Derived, File, Item});
    return;
  }
  std::optional<ColumnList> Columns = resolveColumns(D.Columns, D.Name, NameKind::Derived, Diags);
  releaseColumns(D.Columns);
  if (!Columns) {
    AssumeExist.insert(D.Name.Name);
    Derived.push_back({&D, nullptr, File, Item});
    return;
  }
  auto Def = std::make_shared<DerivedDef>();
  Def->Name = D.Name.Name;
  Def->Columns = std::move(*Columns);
  Def->Loc = D.Name.Range;
  State.put(std::shared_ptr<const DerivedDef>(Def));
  if (Remember && Diags.size() == Reported)
    DeclaredNow[File][Item].Derived = Def;
  std::shared_ptr<DerivedDef> Fresh = Remember ? nullptr : Def;
  Derived.push_back({&D, std::move(Def), File, Item, std::move(Fresh)});
}

void SchemaAnalyzer::releaseColumns(const std::vector<ast::Column> &Columns) const {
  if (Use == ClauseUse::Move) // see analyzeSchema(&&)
    std::vector<ast::Column>().swap(const_cast<std::vector<ast::Column> &>(Columns));
}

void SchemaAnalyzer::resolve(const ast::IndexDecl &I) {
  std::optional<IndexDef> Def = resolveIndex(I, State, Diags, &AssumeExist);
  if (!Def) {
    AssumeExist.insert(I.Name.Name);
    return;
  }
  State.put(std::make_shared<const IndexDef>(std::move(*Def)));
}

bool SchemaAnalyzer::checkOne(const PendingDerived &P, DiagnosticEngine &Into,
                              RuleRecord *Record) const {
  size_t Before = Into.size();
  RuleScope Scope{State, &AssumeExist, Record ? &Record->Reads : nullptr};
  const ColumnList *Columns = P.Def ? &P.Def->Columns : nullptr;
  if (checkClausesWith(P.Decl->Name, Columns, P.Decl->Clauses, Scope,
                       RelationColumns.empty() ? nullptr : &RelationColumns, Into) &&
      Columns)
    warnDuplicateClauses(P.Decl->Name, *Columns, P.Decl->Clauses, State, Into);
  bool Clean = Into.size() == Before; // a warning is not remembered: check again
  if (Record)
    Record->Clean = Clean;
  return Clean;
}

void SchemaAnalyzer::indexColumns(size_t Checks) {
  RelationColumns = ColumnIndex();
  // An entry costs about what a few lookups in the ordered maps do, and a
  // derived relation's clauses look up a few names: the editor checking a
  // handful of rules in a large schema is better off without.
  size_t Names = State.relationCount() + State.derivedCount();
  if (Checks * 8 < Names)
    return;
  RelationColumns = ColumnIndex(static_cast<unsigned>(Names));
  for (const auto &[Name, R] : State.relations())
    RelationColumns.try_emplace(Name, &R->Columns);
  for (const auto &[Name, D] : State.derived())
    RelationColumns.try_emplace(Name, &D->Columns); // a relation's name stays its own
}

/// Checking only reads the state (names, columns and locations, which
/// putRules leaves as they are), so many rules are checked in two halves
/// at once, each into its own engine, and the halves' diagnostics are
/// appended in order: exactly what one pass reports unless the
/// spell-checking limit (an error count) could have been reached, in which
/// case one pass runs.
void SchemaAnalyzer::checkRules(llvm::ArrayRef<size_t> Which, std::vector<RuleRecord> *Records) {
  indexColumns(Which.size());
  // Gone once the checks are: putRules may replace the definitions.
  auto DropIndex = llvm::make_scope_exit([&] { RelationColumns = ColumnIndex(); });
  if (Records)
    Records->assign(Which.size(), RuleRecord());
  auto Record = [&](size_t I) { return Records ? &(*Records)[I] : nullptr; };
  constexpr size_t ParallelFrom = 512;
  if (Which.size() < ParallelFrom) {
    for (size_t I = 0; I < Which.size(); ++I)
      checkOne(Derived[Which[I]], Diags, Record(I));
    return;
  }
  size_t Half = Which.size() / 2;
  DiagnosticEngine First(Diags.sourceMgr()), Second(Diags.sourceMgr());
  First.setWarningsAsErrors(Diags.warningsAsErrors());
  Second.setWarningsAsErrors(Diags.warningsAsErrors());
  std::thread Worker([&] {
    for (size_t I = Half; I < Which.size(); ++I)
      checkOne(Derived[Which[I]], Second, Record(I));
  });
  for (size_t I = 0; I < Half; ++I)
    checkOne(Derived[Which[I]], First, Record(I));
  Worker.join();
  if (Diags.errorCount() + First.errorCount() + Second.errorCount() < SpellCheckingLimit) {
    Diags.append(std::move(First));
    Diags.append(std::move(Second));
    return;
  }
  if (Records)
    Records->assign(Which.size(), RuleRecord());
  for (size_t I = 0; I < Which.size(); ++I)
    checkOne(Derived[Which[I]], Diags, Record(I));
}

/// Puts the checked clauses of P into the state.
void SchemaAnalyzer::putRules(const PendingDerived &P) {
  if (!P.Def)
    return;
  if (P.Fresh) { // already in the state, shared with no one else
    P.Fresh->Clauses = clausesOf(*P.Decl);
    return;
  }
  auto Full = std::make_shared<DerivedDef>(*P.Def);
  Full->Clauses = clausesOf(*P.Decl);
  State.put(std::shared_ptr<const DerivedDef>(std::move(Full)));
}

std::vector<std::shared_ptr<const ast::Clause>>
SchemaAnalyzer::clausesOf(const ast::DerivedDecl &D) const {
  std::vector<std::shared_ptr<const ast::Clause>> Out;
  Out.reserve(D.Clauses.size());
  switch (Use) {
  case ClauseUse::Move: { // the caller gave up the files: see analyzeSchema(&&)
    // One block per relation, shared by its clauses, instead of an
    // allocation per clause.
    auto Block = std::make_shared<const std::vector<ast::Clause>>(
        std::move(const_cast<std::vector<ast::Clause> &>(D.Clauses)));
    for (const ast::Clause &C : *Block)
      Out.push_back(std::shared_ptr<const ast::Clause>(Block, &C));
    break;
  }
  case ClauseUse::Borrow: // aliasing pointers with no owner
    for (const ast::Clause &C : D.Clauses)
      Out.push_back(std::shared_ptr<const ast::Clause>(std::shared_ptr<void>(), &C));
    break;
  case ClauseUse::Copy:
    for (const ast::Clause &C : D.Clauses)
      Out.push_back(std::make_shared<const ast::Clause>(C));
    break;
  }
  return Out;
}

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
