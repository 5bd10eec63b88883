//===- Operation.cpp - What the operation kinds share -------------------------===//
//
// The kinds' names, the helpers the per-area files share (OperationImpl.h),
// and the dispatch from a parsed operation to its kind's builder. apply()
// is Django's state_forwards plus the checks a reviewer would make: the
// operation must fit the state before it (what it creates is new, what it
// drops or changes exists and is as the file says), and the state after it
// must still check: no rule may read a relation or column that is gone or
// reshaped, and no index may sit on one.
//
//===----------------------------------------------------------------------===//
#include "OperationImpl.h"
#include "strata/AST/Printer.h"
#include "strata/Sema/Sema.h"
#include "llvm/Support/ErrorHandling.h"
#include <algorithm>

using namespace strata;
using namespace strata::opimpl;

// ---- RuleReaders ------------------------------------------------------------

RuleReaders::RuleReaders(const SchemaState &State) {
  for (const auto &Entry : State.derived())
    add(*Entry.second);
}

namespace {
template <typename Fn> void forEachRead(const DerivedDef &D, Fn &&Each) {
  for (const auto &C : D.Clauses)
    for (const ast::BodyLiteral &L : C->Body)
      if (L.TheKind != ast::BodyLiteral::Kind::Comparison)
        Each(L.TheAtom.Relation.Name);
}
} // namespace

void RuleReaders::add(const DerivedDef &D) {
  forEachRead(D, [&](const std::string &Rel) { ++Readers[Rel][D.Name]; });
}

void RuleReaders::remove(const DerivedDef &D) {
  forEachRead(D, [&](const std::string &Rel) {
    auto It = Readers.find(Rel);
    if (It == Readers.end())
      return;
    auto R = It->second.find(D.Name);
    if (R != It->second.end() && --R->second == 0)
      It->second.erase(R);
    if (It->second.empty())
      Readers.erase(It);
  });
}

std::vector<std::string> RuleReaders::readersOf(llvm::StringRef Relation) const {
  std::vector<std::string> Out;
  auto It = Readers.find(Relation);
  if (It != Readers.end())
    for (const auto &Entry : It->second)
      Out.push_back(Entry.getKey().str());
  std::sort(Out.begin(), Out.end());
  return Out;
}

// ---- Kinds ------------------------------------------------------------------

llvm::StringRef Operation::kindName(Kind K) {
  switch (K) {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  case Kind::K:                                                                                    \
    return Name;
#include "strata/AST/Operations.def"
  }
  llvm_unreachable("kind not in Operations.def");
}

llvm::StringRef Operation::kindKeyword(Kind K) {
  switch (K) {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  case Kind::K:                                                                                    \
    return Keyword;
#include "strata/AST/Operations.def"
  }
  llvm_unreachable("kind not in Operations.def");
}

char Operation::kindMarker(Kind K) {
  switch (K) {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  case Kind::K:                                                                                    \
    return Marker;
#include "strata/AST/Operations.def"
  }
  llvm_unreachable("kind not in Operations.def");
}

// ---- Shared by the per-area files --------------------------------------------

std::string Operation::str() const {
  std::string S;
  llvm::raw_string_ostream OS(S);
  print(OS);
  return OS.str();
}

ColumnPlace ColumnPlace::of(const ColumnList &Columns, size_t Index) {
  if (Index == 0)
    return first();
  if (Index + 1 >= Columns.size())
    return end();
  return after(Columns.Columns[Index - 1].Name);
}

namespace strata::opimpl {

std::string columnsText(llvm::StringRef Name, const ColumnList &Columns) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printColumns(Name, Columns, OS);
  return OS.str();
}

std::string indexText(const IndexDef &I) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  print(I, OS);
  return OS.str();
}

std::string hnswOptions(const IndexDef &I) {
  return "hnsw(metric: " + metricName(I.TheMetric).str() + ", m: " + std::to_string(I.M) +
         ", ef_construction: " + std::to_string(I.EfConstruction) +
         ", ef_search: " + std::to_string(I.EfSearch) + ")";
}

bool sameParams(const IndexDef &A, const IndexDef &B) {
  return A.TheMetric == B.TheMetric && A.M == B.M && A.EfConstruction == B.EfConstruction &&
         A.EfSearch == B.EfSearch;
}

bool sameClauses(const ClauseList &A, const ClauseList &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A[I] != B[I] && ast::toString(*A[I]) != ast::toString(*B[I]))
      return false;
  return true;
}

std::vector<ast::Clause> copyClauses(const ClauseList &Clauses) {
  std::vector<ast::Clause> Out;
  Out.reserve(Clauses.size());
  for (const auto &C : Clauses)
    Out.push_back(*C);
  return Out;
}

void printClauses(const ClauseList &Clauses, llvm::raw_ostream &OS) {
  for (const auto &C : Clauses) {
    OS << "  ";
    ast::print(*C, OS);
    OS << '\n';
  }
}

void printPlace(const ColumnPlace &P, llvm::raw_ostream &OS) {
  if (P.TheKind == ColumnPlace::Kind::First)
    OS << " first";
  else if (P.TheKind == ColumnPlace::Kind::After)
    OS << " after " << P.After;
}

void printColumnAndFill(const std::string &Relation, const ColumnDef &C,
                        const std::optional<ast::Expr> &Fill, llvm::raw_ostream &OS) {
  OS << Relation << '.' << C.Name << ": ";
  C.Ty.print(OS);
  if (Fill) {
    OS << " = ";
    ast::print(*Fill, OS);
  }
}

void printCast(const char *Keyword, const std::optional<Cast> &C, llvm::raw_ostream &OS) {
  if (!C)
    return;
  OS << ' ' << Keyword << ' ' << C->Var << " => ";
  ast::print(C->Body, OS);
}

/// The body of a `forward` or `backward` block: one line stays inline;
/// several lines are re-indented as a block, keeping relative indentation.
void printIqlBlock(const char *Keyword, llvm::StringRef Text, llvm::raw_ostream &OS) {
  llvm::SmallVector<llvm::StringRef, 8> Lines;
  Text.split(Lines, '\n');
  while (!Lines.empty() && Lines.back().trim().empty())
    Lines.pop_back();
  while (!Lines.empty() && Lines.front().trim().empty())
    Lines.erase(Lines.begin());
  OS << "  " << Keyword << " {";
  if (Lines.size() <= 1 && Text.find("//") == llvm::StringRef::npos) {
    if (!Lines.empty())
      OS << ' ' << Lines.front().trim() << ' ';
    OS << "}\n";
    return;
  }
  size_t Base = std::string::npos;
  for (size_t I = 1; I < Lines.size(); ++I) // the first line may share `{`'s line
    if (!Lines[I].trim().empty())
      Base = std::min(Base, Lines[I].size() - Lines[I].ltrim().size());
  if (Base == std::string::npos)
    Base = 0;
  OS << '\n';
  for (size_t I = 0; I < Lines.size(); ++I) {
    llvm::StringRef L = Lines[I].rtrim();
    if (L.trim().empty()) {
      OS << '\n';
      continue;
    }
    size_t Lead = L.size() - L.ltrim().size();
    size_t Offset = I == 0 ? 0 : Lead - std::min(Lead, Base);
    OS << "    " << std::string(Offset, ' ') << L.ltrim() << '\n';
  }
  OS << "  }\n";
}

/// Where a place puts a column in Columns (which does not hold it).
std::optional<size_t> insertionIndex(const ColumnPlace &P, const ColumnList &Columns) {
  switch (P.TheKind) {
  case ColumnPlace::Kind::End:
    return Columns.size();
  case ColumnPlace::Kind::First:
    return 0;
  case ColumnPlace::Kind::After:
    if (std::optional<size_t> I = Columns.find(P.After))
      return *I + 1;
    return std::nullopt;
  }
  return std::nullopt;
}

std::string placeText(const ColumnPlace &P) {
  switch (P.TheKind) {
  case ColumnPlace::Kind::End:
    return "at the end";
  case ColumnPlace::Kind::First:
    return "first";
  case ColumnPlace::Kind::After:
    return "after `" + P.After + "`";
  }
  return "";
}

bool Reporter::checkReaders(const SchemaState &State, RuleReaders &Readers,
                            llvm::StringRef Relation, llvm::StringRef Skip,
                            llvm::function_ref<bool(const DerivedDef &)> Unaffected) {
  for (const std::string &Name : Readers.readersOf(Relation)) {
    const DerivedDef *D = State.derivedRelation(Name);
    if (!D || Name == Skip || (Unaffected && Unaffected(*D)))
      continue;
    DiagnosticEngine Scratch(Diags.sourceMgr());
    std::vector<ast::Clause> Clauses = copyClauses(D->Clauses);
    if (checkClauses(ast::Ident{D->Name, D->Loc}, &D->Columns, Clauses, RuleScope{State}, Scratch))
      continue;
    DiagnosticBuilder B = report(DiagKind::OpBreaksRule, Op.describe(), Name, Relation.str());
    if (D->Loc.isValid())
      B.noteAt(DiagKind::NoteDeclaredHere, D->Loc, Name);
    return false;
  }
  return true;
}
bool Reporter::checkIndexes(const SchemaState &State, llvm::StringRef Relation,
                            llvm::StringRef Column) {
  for (const auto &Entry : State.indexes()) {
    const IndexDef &I = *Entry.second;
    if (I.Relation != Relation || (!Column.empty() && I.Column != Column))
      continue;
    report(DiagKind::OpBreaksIndex, Op.describe(), I.Name, I.Relation, I.Column);
    return false;
  }
  return true;
}
namespace {
/// Whether a clause of D negates an atom or aggregates in its head: the
/// only edges stratification can reject.
bool negatesOrAggregates(const DerivedDef &D) {
  for (const auto &C : D.Clauses) {
    for (const ast::HeadArg &A : C->HeadArgs)
      if (A.IsAggregate)
        return true;
    for (const ast::BodyLiteral &L : C->Body)
      if (L.TheKind == ast::BodyLiteral::Kind::Negated)
        return true;
  }
  return false;
}
} // namespace

bool Reporter::checkStrataAround(const SchemaState &State, llvm::StringRef Name) {
  std::vector<const DerivedDef *> Around, Work;
  if (const DerivedDef *D = State.derivedRelation(Name))
    Work.push_back(D);
  llvm::StringSet<> Seen;
  Seen.insert(Name);
  bool MayReject = false;
  while (!Work.empty()) {
    const DerivedDef *D = Work.back();
    Work.pop_back();
    Around.push_back(D);
    MayReject |= negatesOrAggregates(*D);
    forEachRead(*D, [&](const std::string &Rel) {
      if (const DerivedDef *Next = State.derivedRelation(Rel))
        if (Seen.insert(Rel).second)
          Work.push_back(Next);
    });
  }
  // Without a negation or an aggregation among them, no cycle can break
  // stratification: nothing to build the check for.
  if (!MayReject)
    return true;
  SchemaState Sub;
  for (const DerivedDef *D : Around)
    Sub.put(std::shared_ptr<const DerivedDef>(std::make_shared<DerivedDef>(*D)));
  return checkStratification(Sub, Diags);
}
std::shared_ptr<const RelationDef> makeRelation(std::string Name, ColumnList Columns,
                                                llvm::SMRange Loc) {
  auto R = std::make_shared<RelationDef>();
  R->Name = std::move(Name);
  R->Columns = std::move(Columns);
  R->Loc = Loc;
  return R;
}

/// The stored relation Name, reporting when there is none.
const RelationDef *storedRelation(const SchemaState &State, llvm::StringRef Name, Reporter &Rep) {
  const RelationDef *R = State.relation(Name);
  if (!R)
    Rep.unknown("relation", Name);
  return R;
}

} // namespace strata::opimpl

// ---- From parsed operations -------------------------------------------------------

OperationPtr strata::buildOperation(ast::Operation &&Op, DiagnosticEngine &Diags) {
  switch (static_cast<Operation::Kind>(Op.Body.index())) {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  case Operation::Kind::K:                                                                         \
    return build##K(std::get<ast::K##Op>(std::move(Op.Body)), Op.Range, Diags);
#include "strata/AST/Operations.def"
  }
  llvm_unreachable("kind not in Operations.def");
}

OperationPtr strata::buildOperation(const ast::Operation &Op, DiagnosticEngine &Diags) {
  return buildOperation(ast::Operation(Op), Diags);
}
