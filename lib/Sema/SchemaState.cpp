//===- SchemaState.cpp - The canonical schema -----------------------------===//
#include "strata/Sema/SchemaState.h"
#include "strata/AST/Printer.h"

using namespace strata;

std::optional<size_t> ColumnList::find(llvm::StringRef Name) const {
  for (size_t I = 0; I < Columns.size(); ++I)
    if (Columns[I].Name == Name)
      return I;
  return std::nullopt;
}

llvm::StringRef strata::metricName(Metric M) { return iql::indexMetricName(M); }

std::optional<Metric> strata::parseMetric(llvm::StringRef Spelling) {
  if (std::optional<Metric> M = iql::parseIndexMetric(Spelling))
    return M;
  std::string S = Spelling.lower();
  if (S == "euclid")
    return Metric::Euclidean;
  if (S == "dotproduct" || S == "inner")
    return Metric::DotProduct;
  if (S == "taxicab")
    return Metric::Manhattan;
  return std::nullopt;
}

namespace {
template <typename T> const T *lookup(const SchemaState::Map<T> &M, llvm::StringRef Name) {
  auto It = M.find(Name);
  return It == M.end() ? nullptr : It->second.get();
}

template <typename T> void insert(SchemaState::Map<T> &M, std::shared_ptr<const T> Entry) {
  std::string Name = Entry->Name;
  M.insert_or_assign(std::move(Name), std::move(Entry));
}

template <typename T> bool erase(SchemaState::Map<T> &M, llvm::StringRef Name) {
  auto It = M.find(Name);
  if (It == M.end())
    return false;
  M.erase(It);
  return true;
}

template <typename T> bool sameEntries(const SchemaState::Map<T> &A, const SchemaState::Map<T> &B) {
  if (A.size() != B.size())
    return false;
  for (auto IA = A.begin(), IB = B.begin(); IA != A.end(); ++IA, ++IB)
    if (IA->first != IB->first || (IA->second != IB->second && !(*IA->second == *IB->second)))
      return false;
  return true;
}
} // namespace

const RelationDef *SchemaState::relation(llvm::StringRef Name) const {
  return lookup(Relations, Name);
}
const DerivedDef *SchemaState::derivedRelation(llvm::StringRef Name) const {
  return lookup(Derived, Name);
}
const IndexDef *SchemaState::index(llvm::StringRef Name) const { return lookup(Indexes, Name); }
const ColumnList *SchemaState::columnsOf(llvm::StringRef Name) const {
  if (const RelationDef *R = relation(Name))
    return &R->Columns;
  if (const DerivedDef *D = derivedRelation(Name))
    return &D->Columns;
  return nullptr;
}

void SchemaState::put(std::shared_ptr<const RelationDef> R) { insert(Relations, std::move(R)); }
void SchemaState::put(std::shared_ptr<const DerivedDef> D) { insert(Derived, std::move(D)); }
void SchemaState::put(std::shared_ptr<const IndexDef> I) { insert(Indexes, std::move(I)); }
bool SchemaState::eraseRelation(llvm::StringRef Name) { return erase(Relations, Name); }
bool SchemaState::eraseDerived(llvm::StringRef Name) { return erase(Derived, Name); }
bool SchemaState::eraseIndex(llvm::StringRef Name) { return erase(Indexes, Name); }

bool strata::operator==(const ColumnDef &A, const ColumnDef &B) {
  return A.Name == B.Name && A.Ty == B.Ty;
}

static bool sameColumns(const ColumnList &A, const ColumnList &B) { return A.Columns == B.Columns; }

bool strata::operator==(const RelationDef &A, const RelationDef &B) {
  return A.Name == B.Name && sameColumns(A.Columns, B.Columns);
}

bool strata::operator==(const DerivedDef &A, const DerivedDef &B) {
  if (A.Name != B.Name || !sameColumns(A.Columns, B.Columns) ||
      A.Clauses.size() != B.Clauses.size())
    return false;
  for (size_t I = 0; I < A.Clauses.size(); ++I)
    if (A.Clauses[I] != B.Clauses[I] &&
        ast::toString(*A.Clauses[I]) != ast::toString(*B.Clauses[I]))
      return false;
  return true;
}

bool strata::operator==(const IndexDef &A, const IndexDef &B) {
  return A.Name == B.Name && A.Relation == B.Relation && A.Column == B.Column &&
         A.TheMetric == B.TheMetric && A.M == B.M && A.EfConstruction == B.EfConstruction &&
         A.EfSearch == B.EfSearch;
}

bool strata::operator==(const SchemaState &A, const SchemaState &B) {
  return sameEntries(A.Relations, B.Relations) && sameEntries(A.Derived, B.Derived) &&
         sameEntries(A.Indexes, B.Indexes);
}

void strata::printColumns(llvm::StringRef Name, const ColumnList &Columns, llvm::raw_ostream &OS) {
  OS << Name << '(';
  bool First = true;
  for (const ColumnDef &C : Columns.Columns) {
    OS << (First ? "" : ", ") << C.Name << ": ";
    C.Ty.print(OS);
    First = false;
  }
  OS << ')';
}

void strata::print(const IndexDef &I, llvm::raw_ostream &OS) {
  OS << "index " << I.Name << " on " << I.Relation << '(' << I.Column
     << ") hnsw(metric: " << metricName(I.TheMetric) << ", m: " << I.M
     << ", ef_construction: " << I.EfConstruction << ", ef_search: " << I.EfSearch << ')';
}

void SchemaState::dump(llvm::raw_ostream &OS) const {
  for (const auto &[Name, R] : Relations) {
    OS << "relation ";
    printColumns(Name, R->Columns, OS);
    OS << '\n';
  }
  for (const auto &[Name, D] : Derived) {
    OS << "derived ";
    printColumns(Name, D->Columns, OS);
    OS << '\n';
    for (const auto &C : D->Clauses) {
      OS << "  ";
      ast::print(*C, OS);
      OS << '\n';
    }
  }
  for (const auto &[Name, I] : Indexes) {
    print(*I, OS);
    OS << '\n';
  }
}
