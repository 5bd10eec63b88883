//===- OperationColumns.cpp - Adding, dropping, renaming, retyping, reordering ===//
//
// Each kind: built from its parsed form, applied to a schema state,
// inverted, described and printed (see OperationImpl.h).
//
//===----------------------------------------------------------------------===//
#include "OperationImpl.h"
#include "strata/AST/Printer.h"
#include "strata/IQL/Builtins.h"
#include "strata/Sema/Sema.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata;
using namespace strata::opimpl;

namespace {
ColumnPlace place(const std::optional<ast::ColumnPosition> &P) {
  if (!P)
    return ColumnPlace::end();
  return P->First ? ColumnPlace::first() : ColumnPlace::after(P->After.Name);
}

std::optional<Cast> cast(const std::optional<ast::CastExpr> &C) {
  if (!C)
    return std::nullopt;
  return Cast{C->Var.Name, C->Body};
}
} // namespace

namespace {
/// Replaces relation R's columns and re-checks what depends on them (but
/// the readers Unaffected tells apart).
bool reshape(SchemaState &State, const RelationDef &R, ColumnList Columns, Reporter &Rep,
             RuleReaders *Given,
             llvm::function_ref<bool(const DerivedDef &)> Unaffected = nullptr) {
  ReadersFor Readers(State, Given);
  std::string Name = R.Name;
  State.put(makeRelation(Name, std::move(Columns), R.Loc));
  return Rep.checkReaders(State, *Readers.R, Name, "", Unaffected);
}

/// Whether D reads Relation only by column name (`rel(col: X)`) and
/// searches no index. A column added to Relation then changes nothing D's
/// check looks at: named arguments find the same columns with the same
/// types, and no other relation changed. So D, which checked against the
/// state before, still checks, and a history's replay need not check it
/// again after every `add column`. (An index search is left to the check:
/// its index is not among what a rule's readers follow.)
bool readsOnlyByName(const DerivedDef &D, llvm::StringRef Relation) {
  for (const auto &C : D.Clauses)
    for (const ast::BodyLiteral &L : C->Body) {
      if (L.TheKind == ast::BodyLiteral::Kind::Comparison)
        continue;
      const ast::Atom &A = L.TheAtom;
      if (iql::isIndexSearch(A.Relation.Name) || (A.Relation.Name == Relation && !A.IsNamed))
        return false;
    }
  return true;
}
} // namespace

OperationPtr opimpl::buildAddColumn(ast::AddColumnOp &&O, llvm::SMRange Loc,
                                    DiagnosticEngine &Diags) {
  std::optional<Type> Ty = resolveType(O.Type, Diags);
  if (!Ty ||
      (O.Fill && !checkFillValue(*O.Fill, *Ty, O.Relation.Name + "." + O.Column.Name, Diags)))
    return nullptr;
  return std::make_shared<AddColumn>(O.Relation.Name, ColumnDef{O.Column.Name, *Ty, O.Column.Range},
                                     O.Fill, place(O.Position), Loc);
}

bool AddColumn::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const {
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
  std::string Name = Relation;
  return reshape(State, *R, std::move(Columns), Rep, Readers,
                 [&Name](const DerivedDef &D) { return readsOnlyByName(D, Name); });
}
OperationPtr AddColumn::inverse() const {
  return std::make_shared<DropColumn>(Relation, Column, Fill, Place);
}
std::string AddColumn::describe() const { return "add column " + Relation + "." + Column.Name; }
std::string AddColumn::nameFragment() const { return "add_" + Relation + "_" + Column.Name; }
std::vector<std::string> AddColumn::touches(bool) const { return {Relation + "." + Column.Name}; }
void AddColumn::print(llvm::raw_ostream &OS) const {
  OS << "add column ";
  printColumnAndFill(Relation, Column, Fill, OS);
  printPlace(Place, OS);
}

OperationPtr opimpl::buildDropColumn(ast::DropColumnOp &&O, llvm::SMRange Loc,
                                     DiagnosticEngine &Diags) {
  std::optional<Type> Ty = resolveType(O.Type, Diags);
  if (!Ty ||
      (O.Fill && !checkFillValue(*O.Fill, *Ty, O.Relation.Name + "." + O.Column.Name, Diags)))
    return nullptr;
  return std::make_shared<DropColumn>(O.Relation.Name,
                                      ColumnDef{O.Column.Name, *Ty, O.Column.Range}, O.Fill,
                                      place(O.Position), Loc);
}

bool DropColumn::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const {
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
    return Rep.mismatch("the column stands " + placeText(ColumnPlace::of(R->Columns, *At)) +
                        ", not " + placeText(Place));
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
std::string DropColumn::describe() const { return "drop column " + Relation + "." + Column.Name; }
std::string DropColumn::nameFragment() const { return "drop_" + Relation + "_" + Column.Name; }
std::vector<std::string> DropColumn::touches(bool) const { return {Relation + "." + Column.Name}; }
void DropColumn::print(llvm::raw_ostream &OS) const {
  OS << "drop column ";
  printColumnAndFill(Relation, Column, Fill, OS);
  printPlace(Place, OS);
}

OperationPtr opimpl::buildRenameColumn(ast::RenameColumnOp &&O, llvm::SMRange Loc,
                                       DiagnosticEngine &Diags) {
  return std::make_shared<RenameColumn>(O.Relation.Name, O.Column.Name, O.To.Name, Loc);
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
std::vector<std::string> RenameColumn::touches(bool) const {
  return {Relation + "." + From, Relation + "." + To};
}
void RenameColumn::print(llvm::raw_ostream &OS) const {
  OS << "rename column " << Relation << '.' << From << " -> " << To;
}

OperationPtr opimpl::buildRetypeColumn(ast::RetypeColumnOp &&O, llvm::SMRange Loc,
                                       DiagnosticEngine &Diags) {
  std::optional<Type> From = resolveType(O.From, Diags);
  std::optional<Type> To = resolveType(O.To, Diags);
  if (!From || !To)
    return nullptr;
  return std::make_shared<RetypeColumn>(O.Relation.Name, O.Column.Name, *From, *To, cast(O.Using),
                                        cast(O.Reverse), Loc);
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
    return Rep.mismatch("`" + Relation + "." + Column + "` has type `" + Old.Ty.str() + "`, not `" +
                        From.str() + "`");
  if (!Rep.checkIndexes(State, Relation, Column))
    return false;
  ColumnList Columns = R->Columns;
  Columns.Columns[*At].Ty = To;
  return reshape(State, *R, std::move(Columns), Rep, Readers);
}
OperationPtr RetypeColumn::inverse() const {
  return std::make_shared<RetypeColumn>(Relation, Column, To, From, Reverse, Using);
}
std::string RetypeColumn::describe() const { return "retype column " + Relation + "." + Column; }
std::string RetypeColumn::nameFragment() const { return "retype_" + Relation + "_" + Column; }
std::vector<std::string> RetypeColumn::touches(bool) const { return {Relation + "." + Column}; }
bool RetypeColumn::isDataSafe() const { return Using && Reverse; }
void RetypeColumn::print(llvm::raw_ostream &OS) const {
  OS << "retype column " << Relation << '.' << Column << ": ";
  From.print(OS);
  OS << " -> ";
  To.print(OS);
  printCast("using", Using, OS);
  printCast("reverse", Reverse, OS);
}

namespace {
std::string namesText(const std::vector<std::string> &Names) {
  return "(" + llvm::join(Names, ", ") + ")";
}

std::vector<std::string> names(const std::vector<ast::Ident> &Ids) {
  std::vector<std::string> Out;
  for (const ast::Ident &I : Ids)
    Out.push_back(I.Name);
  return Out;
}

/// The first name of List written twice, reported with where it first stood.
bool checkNoDuplicate(const ast::ReorderColumnsOp &O, const std::vector<ast::Ident> &List,
                      DiagnosticEngine &Diags) {
  for (size_t I = 0; I < List.size(); ++I)
    for (size_t J = 0; J < I; ++J)
      if (List[J].Name == List[I].Name) {
        Diags
            .reportAt(DiagKind::ReorderDuplicateColumn, List[I].Range, O.Relation.Name,
                      List[I].Name)
            .note(DiagKind::NoteFirstUsedHere, List[J].loc(), List[J].Name);
        return false;
      }
  return true;
}
} // namespace

OperationPtr opimpl::buildReorderColumns(ast::ReorderColumnsOp &&O, llvm::SMRange Loc,
                                         DiagnosticEngine &Diags) {
  if (!checkNoDuplicate(O, O.From, Diags) || !checkNoDuplicate(O, O.To, Diags))
    return nullptr;
  std::vector<std::string> From = names(O.From), To = names(O.To);
  // Without duplicates, the two lists are one order and another when they
  // are as long and every name after `->` stands before it.
  const ast::Ident *Stray = nullptr;
  for (const ast::Ident &T : O.To)
    if (!Stray && !llvm::is_contained(From, T.Name))
      Stray = &T;
  if (Stray || From.size() != To.size()) {
    llvm::SMRange At = Stray ? Stray->Range : O.To.empty() ? Loc : O.To.back().Range;
    Diags.reportAt(DiagKind::ReorderColumnsDiffer, At, O.Relation.Name, namesText(From),
                   namesText(To));
    return nullptr;
  }
  return std::make_shared<ReorderColumns>(O.Relation.Name, std::move(From), std::move(To), Loc);
}

bool ReorderColumns::applyTo(SchemaState &State, DiagnosticEngine &Diags,
                             RuleReaders *Readers) const {
  Reporter Rep{*this, Diags};
  const RelationDef *R = storedRelation(State, Relation, Rep);
  if (!R)
    return false;
  std::vector<std::string> Now;
  for (const ColumnDef &C : R->Columns.Columns)
    Now.push_back(C.Name);
  for (const std::string &Name : From)
    if (!R->Columns.find(Name)) {
      Rep.report(DiagKind::OpUnknownColumn, describe(), Relation, Name);
      return false;
    }
  // The order before must be the whole relation as it stands, so that the
  // inverse puts every column back.
  if (Now != From)
    return Rep.mismatch("the columns of `" + Relation + "` are " + namesText(Now) + ", not " +
                        namesText(From));
  ColumnList Columns;
  for (const std::string &Name : To)
    Columns.Columns.push_back(R->Columns.Columns[*R->Columns.find(Name)]);
  return reshape(State, *R, std::move(Columns), Rep, Readers);
}
OperationPtr ReorderColumns::inverse() const {
  return std::make_shared<ReorderColumns>(Relation, To, From);
}
std::string ReorderColumns::describe() const { return "reorder columns " + Relation; }
std::string ReorderColumns::nameFragment() const { return "reorder_" + Relation; }
std::vector<std::string> ReorderColumns::touches(bool) const { return {Relation}; }
void ReorderColumns::print(llvm::raw_ostream &OS) const {
  OS << "reorder columns " << Relation << namesText(From) << " -> " << namesText(To);
}
