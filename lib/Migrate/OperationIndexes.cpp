//===- OperationIndexes.cpp - Creating, dropping and altering indexes -------===//
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

namespace {
/// The index, then (with Reads) the column it sits on.
std::vector<std::string> withColumn(const IndexDef &Index, bool Reads) {
  std::vector<std::string> Out{"index:" + Index.Name};
  if (Reads)
    Out.push_back(Index.Relation + "." + Index.Column);
  return Out;
}

std::optional<IndexDef> index(const ast::IndexDecl &D, DiagnosticEngine &Diags) {
  IndexDef Def;
  Def.Name = D.Name.Name;
  Def.Relation = D.Relation.Name;
  Def.Column = D.Column.Name;
  Def.Loc = D.Name.Range;
  if (!applyIndexOptions(D.Options, Def, Diags))
    return std::nullopt;
  return Def;
}
} // namespace

OperationPtr opimpl::buildCreateIndex(ast::CreateIndexOp &&O, llvm::SMRange Loc,
                                      DiagnosticEngine &Diags) {
  bool NameOk = checkDeclaredName(O.Index.Name, NameKind::Index, Diags);
  std::optional<IndexDef> Def = index(O.Index, Diags);
  if (!NameOk || !Def)
    return nullptr;
  return std::make_shared<CreateIndex>(std::move(*Def), Loc);
}

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
    Rep.report(DiagKind::IndexColumnNotVector, Index.Name, Index.Relation, Index.Column, Ty.str());
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
std::vector<std::string> CreateIndex::touches(bool Reads) const { return withColumn(Index, Reads); }
void CreateIndex::print(llvm::raw_ostream &OS) const {
  OS << "create ";
  strata::print(Index, OS);
}

OperationPtr opimpl::buildDropIndex(ast::DropIndexOp &&O, llvm::SMRange Loc,
                                    DiagnosticEngine &Diags) {
  std::optional<IndexDef> Def = index(O.Index, Diags);
  if (!Def)
    return nullptr;
  return std::make_shared<DropIndex>(std::move(*Def), Loc);
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
std::vector<std::string> DropIndex::touches(bool Reads) const { return withColumn(Index, Reads); }
void DropIndex::print(llvm::raw_ostream &OS) const {
  OS << "drop ";
  strata::print(Index, OS);
}

OperationPtr opimpl::buildAlterIndex(ast::AlterIndexOp &&O, llvm::SMRange Loc,
                                     DiagnosticEngine &Diags) {
  // The relation and column are the index's own; apply() takes them from
  // the state. Options start from the defaults: an empty list means them.
  IndexDef New;
  New.Name = O.Name.Name;
  New.Loc = O.Name.Range;
  bool Ok = applyIndexOptions(O.Options, New, Diags);
  std::optional<IndexDef> Old;
  if (O.OldOptions) {
    Old.emplace();
    Old->Name = O.Name.Name;
    Ok &= applyIndexOptions(*O.OldOptions, *Old, Diags);
  }
  if (!Ok)
    return nullptr;
  return std::make_shared<AlterIndex>(std::move(New), std::move(Old), Loc);
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
std::vector<std::string> AlterIndex::touches(bool) const { return {"index:" + New.Name}; }
void AlterIndex::print(llvm::raw_ostream &OS) const {
  OS << "alter index " << New.Name << ' ' << hnswOptions(New);
  if (Old)
    OS << " was " << hnswOptions(*Old);
}
