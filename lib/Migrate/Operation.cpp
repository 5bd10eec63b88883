//===- Operation.cpp - Applying, inverting and describing operations ------===//
//
// apply() is Django's state_forwards plus the checks a reviewer would make:
// the operation must fit the state before it (what it creates is new, what
// it drops or changes exists and is as the file says), and the state after
// it must still check: no rule may read a relation or column that is gone
// or reshaped, and no index may sit on one.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/Operation.h"
#include "strata/AST/Printer.h"
#include "strata/Sema/Sema.h"
#include "llvm/Support/ErrorHandling.h"
#include <algorithm>

using namespace strata;

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
#define OPERATION(K, Name, Keyword, Marker, Tag)                                              \
  case Kind::K:                                                                               \
    return Name;
#include "strata/AST/Operations.def"
  }
  llvm_unreachable("kind not in Operations.def");
}

llvm::StringRef Operation::kindKeyword(Kind K) {
  switch (K) {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                              \
  case Kind::K:                                                                               \
    return Keyword;
#include "strata/AST/Operations.def"
  }
  llvm_unreachable("kind not in Operations.def");
}

char Operation::kindMarker(Kind K) {
  switch (K) {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                              \
  case Kind::K:                                                                               \
    return Marker;
#include "strata/AST/Operations.def"
  }
  llvm_unreachable("kind not in Operations.def");
}

// ---- Shared helpers ---------------------------------------------------------

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

namespace {
/// A readers table for a call that passed none.
struct ReadersFor {
  // A unique_ptr, not an optional: GCC 12 -O3 warns (wrongly) that the
  // optional's map may be used uninitialized.
  std::unique_ptr<RuleReaders> Own;
  RuleReaders *R;
  ReadersFor(const SchemaState &State, RuleReaders *Given) : R(Given) {
    if (!R) {
      Own = std::make_unique<RuleReaders>(State);
      R = Own.get();
    }
  }
  RuleReaders *operator->() { return R; }
};

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

/// The context an operation reports in.
struct Reporter {
  const Operation &Op;
  DiagnosticEngine &Diags;

  template <typename... Args> DiagnosticBuilder report(DiagKind K, Args &&...A) {
    return Diags.reportAt(K, Op.loc(), std::forward<Args>(A)...);
  }
  bool unknown(llvm::StringRef What, llvm::StringRef Name) {
    report(DiagKind::OpUnknownName, Op.describe(), What.str(), Name.str());
    return false;
  }
  bool exists(const SchemaState &State, llvm::StringRef Name) {
    const char *Kind = State.relation(Name) ? "relation" : "derived relation";
    report(DiagKind::OpNameExists, Op.describe(), Name.str(), std::string(Kind));
    return false;
  }
  bool mismatch(const std::string &Detail) {
    report(DiagKind::OpStateMismatch, Op.describe(), Detail);
    return false;
  }

  /// After Relation was dropped, renamed or reshaped: every rule reading it
  /// must still check against State. Skip: a reader that no longer exists.
  bool checkReaders(const SchemaState &State, RuleReaders &Readers, llvm::StringRef Relation,
                    llvm::StringRef Skip = "") {
    for (const std::string &Name : Readers.readersOf(Relation)) {
      const DerivedDef *D = State.derivedRelation(Name);
      if (!D || Name == Skip)
        continue;
      DiagnosticEngine Scratch(Diags.sourceMgr());
      std::vector<ast::Clause> Clauses = copyClauses(D->Clauses);
      if (checkClauses(ast::Ident{D->Name, D->Loc}, &D->Columns, Clauses,
                       RuleScope{State}, Scratch))
        continue;
      DiagnosticBuilder B =
          report(DiagKind::OpBreaksRule, Op.describe(), Name, Relation.str());
      if (D->Loc.isValid())
        B.noteAt(DiagKind::NoteDeclaredHere, D->Loc, Name);
      return false;
    }
    return true;
  }

  /// No index may sit on Relation (or on its column Column, when given).
  bool checkIndexes(const SchemaState &State, llvm::StringRef Relation,
                    llvm::StringRef Column = "") {
    for (const auto &Entry : State.indexes()) {
      const IndexDef &I = *Entry.second;
      if (I.Relation != Relation || (!Column.empty() && I.Column != Column))
        continue;
      report(DiagKind::OpBreaksIndex, Op.describe(), I.Name, I.Relation, I.Column);
      return false;
    }
    return true;
  }

  /// Negation or aggregation through recursion involving Name: checks the
  /// derived relations reachable from it (any cycle through Name lies
  /// among them), not the whole state.
  bool checkStrataAround(const SchemaState &State, llvm::StringRef Name) {
    SchemaState Sub;
    std::vector<const DerivedDef *> Work;
    if (const DerivedDef *D = State.derivedRelation(Name))
      Work.push_back(D);
    llvm::StringSet<> Seen;
    Seen.insert(Name);
    while (!Work.empty()) {
      const DerivedDef *D = Work.back();
      Work.pop_back();
      Sub.put(std::shared_ptr<const DerivedDef>(std::make_shared<DerivedDef>(*D)));
      forEachRead(*D, [&](const std::string &Rel) {
        if (const DerivedDef *Next = State.derivedRelation(Rel))
          if (Seen.insert(Rel).second)
            Work.push_back(Next);
      });
    }
    return checkStratification(Sub, Diags);
  }
};

std::shared_ptr<const RelationDef> makeRelation(std::string Name, ColumnList Columns,
                                                llvm::SMRange Loc) {
  auto R = std::make_shared<RelationDef>();
  R->Name = std::move(Name);
  R->Columns = std::move(Columns);
  R->Loc = Loc;
  return R;
}

/// The stored relation Name, reporting when there is none.
const RelationDef *storedRelation(const SchemaState &State, llvm::StringRef Name,
                                  Reporter &Rep) {
  const RelationDef *R = State.relation(Name);
  if (!R)
    Rep.unknown("relation", Name);
  return R;
}
} // namespace

// ---- Relations --------------------------------------------------------------

bool CreateRelation::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                             RuleReaders *) const {
  Reporter Rep{*this, Diags};
  if (State.hasRelationName(Name))
    return Rep.exists(State, Name);
  State.put(makeRelation(Name, Columns, loc()));
  return true;
}
OperationPtr CreateRelation::inverse() const {
  return std::make_shared<DropRelation>(Name, Columns);
}
std::string CreateRelation::describe() const { return "create relation " + Name; }
std::string CreateRelation::nameFragment() const { return "create_" + Name; }
void CreateRelation::print(llvm::raw_ostream &OS) const {
  OS << "create relation ";
  printColumns(Name, Columns, OS);
}

bool DropRelation::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                           RuleReaders *Given) const {
  Reporter Rep{*this, Diags};
  const RelationDef *R = storedRelation(State, Name, Rep);
  if (!R)
    return false;
  if (!(R->Columns.Columns == Columns.Columns))
    return Rep.mismatch("the relation is `" + columnsText(Name, R->Columns) + "`");
  if (!Rep.checkIndexes(State, Name))
    return false;
  ReadersFor Readers(State, Given);
  State.eraseRelation(Name);
  return Rep.checkReaders(State, *Readers.R, Name);
}
OperationPtr DropRelation::inverse() const {
  return std::make_shared<CreateRelation>(Name, Columns);
}
std::string DropRelation::describe() const { return "drop relation " + Name; }
std::string DropRelation::nameFragment() const { return "drop_" + Name; }
void DropRelation::print(llvm::raw_ostream &OS) const {
  OS << "drop relation ";
  printColumns(Name, Columns, OS);
}

bool RenameRelation::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                             RuleReaders *Given) const {
  Reporter Rep{*this, Diags};
  const RelationDef *R = storedRelation(State, From, Rep);
  if (!R)
    return false;
  if (State.hasRelationName(To))
    return Rep.exists(State, To);
  if (!Rep.checkIndexes(State, From))
    return false;
  ReadersFor Readers(State, Given);
  auto Renamed = makeRelation(To, R->Columns, R->Loc);
  State.eraseRelation(From);
  State.put(std::move(Renamed));
  return Rep.checkReaders(State, *Readers.R, From);
}
OperationPtr RenameRelation::inverse() const {
  return std::make_shared<RenameRelation>(To, From);
}
std::string RenameRelation::describe() const {
  return "rename relation " + From + " -> " + To;
}
std::string RenameRelation::nameFragment() const { return "rename_" + From + "_" + To; }
void RenameRelation::print(llvm::raw_ostream &OS) const {
  OS << "rename relation " << From << " -> " << To;
}

// ---- Columns ----------------------------------------------------------------

namespace {
/// Replaces relation R's columns and re-checks what depends on them.
bool reshape(SchemaState &State, const RelationDef &R, ColumnList Columns, Reporter &Rep,
             RuleReaders *Given) {
  ReadersFor Readers(State, Given);
  std::string Name = R.Name;
  State.put(makeRelation(Name, std::move(Columns), R.Loc));
  return Rep.checkReaders(State, *Readers.R, Name);
}
} // namespace

bool AddColumn::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                        RuleReaders *Readers) const {
  Reporter Rep{*this, Diags};
  const RelationDef *R = storedRelation(State, Relation, Rep);
  if (!R)
    return false;
  if (R->Columns.find(Column.Name)) {
    Rep.report(DiagKind::OpColumnExists, describe(), Relation, Column.Name);
    return false;
  }
  std::optional<size_t> At = insertionIndex(Place, R->Columns);
  if (!At) {
    Rep.report(DiagKind::OpUnknownColumn, describe(), Relation, Place.After);
    return false;
  }
  ColumnList Columns = R->Columns;
  Columns.Columns.insert(Columns.Columns.begin() + *At, Column);
  return reshape(State, *R, std::move(Columns), Rep, Readers);
}
OperationPtr AddColumn::inverse() const {
  return std::make_shared<DropColumn>(Relation, Column, Fill, Place);
}
std::string AddColumn::describe() const {
  return "add column " + Relation + "." + Column.Name;
}
std::string AddColumn::nameFragment() const {
  return "add_" + Relation + "_" + Column.Name;
}
void AddColumn::print(llvm::raw_ostream &OS) const {
  OS << "add column ";
  printColumnAndFill(Relation, Column, Fill, OS);
  printPlace(Place, OS);
}

bool DropColumn::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                         RuleReaders *Readers) const {
  Reporter Rep{*this, Diags};
  const RelationDef *R = storedRelation(State, Relation, Rep);
  if (!R)
    return false;
  std::optional<size_t> At = R->Columns.find(Column.Name);
  if (!At) {
    Rep.report(DiagKind::OpUnknownColumn, describe(), Relation, Column.Name);
    return false;
  }
  const ColumnDef &Old = R->Columns.Columns[*At];
  if (Old.Ty != Column.Ty)
    return Rep.mismatch("`" + Relation + "." + Column.Name + "` has type `" + Old.Ty.str() +
                        "`, not `" + Column.Ty.str() + "`");
  ColumnList Columns = R->Columns;
  Columns.Columns.erase(Columns.Columns.begin() + *At);
  // The recorded place must put the column back where it stood.
  std::optional<size_t> Back = insertionIndex(Place, Columns);
  if (!Back || *Back != *At)
    return Rep.mismatch("the column stands " +
                        placeText(ColumnPlace::of(R->Columns, *At)) + ", not " +
                        placeText(Place));
  if (Columns.Columns.empty()) {
    Rep.report(DiagKind::EmptyRelation, std::string("relation"), Relation);
    return false;
  }
  if (!Rep.checkIndexes(State, Relation, Column.Name))
    return false;
  return reshape(State, *R, std::move(Columns), Rep, Readers);
}
OperationPtr DropColumn::inverse() const {
  return std::make_shared<AddColumn>(Relation, Column, Fill, Place);
}
std::string DropColumn::describe() const {
  return "drop column " + Relation + "." + Column.Name;
}
std::string DropColumn::nameFragment() const {
  return "drop_" + Relation + "_" + Column.Name;
}
void DropColumn::print(llvm::raw_ostream &OS) const {
  OS << "drop column ";
  printColumnAndFill(Relation, Column, Fill, OS);
  printPlace(Place, OS);
}

bool RenameColumn::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                           RuleReaders *Readers) const {
  Reporter Rep{*this, Diags};
  const RelationDef *R = storedRelation(State, Relation, Rep);
  if (!R)
    return false;
  std::optional<size_t> At = R->Columns.find(From);
  if (!At) {
    Rep.report(DiagKind::OpUnknownColumn, describe(), Relation, From);
    return false;
  }
  if (R->Columns.find(To)) {
    Rep.report(DiagKind::OpColumnExists, describe(), Relation, To);
    return false;
  }
  if (!Rep.checkIndexes(State, Relation, From))
    return false;
  ColumnList Columns = R->Columns;
  Columns.Columns[*At].Name = To;
  return reshape(State, *R, std::move(Columns), Rep, Readers);
}
OperationPtr RenameColumn::inverse() const {
  return std::make_shared<RenameColumn>(Relation, To, From);
}
std::string RenameColumn::describe() const {
  return "rename column " + Relation + "." + From + " -> " + To;
}
std::string RenameColumn::nameFragment() const {
  return "rename_" + Relation + "_" + From + "_" + To;
}
void RenameColumn::print(llvm::raw_ostream &OS) const {
  OS << "rename column " << Relation << '.' << From << " -> " << To;
}

bool RetypeColumn::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                           RuleReaders *Readers) const {
  Reporter Rep{*this, Diags};
  const RelationDef *R = storedRelation(State, Relation, Rep);
  if (!R)
    return false;
  std::optional<size_t> At = R->Columns.find(Column);
  if (!At) {
    Rep.report(DiagKind::OpUnknownColumn, describe(), Relation, Column);
    return false;
  }
  const ColumnDef &Old = R->Columns.Columns[*At];
  if (Old.Ty != From)
    return Rep.mismatch("`" + Relation + "." + Column + "` has type `" + Old.Ty.str() +
                        "`, not `" + From.str() + "`");
  if (!Rep.checkIndexes(State, Relation, Column))
    return false;
  ColumnList Columns = R->Columns;
  Columns.Columns[*At].Ty = To;
  return reshape(State, *R, std::move(Columns), Rep, Readers);
}
OperationPtr RetypeColumn::inverse() const {
  return std::make_shared<RetypeColumn>(Relation, Column, To, From, Reverse, Using);
}
std::string RetypeColumn::describe() const {
  return "retype column " + Relation + "." + Column;
}
std::string RetypeColumn::nameFragment() const {
  return "retype_" + Relation + "_" + Column;
}
bool RetypeColumn::isDataSafe() const { return Using && Reverse; }
void RetypeColumn::print(llvm::raw_ostream &OS) const {
  OS << "retype column " << Relation << '.' << Column << ": ";
  From.print(OS);
  OS << " -> ";
  To.print(OS);
  printCast("using", Using, OS);
  printCast("reverse", Reverse, OS);
}

// ---- Rules ------------------------------------------------------------------

namespace {
std::shared_ptr<const DerivedDef> makeDerived(std::string Name, ColumnList Columns,
                                              ClauseList Clauses, llvm::SMRange Loc) {
  auto D = std::make_shared<DerivedDef>();
  D->Name = std::move(Name);
  D->Columns = std::move(Columns);
  D->Clauses = std::move(Clauses);
  D->Loc = Loc;
  return D;
}

/// Puts D in State (replacing Old, if any) and checks its clauses and the
/// stratification around it.
bool installRule(SchemaState &State, std::shared_ptr<const DerivedDef> D, const DerivedDef *Old,
                 Reporter &Rep, RuleReaders *Given) {
  ReadersFor Readers(State, Given);
  if (Old)
    Readers->remove(*Old);
  State.put(D);
  Readers->add(*D);
  std::vector<ast::Clause> Clauses = copyClauses(D->Clauses);
  if (!checkClauses(ast::Ident{D->Name, D->Loc}, &D->Columns, Clauses, RuleScope{State},
                    Rep.Diags))
    return false;
  return Rep.checkStrataAround(State, D->Name);
}

std::string clausesText(const ClauseList &Clauses) {
  std::string S;
  for (const auto &C : Clauses)
    S += (S.empty() ? "" : "; ") + ast::toString(*C);
  return S;
}
} // namespace

bool CreateRule::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                         RuleReaders *Readers) const {
  Reporter Rep{*this, Diags};
  if (State.hasRelationName(Name))
    return Rep.exists(State, Name);
  return installRule(State, makeDerived(Name, Columns, Clauses, loc()), nullptr, Rep, Readers);
}
OperationPtr CreateRule::inverse() const {
  return std::make_shared<DropRule>(Name, Columns, Clauses);
}
std::string CreateRule::describe() const { return "create rule " + Name; }
std::string CreateRule::nameFragment() const { return "create_" + Name; }
void CreateRule::print(llvm::raw_ostream &OS) const {
  OS << "create rule ";
  printColumns(Name, Columns, OS);
  OS << " {\n";
  printClauses(Clauses, OS);
  OS << '}';
}

bool DropRule::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                       RuleReaders *Given) const {
  Reporter Rep{*this, Diags};
  const DerivedDef *D = State.derivedRelation(Name);
  if (!D)
    return Rep.unknown("derived relation", Name);
  if (!(D->Columns.Columns == Columns.Columns))
    return Rep.mismatch("the derived relation is `" + columnsText(Name, D->Columns) + "`");
  if (!sameClauses(D->Clauses, Clauses))
    return Rep.mismatch("its clauses are `" + clausesText(D->Clauses) + "`");
  if (!Rep.checkIndexes(State, Name))
    return false;
  ReadersFor Readers(State, Given);
  Readers->remove(*D);
  State.eraseDerived(Name);
  return Rep.checkReaders(State, *Readers.R, Name);
}
OperationPtr DropRule::inverse() const {
  return std::make_shared<CreateRule>(Name, Columns, Clauses);
}
std::string DropRule::describe() const { return "drop rule " + Name; }
std::string DropRule::nameFragment() const { return "drop_" + Name; }
void DropRule::print(llvm::raw_ostream &OS) const {
  OS << "drop rule ";
  printColumns(Name, Columns, OS);
  OS << " {\n";
  printClauses(Clauses, OS);
  OS << '}';
}

bool ReplaceRule::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                          RuleReaders *Readers) const {
  Reporter Rep{*this, Diags};
  const DerivedDef *D = State.derivedRelation(Name);
  if (!D)
    return Rep.unknown("derived relation", Name);
  if (OldClauses && !sameClauses(D->Clauses, *OldClauses))
    return Rep.mismatch("its clauses are `" + clausesText(D->Clauses) + "`");
  std::shared_ptr<const DerivedDef> Old = State.derived().find(Name)->second;
  return installRule(State, makeDerived(Name, D->Columns, Clauses, D->Loc), Old.get(), Rep,
                     Readers);
}
OperationPtr ReplaceRule::inverse() const {
  if (!OldClauses)
    return nullptr;
  return std::make_shared<ReplaceRule>(Name, *OldClauses, Clauses);
}
std::string ReplaceRule::describe() const { return "replace rule " + Name; }
std::string ReplaceRule::nameFragment() const { return "replace_" + Name; }
void ReplaceRule::print(llvm::raw_ostream &OS) const {
  OS << "replace rule " << Name << " {\n";
  printClauses(Clauses, OS);
  OS << '}';
  if (OldClauses) {
    OS << " was {\n";
    printClauses(*OldClauses, OS);
    OS << '}';
  }
}

bool RenameRule::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                         RuleReaders *Given) const {
  Reporter Rep{*this, Diags};
  const DerivedDef *D = State.derivedRelation(From);
  if (!D)
    return Rep.unknown("derived relation", From);
  if (State.hasRelationName(To))
    return Rep.exists(State, To);
  if (!Rep.checkIndexes(State, From))
    return false;
  // Heads, and the atoms of a recursive rule reading itself, follow the name.
  ClauseList Clauses;
  for (const auto &C : D->Clauses) {
    auto Copy = std::make_shared<ast::Clause>(*C);
    Copy->Head.Name = To;
    for (ast::BodyLiteral &L : Copy->Body)
      if (L.TheKind != ast::BodyLiteral::Kind::Comparison && L.TheAtom.Relation.Name == From)
        L.TheAtom.Relation.Name = To;
    Clauses.push_back(std::move(Copy));
  }
  ReadersFor Readers(State, Given);
  auto Renamed = makeDerived(To, D->Columns, std::move(Clauses), D->Loc);
  Readers->remove(*D);
  State.eraseDerived(From);
  State.put(Renamed);
  Readers->add(*Renamed);
  return Rep.checkReaders(State, *Readers.R, From);
}
OperationPtr RenameRule::inverse() const { return std::make_shared<RenameRule>(To, From); }
std::string RenameRule::describe() const { return "rename rule " + From + " -> " + To; }
std::string RenameRule::nameFragment() const { return "rename_" + From + "_" + To; }
void RenameRule::print(llvm::raw_ostream &OS) const {
  OS << "rename rule " << From << " -> " << To;
}

// ---- Indexes ----------------------------------------------------------------

bool CreateIndex::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *) const {
  Reporter Rep{*this, Diags};
  if (State.index(Index.Name)) {
    Rep.report(DiagKind::OpNameExists, describe(), Index.Name, std::string("index"));
    return false;
  }
  const ColumnList *Columns = State.columnsOf(Index.Relation);
  if (!Columns) {
    Rep.report(DiagKind::IndexUnknownRelation, Index.Name, Index.Relation);
    return false;
  }
  std::optional<size_t> Col = Columns->find(Index.Column);
  if (!Col) {
    Rep.report(DiagKind::IndexUnknownColumn, Index.Name, Index.Relation, Index.Column);
    return false;
  }
  const Type &Ty = Columns->Columns[*Col].Ty;
  if (Ty.kind() != Type::Kind::Vector) {
    Rep.report(DiagKind::IndexColumnNotVector, Index.Name, Index.Relation, Index.Column,
               Ty.str());
    return false;
  }
  auto Def = std::make_shared<IndexDef>(Index);
  if (!Def->Loc.isValid())
    Def->Loc = loc();
  State.put(std::shared_ptr<const IndexDef>(std::move(Def)));
  return true;
}
OperationPtr CreateIndex::inverse() const { return std::make_shared<DropIndex>(Index); }
std::string CreateIndex::describe() const { return "create index " + Index.Name; }
std::string CreateIndex::nameFragment() const { return "create_" + Index.Name; }
void CreateIndex::print(llvm::raw_ostream &OS) const {
  OS << "create ";
  strata::print(Index, OS);
}

bool DropIndex::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *) const {
  Reporter Rep{*this, Diags};
  const IndexDef *I = State.index(Index.Name);
  if (!I)
    return Rep.unknown("index", Index.Name);
  if (!(*I == Index))
    return Rep.mismatch("the index is `" + indexText(*I) + "`");
  State.eraseIndex(Index.Name);
  return true;
}
OperationPtr DropIndex::inverse() const { return std::make_shared<CreateIndex>(Index); }
std::string DropIndex::describe() const { return "drop index " + Index.Name; }
std::string DropIndex::nameFragment() const { return "drop_" + Index.Name; }
void DropIndex::print(llvm::raw_ostream &OS) const {
  OS << "drop ";
  strata::print(Index, OS);
}

bool AlterIndex::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *) const {
  Reporter Rep{*this, Diags};
  const IndexDef *I = State.index(New.Name);
  if (!I)
    return Rep.unknown("index", New.Name);
  if (Old && !sameParams(*I, *Old))
    return Rep.mismatch("the index has `" + hnswOptions(*I) + "`");
  auto Def = std::make_shared<IndexDef>(*I);
  Def->TheMetric = New.TheMetric;
  Def->M = New.M;
  Def->EfConstruction = New.EfConstruction;
  Def->EfSearch = New.EfSearch;
  State.put(std::shared_ptr<const IndexDef>(std::move(Def)));
  return true;
}
OperationPtr AlterIndex::inverse() const {
  if (!Old)
    return nullptr;
  return std::make_shared<AlterIndex>(*Old, New);
}
std::string AlterIndex::describe() const { return "alter index " + New.Name; }
std::string AlterIndex::nameFragment() const { return "alter_" + New.Name; }
void AlterIndex::print(llvm::raw_ostream &OS) const {
  OS << "alter index " << New.Name << ' ' << hnswOptions(New);
  if (Old)
    OS << " was " << hnswOptions(*Old);
}

// ---- Raw IQL ----------------------------------------------------------------

OperationPtr RunIql::inverse() const {
  if (!Backward)
    return nullptr;
  return std::make_shared<RunIql>(*Backward, Forward);
}
void RunIql::print(llvm::raw_ostream &OS) const {
  OS << "run iql {\n";
  printIqlBlock("forward", Forward, OS);
  if (Backward)
    printIqlBlock("backward", *Backward, OS);
  OS << '}';
}
