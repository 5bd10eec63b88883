//===- BuildOperation.cpp - Parsed operations to typed operations ---------===//
//
// Resolves what needs no schema state: declared names, column types, index
// options. Whether the operation fits the state is apply()'s business.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/Operation.h"
#include "strata/Sema/Sema.h"

using namespace strata;

namespace {
class Builder {
public:
  Builder(llvm::SMRange Loc, DiagnosticEngine &Diags) : Loc(Loc), Diags(Diags) {}

  OperationPtr operator()(const ast::CreateRelationOp &O) {
    bool NameOk = checkDeclaredName(O.Name, NameKind::Relation, Diags);
    std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Relation, Diags);
    if (!NameOk || !Cols)
      return nullptr;
    return std::make_shared<CreateRelation>(O.Name.Name, std::move(*Cols), Loc);
  }
  OperationPtr operator()(const ast::DropRelationOp &O) {
    std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Relation, Diags);
    if (!Cols)
      return nullptr;
    return std::make_shared<DropRelation>(O.Name.Name, std::move(*Cols), Loc);
  }
  OperationPtr operator()(const ast::RenameRelationOp &O) {
    if (!checkDeclaredName(O.To, NameKind::Relation, Diags))
      return nullptr;
    return std::make_shared<RenameRelation>(O.From.Name, O.To.Name, Loc);
  }
  OperationPtr operator()(const ast::AddColumnOp &O) {
    std::optional<Type> Ty = resolveType(O.Type, Diags);
    if (!Ty || (O.Fill && !checkFillValue(*O.Fill, *Ty, O.Relation.Name + "." + O.Column.Name,
                                          Diags)))
      return nullptr;
    return std::make_shared<AddColumn>(O.Relation.Name, ColumnDef{O.Column.Name, *Ty, O.Column.Range},
                                       O.Fill, place(O.Position), Loc);
  }
  OperationPtr operator()(const ast::DropColumnOp &O) {
    std::optional<Type> Ty = resolveType(O.Type, Diags);
    if (!Ty || (O.Fill && !checkFillValue(*O.Fill, *Ty, O.Relation.Name + "." + O.Column.Name,
                                          Diags)))
      return nullptr;
    return std::make_shared<DropColumn>(O.Relation.Name,
                                        ColumnDef{O.Column.Name, *Ty, O.Column.Range}, O.Fill,
                                        place(O.Position), Loc);
  }
  OperationPtr operator()(const ast::RenameColumnOp &O) {
    return std::make_shared<RenameColumn>(O.Relation.Name, O.Column.Name, O.To.Name, Loc);
  }
  OperationPtr operator()(const ast::RetypeColumnOp &O) {
    std::optional<Type> From = resolveType(O.From, Diags);
    std::optional<Type> To = resolveType(O.To, Diags);
    if (!From || !To)
      return nullptr;
    return std::make_shared<RetypeColumn>(O.Relation.Name, O.Column.Name, *From, *To,
                                          cast(O.Using), cast(O.Reverse), Loc);
  }
  OperationPtr operator()(const ast::CreateRuleOp &O) {
    bool NameOk = checkDeclaredName(O.Name, NameKind::Derived, Diags);
    std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Derived, Diags);
    if (!NameOk || !Cols)
      return nullptr;
    return std::make_shared<CreateRule>(O.Name.Name, std::move(*Cols), clauses(O.Clauses), Loc);
  }
  OperationPtr operator()(const ast::DropRuleOp &O) {
    std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Derived, Diags);
    if (!Cols)
      return nullptr;
    return std::make_shared<DropRule>(O.Name.Name, std::move(*Cols), clauses(O.Clauses), Loc);
  }
  OperationPtr operator()(const ast::ReplaceRuleOp &O) {
    std::optional<ClauseList> Old;
    if (O.OldClauses)
      Old = clauses(*O.OldClauses);
    return std::make_shared<ReplaceRule>(O.Name.Name, clauses(O.Clauses), std::move(Old), Loc);
  }
  OperationPtr operator()(const ast::RenameRuleOp &O) {
    if (!checkDeclaredName(O.To, NameKind::Derived, Diags))
      return nullptr;
    return std::make_shared<RenameRule>(O.From.Name, O.To.Name, Loc);
  }
  OperationPtr operator()(const ast::CreateIndexOp &O) {
    bool NameOk = checkDeclaredName(O.Index.Name, NameKind::Index, Diags);
    std::optional<IndexDef> Def = index(O.Index);
    if (!NameOk || !Def)
      return nullptr;
    return std::make_shared<CreateIndex>(std::move(*Def), Loc);
  }
  OperationPtr operator()(const ast::DropIndexOp &O) {
    std::optional<IndexDef> Def = index(O.Index);
    if (!Def)
      return nullptr;
    return std::make_shared<DropIndex>(std::move(*Def), Loc);
  }
  OperationPtr operator()(const ast::AlterIndexOp &O) {
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
  OperationPtr operator()(const ast::RunIqlOp &O) {
    std::optional<std::string> Backward;
    if (O.Backward)
      Backward = O.Backward->Text;
    return std::make_shared<RunIql>(O.Forward.Text, std::move(Backward), Loc);
  }

private:
  static ColumnPlace place(const std::optional<ast::ColumnPosition> &P) {
    if (!P)
      return ColumnPlace::end();
    return P->First ? ColumnPlace::first() : ColumnPlace::after(P->After.Name);
  }
  static std::optional<Cast> cast(const std::optional<ast::CastExpr> &C) {
    if (!C)
      return std::nullopt;
    return Cast{C->Var.Name, C->Body};
  }
  static ClauseList clauses(const std::vector<ast::Clause> &Cs) {
    ClauseList Out;
    Out.reserve(Cs.size());
    for (const ast::Clause &C : Cs)
      Out.push_back(std::make_shared<const ast::Clause>(C));
    return Out;
  }
  std::optional<IndexDef> index(const ast::IndexDecl &D) {
    IndexDef Def;
    Def.Name = D.Name.Name;
    Def.Relation = D.Relation.Name;
    Def.Column = D.Column.Name;
    Def.Loc = D.Name.Range;
    if (!applyIndexOptions(D.Options, Def, Diags))
      return std::nullopt;
    return Def;
  }

  llvm::SMRange Loc;
  DiagnosticEngine &Diags;
};
} // namespace

OperationPtr strata::buildOperation(const ast::Operation &Op, DiagnosticEngine &Diags) {
  return std::visit(Builder(Op.Range, Diags), Op.Body);
}
