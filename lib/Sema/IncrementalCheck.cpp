//===- IncrementalCheck.cpp - checkSchema again after an edit -------------===//
//
// Why a derived relation checked clean before may be taken as clean again
// without checking it: checkClauses is a function of the clauses, the head
// columns (both from the item's own tree: same stamp, same tree) and of what
// each name it looks up stands for (RuleScope::Reads). A clean check
// reports nothing, so the places of other declarations, suggestions and
// the spell-checking limit (an error count, to which it adds nothing) play
// no part. When none of its names changed meaning, it is clean again. A
// check that reported something is always redone: its messages may point
// anywhere.
//
//===----------------------------------------------------------------------===//
#include "strata/Sema/IncrementalCheck.h"
#include "SchemaAnalyzer.h"
#include "llvm/ADT/StringSet.h"
#include <cassert>
#include <unordered_map>

using namespace strata;
using namespace strata::sema;

namespace {
/// What the names of a schema stood for, as clause checks look them up.
struct NameMeanings {
  SchemaState::Map<RelationDef> Relations;
  SchemaState::Map<DerivedDef> Derived;
  SchemaState::Map<IndexDef> Indexes;
  llvm::StringSet<> Assumed;
};

bool sameColumns(const ColumnList &A, const ColumnList &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A.Columns[I].Name != B.Columns[I].Name || !(A.Columns[I].Ty == B.Columns[I].Ty))
      return false;
  return true;
}

/// Adds to Changed every name of Old or New that the other lacks or
/// holds something else for (by Same). Both maps are sorted by name.
template <typename T, typename SameFn>
void addChanged(const SchemaState::Map<T> &Old, const SchemaState::Map<T> &New, SameFn Same,
                llvm::StringSet<> &Changed) {
  auto O = Old.begin(), N = New.begin();
  while (O != Old.end() || N != New.end()) {
    if (N == New.end() || (O != Old.end() && O->first < N->first)) {
      Changed.insert((O++)->first);
    } else if (O == Old.end() || N->first < O->first) {
      Changed.insert((N++)->first);
    } else {
      if (O->second != N->second && !Same(*O->second, *N->second))
        Changed.insert(N->first);
      ++O;
      ++N;
    }
  }
}

/// The names whose meaning differs between Old and New.
llvm::StringSet<> changedNames(const NameMeanings &Old, const NameMeanings &New) {
  llvm::StringSet<> Changed;
  auto SameRelation = [](const RelationDef &A, const RelationDef &B) {
    return sameColumns(A.Columns, B.Columns);
  };
  auto SameDerived = [](const DerivedDef &A, const DerivedDef &B) {
    return sameColumns(A.Columns, B.Columns);
  };
  auto AnyIndex = [](const IndexDef &, const IndexDef &) { return true; }; // only existence
  addChanged(Old.Relations, New.Relations, SameRelation, Changed);
  addChanged(Old.Derived, New.Derived, SameDerived, Changed);
  addChanged(Old.Indexes, New.Indexes, AnyIndex, Changed);
  for (const auto &E : Old.Assumed)
    if (!New.Assumed.count(E.getKey()))
      Changed.insert(E.getKey());
  for (const auto &E : New.Assumed)
    if (!Old.Assumed.count(E.getKey()))
      Changed.insert(E.getKey());
  return Changed;
}

NameMeanings meaningsOf(const SchemaAnalyzer &A) {
  NameMeanings M{A.state().relations(), A.state().derived(), A.state().indexes(), {}};
  for (const auto &E : A.assumeExist())
    M.Assumed.insert(E.getKey());
  return M;
}
} // namespace

struct SchemaChecker::Memory {
  bool Valid = false;
  NameMeanings Meanings;
  /// By file stamp, one record per item of the file (kept for derived
  /// relations whose clauses were checked).
  std::unordered_map<uint64_t, std::vector<SchemaAnalyzer::RuleRecord>> Rules;
  /// By file stamp, the definitions its items were declared clean as.
  std::unordered_map<uint64_t, std::vector<SchemaAnalyzer::Declared>> Declared;
  Counts Last;

  /// The record of P's last check, when it was clean and read nothing in
  /// Changed.
  SchemaAnalyzer::RuleRecord *reusable(const SchemaAnalyzer::PendingDerived &P, uint64_t Stamp,
                                       const llvm::StringSet<> &Changed) {
    auto It = Rules.find(Stamp);
    if (!Valid || It == Rules.end() || P.Item >= It->second.size())
      return nullptr;
    SchemaAnalyzer::RuleRecord &R = It->second[P.Item];
    if (!R.Clean)
      return nullptr;
    for (const std::string &Name : R.Reads)
      if (Changed.count(Name))
        return nullptr;
    return &R;
  }
};

SchemaChecker::SchemaChecker() : Mem(std::make_unique<Memory>()) {}
SchemaChecker::~SchemaChecker() = default;

SchemaChecker::Counts SchemaChecker::lastCounts() const { return Mem->Last; }

bool SchemaChecker::check(llvm::ArrayRef<ast::SourceFile> Files, llvm::ArrayRef<uint64_t> Stamps,
                          DiagnosticEngine &Diags) {
  assert(Files.size() == Stamps.size() && "one stamp per file");
  unsigned ErrorsBefore = Diags.errorCount();
  // The state borrows the files' clauses and is dropped here, before any
  // of them can go (as in checkSchema).
  SchemaAnalyzer A(Diags, SchemaAnalyzer::ClauseUse::Borrow);
  SchemaAnalyzer::DeclaredFiles Before(Files.size());
  for (size_t F = 0; F < Files.size(); ++F) {
    auto It = Mem->Declared.find(Stamps[F]);
    if (It != Mem->Declared.end())
      Before[F] = std::move(It->second);
  }
  A.rememberDeclarations(&Before);
  A.declareAll(Files);
  NameMeanings Meanings = meaningsOf(A);
  llvm::StringSet<> Changed;
  if (Mem->Valid)
    Changed = changedNames(Mem->Meanings, Meanings);

  std::unordered_map<uint64_t, std::vector<SchemaAnalyzer::RuleRecord>> Next;
  for (size_t F = 0; F < Files.size(); ++F)
    Next[Stamps[F]].resize(Files[F].Items.size());
  std::vector<size_t> Which;
  for (size_t I = 0; I < A.derived().size(); ++I) {
    const SchemaAnalyzer::PendingDerived &P = A.derived()[I];
    if (SchemaAnalyzer::RuleRecord *R = Mem->reusable(P, Stamps[P.File], Changed))
      Next[Stamps[P.File]][P.Item] = std::move(*R);
    else
      Which.push_back(I);
  }
  std::vector<SchemaAnalyzer::RuleRecord> Records;
  A.checkRules(Which, &Records);
  for (size_t K = 0; K < Which.size(); ++K) {
    const SchemaAnalyzer::PendingDerived &P = A.derived()[Which[K]];
    Next[Stamps[P.File]][P.Item] = std::move(Records[K]);
  }
  A.finish();

  Mem->Last = {Which.size(), A.derived().size() - Which.size()};
  Mem->Rules = std::move(Next);
  SchemaAnalyzer::DeclaredFiles Now = A.takeDeclarations();
  Mem->Declared.clear();
  for (size_t F = 0; F < Files.size(); ++F)
    Mem->Declared[Stamps[F]] = std::move(Now[F]);
  Mem->Meanings = std::move(Meanings);
  Mem->Valid = true;
  return Diags.errorCount() == ErrorsBefore;
}
