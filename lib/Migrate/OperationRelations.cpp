//===- OperationRelations.cpp - Creating, dropping and renaming relations ---===//
//
// Each kind: built from its parsed form, applied to a schema state,
// inverted, described and printed (see OperationImpl.h).
//
//===----------------------------------------------------------------------===//
#include "OperationImpl.h"
#include "strata/AST/Printer.h"
#include "strata/Sema/Sema.h"

using namespace strata;
using namespace strata::opimpl;

OperationPtr opimpl::buildCreateRelation(ast::CreateRelationOp &&O, llvm::SMRange Loc,
                                         DiagnosticEngine &Diags) {
  bool NameOk = checkDeclaredName(O.Name, NameKind::Relation, Diags);
  std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Relation, Diags);
  if (!NameOk || !Cols)
    return nullptr;
  return std::make_shared<CreateRelation>(O.Name.Name, std::move(*Cols), Loc);
}

bool CreateRelation::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *) const {
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
std::vector<std::string> CreateRelation::touches(bool) const { return {Name}; }
void CreateRelation::print(llvm::raw_ostream &OS) const {
  OS << "create relation ";
  printColumns(Name, Columns, OS);
}

OperationPtr opimpl::buildDropRelation(ast::DropRelationOp &&O, llvm::SMRange Loc,
                                       DiagnosticEngine &Diags) {
  std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Relation, Diags);
  if (!Cols)
    return nullptr;
  return std::make_shared<DropRelation>(O.Name.Name, std::move(*Cols), Loc);
}

bool DropRelation::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Given) const {
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
std::vector<std::string> DropRelation::touches(bool) const { return {Name}; }
void DropRelation::print(llvm::raw_ostream &OS) const {
  OS << "drop relation ";
  printColumns(Name, Columns, OS);
}

OperationPtr opimpl::buildRenameRelation(ast::RenameRelationOp &&O, llvm::SMRange Loc,
                                         DiagnosticEngine &Diags) {
  // A swap goes through a temporary name (checkTemporaryRenames).
  if (!checkDeclaredName(O.To, NameKind::Relation, Diags, /*AllowTemporary=*/true))
    return nullptr;
  return std::make_shared<RenameRelation>(O.From.Name, O.To.Name, Loc);
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
OperationPtr RenameRelation::inverse() const { return std::make_shared<RenameRelation>(To, From); }
std::string RenameRelation::describe() const { return "rename relation " + From + " -> " + To; }
std::string RenameRelation::nameFragment() const { return "rename_" + From + "_" + To; }
std::vector<std::string> RenameRelation::touches(bool) const { return {From, To}; }
void RenameRelation::print(llvm::raw_ostream &OS) const {
  OS << "rename relation " << From << " -> " << To;
}
