//===- SchemaDiff.cpp - The schema before and after, per relation ---------===//
//
// Each relation is written as lines (its columns, then the indexes on it;
// a derived relation's columns, then its clauses) before and after the
// migration, and the two lists are diffed. A column the migration adds
// with a fill value shows it (`level: int = 1`): the value the facts
// already there receive, which the state itself does not keep.
//
//===----------------------------------------------------------------------===//
#include "SchemaDiff.h"
#include "strata/AST/Printer.h"
#include "strata/Review/Review.h"
#include <set>

using namespace strata;
using namespace strata::review;

std::vector<DiffLine> review::diffLines(const std::vector<std::string> &Before,
                                        const std::vector<std::string> &After) {
  size_t N = Before.size(), M = After.size();
  // Lcs[I][J]: the longest common subsequence of Before[I..] and After[J..].
  std::vector<std::vector<unsigned>> Lcs(N + 1, std::vector<unsigned>(M + 1, 0));
  for (size_t I = N; I-- > 0;)
    for (size_t J = M; J-- > 0;)
      Lcs[I][J] =
          Before[I] == After[J] ? Lcs[I + 1][J + 1] + 1 : std::max(Lcs[I + 1][J], Lcs[I][J + 1]);
  std::vector<DiffLine> Out;
  size_t I = 0, J = 0;
  while (I < N || J < M) {
    if (I < N && J < M && Before[I] == After[J]) {
      Out.push_back({' ', Before[I++]});
      ++J;
    } else if (I < N && (J == M || Lcs[I + 1][J] >= Lcs[I][J + 1])) {
      Out.push_back({'-', Before[I++]});
    } else {
      Out.push_back({'+', After[J++]});
    }
  }
  return Out;
}

namespace {
/// The fill values of the columns M adds, by `relation.column`.
std::map<std::string, std::string> fillsOf(const Migration &M) {
  std::map<std::string, std::string> Out;
  for (const OperationPtr &Op : M.Operations)
    if (const auto *A = llvm::dyn_cast<AddColumn>(Op.get()); A && A->Fill)
      Out[A->Relation + "." + A->Column.Name] = ast::toString(*A->Fill);
  return Out;
}

void columnLines(const std::string &Rel, const ColumnList &Columns,
                 const std::map<std::string, std::string> *Fills, std::vector<std::string> &Out) {
  for (const ColumnDef &C : Columns.Columns) {
    std::string Line = C.Name + ": " + C.Ty.str();
    if (Fills)
      if (auto It = Fills->find(Rel + "." + C.Name); It != Fills->end())
        Line += " = " + It->second;
    Out.push_back(Line);
  }
}

/// The lines of object Name in S (empty when S has no such object).
std::vector<std::string> linesOf(const SchemaState &S, ObjectDiff::Kind K, const std::string &Name,
                                 const std::map<std::string, std::string> *Fills) {
  std::vector<std::string> Out;
  if (K == ObjectDiff::Kind::Relation) {
    const RelationDef *R = S.relation(Name);
    if (!R)
      return Out;
    columnLines(Name, R->Columns, Fills, Out);
  } else {
    const DerivedDef *D = S.derivedRelation(Name);
    if (!D)
      return Out;
    columnLines(Name, D->Columns, nullptr, Out);
    for (const auto &C : D->Clauses)
      Out.push_back(ast::toString(*C));
  }
  for (const auto &[IndexName, I] : S.indexes())
    if (I->Relation == Name) {
      std::string Line;
      llvm::raw_string_ostream OS(Line);
      print(*I, OS);
      Out.push_back(OS.str());
    }
  return Out;
}

void diffKind(const SchemaState &Before, const SchemaState &After, ObjectDiff::Kind K,
              const std::set<std::string> &Names, const std::map<std::string, std::string> &Fills,
              std::vector<ObjectDiff> &Out) {
  for (const std::string &Name : Names) {
    bool WasThere = K == ObjectDiff::Kind::Relation ? Before.relation(Name) != nullptr
                                                    : Before.derivedRelation(Name) != nullptr;
    bool IsThere = K == ObjectDiff::Kind::Relation ? After.relation(Name) != nullptr
                                                   : After.derivedRelation(Name) != nullptr;
    std::vector<std::string> Old = linesOf(Before, K, Name, nullptr);
    std::vector<std::string> New = linesOf(After, K, Name, &Fills);
    if (WasThere && IsThere && Old == New)
      continue;
    ObjectDiff D;
    D.TheKind = K;
    D.Name = Name;
    D.TheChange = !WasThere  ? ObjectDiff::Change::Added
                  : !IsThere ? ObjectDiff::Change::Removed
                             : ObjectDiff::Change::Changed;
    D.Lines = diffLines(Old, New);
    Out.push_back(std::move(D));
  }
}
} // namespace

std::vector<ObjectDiff> review::diffSchema(const SchemaState &Before, const SchemaState &After,
                                           const Migration &M) {
  std::set<std::string> Relations, Derived;
  for (const SchemaState *S : {&Before, &After}) {
    for (const auto &Entry : S->relations())
      Relations.insert(Entry.first);
    for (const auto &Entry : S->derived())
      Derived.insert(Entry.first);
  }
  std::map<std::string, std::string> Fills = fillsOf(M);
  std::vector<ObjectDiff> Out;
  diffKind(Before, After, ObjectDiff::Kind::Relation, Relations, Fills, Out);
  diffKind(Before, After, ObjectDiff::Kind::Derived, Derived, Fills, Out);
  return Out;
}
