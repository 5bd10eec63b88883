//===- LowerColumns.cpp - add / drop / rename / retype / reorder columns ----===//
//
// Every column change preserves facts through a staging relation:
//
//   [.rule drop of every rule reading the relation, readers first]
//   [.index drop of every index on it]
//   +rel_strata_stage(<new columns>)
//   -rel(C0, C1), +rel_strata_stage(C0, <fill or cast>, C1) <- rel(C0, C1)
//   .rel drop rel
//   +rel(<new columns>)
//   -rel_strata_stage(C0, C1, C2), +rel(C0, C1, C2) <- rel_strata_stage(C0, C1, C2)
//   .rel drop rel_strata_stage
//   [.index create of its indexes, the rules re-created, dependencies first]
//
// The rules are bounced because the server keeps a rule's positional text:
// a rule written with named arguments still checks in Strata after the
// change, but its lowered atoms have the old arity; a rule negating the
// relation would also make the server refuse `.rel drop`.
//
//===----------------------------------------------------------------------===//
#include "LowerOps.h"
#include "strata/AST/Printer.h"
#include "strata/CodeGen/Moves.h"
#include "llvm/ADT/STLExtras.h"

using namespace strata;
using namespace strata::codegen;

void codegen::collectVariables(const ast::Expr &E, std::vector<std::string> &Out) {
  if (E.TheKind == ast::Expr::Kind::Variable && !llvm::is_contained(Out, E.Text))
    Out.push_back(E.Text);
  for (const ast::Expr &Sub : E.Operands)
    collectVariables(Sub, Out);
}

namespace {
void renameVariable(ast::Expr &E, llvm::StringRef From, llvm::StringRef To) {
  if (E.TheKind == ast::Expr::Kind::Variable && E.Text == From)
    E.Text = To.str();
  for (ast::Expr &Sub : E.Operands)
    renameVariable(Sub, From, To);
}

iql::Expr variable(std::string Name) {
  iql::Expr V;
  V.K = iql::Expr::Kind::Variable;
  V.Name = std::move(Name);
  return V;
}
} // namespace

iql::Statement codegen::moveStatement(llvm::StringRef From, size_t FromArity, llvm::StringRef To,
                                      const std::vector<MoveArg> &Args, FreshVars &Vars) {
  iql::Atom Source;
  Source.Relation = From.str();
  std::vector<std::string> Old;
  for (size_t I = 0; I < FromArity; ++I) {
    Old.push_back(Vars.next());
    Source.Args.push_back(variable(Old.back()));
  }
  iql::Atom Target;
  Target.Relation = To.str();
  std::vector<iql::Literal> Casts;
  for (const MoveArg &A : Args) {
    if (A.TheKind == MoveArg::Kind::Fill) {
      Target.Args.push_back(iqlExpr(*A.Value));
      continue;
    }
    if (!A.Convert) {
      Target.Args.push_back(variable(Old[A.OldIndex]));
      continue;
    }
    std::string V = Vars.next();
    ast::Expr Body = A.Convert->Body;
    renameVariable(Body, A.Convert->Var, Old[A.OldIndex]);
    iql::Literal Cast;
    Cast.K = iql::Literal::Kind::Compare;
    Cast.CmpOp = "=";
    Cast.Lhs = variable(V);
    Cast.Rhs = iqlExpr(Body);
    Casts.push_back(std::move(Cast));
    Target.Args.push_back(variable(V));
  }
  iql::Statement S;
  S.K = iql::Statement::Kind::Update;
  iql::Literal Read;
  Read.A = Source;
  S.Body.push_back(std::move(Read));
  for (iql::Literal &Cast : Casts)
    S.Body.push_back(std::move(Cast));
  S.Targets.emplace_back(false, std::move(Source));
  S.Targets.emplace_back(true, std::move(Target));
  S.Text = spell(S);
  return S;
}

namespace {
/// Reshapes Rel from its columns in From to its columns in To, each new
/// column taking its value as Args says. Appends the whole stream to Out.
bool reshapeStream(LowerCtx &C, llvm::StringRef Rel, const SchemaState &From, const SchemaState &To,
                   const std::vector<MoveArg> &Args, bool Lossy, std::vector<IqlStatement> &Out) {
  const RelationDef *Old = From.relation(Rel);
  const RelationDef *New = To.relation(Rel);
  if (!Old || !New)
    return false; // apply() has reported it
  std::string Stage = stagingName(Rel);
  for (const SchemaState *S : {&From, &To})
    if (S->hasRelationName(Stage)) {
      C.Diags.reportAt(DiagKind::CodeGenStageTaken, C.Op.loc(), C.Op.describe(), Stage,
                       S->relation(Stage) ? "relation" : "derived relation");
      return false;
    }
  if (!C.checkDeclaration(Stage, New->Columns) || !C.checkDeclaration(Rel, New->Columns) ||
      !C.checkRelDrop(Rel, From))
    return false;

  std::vector<const DerivedDef *> Readers = LowerCtx::readerClosure(From, Rel, C.readersOf(From));
  C.dropRules(Readers, Out);
  std::vector<const IndexDef *> Indexes;
  for (const auto &Entry : From.indexes())
    if (Entry.second->Relation == Rel) {
      Indexes.push_back(Entry.second.get());
      LowerCtx::add(Out, indexDrop(Entry.first), StepPurpose::DropIndex);
    }

  std::vector<std::string> Taken;
  for (const MoveArg &A : Args)
    if (A.Convert)
      collectVariables(A.Convert->Body, Taken);
  FreshVars Vars(Taken);
  LowerCtx::add(Out, declaration(Stage, New->Columns), StepPurpose::DeclareStage);
  LowerCtx::add(Out, moveStatement(Rel, Old->Columns.size(), Stage, Args, Vars),
                StepPurpose::MoveToStage, Lossy);
  LowerCtx::add(Out, relDrop(Rel), StepPurpose::DropOriginal);
  LowerCtx::add(Out, declaration(Rel, New->Columns), StepPurpose::Redeclare);
  std::vector<MoveArg> Back;
  for (size_t I = 0; I < New->Columns.size(); ++I)
    Back.push_back(MoveArg::old(I));
  FreshVars BackVars;
  LowerCtx::add(Out, moveStatement(Stage, New->Columns.size(), Rel, Back, BackVars),
                StepPurpose::MoveBack);
  LowerCtx::add(Out, relDrop(Stage), StepPurpose::DropStage);

  for (const IndexDef *I : Indexes)
    if (const IndexDef *Now = To.index(I->Name))
      LowerCtx::add(Out, indexCreate(*Now), StepPurpose::RecreateIndex);
  return C.recreateRules(Readers, To, Out);
}

/// Each column of Target taken from the column of the same name in Source.
std::vector<MoveArg> byName(const ColumnList &Source, const ColumnList &Target) {
  std::vector<MoveArg> Args;
  for (const ColumnDef &Col : Target.Columns)
    Args.push_back(MoveArg::old(*Source.find(Col.Name)));
  return Args;
}
} // namespace

bool codegen::lowerAddColumn(const AddColumn &Op, LowerCtx &C) {
  const RelationDef *Old = C.Before.relation(Op.Relation);
  const RelationDef *New = C.After.relation(Op.Relation);
  if (!Old || !New || !C.checkName("column", Op.Column.Name))
    return false;
  if (!Op.Fill) {
    C.Diags.reportAt(DiagKind::CodeGenNoFill, Op.loc(), Op.describe(), Op.Relation, Op.Column.Name);
    return false;
  }
  std::vector<MoveArg> Args;
  for (const ColumnDef &Col : New->Columns.Columns)
    Args.push_back(Col.Name == Op.Column.Name ? MoveArg::fill(*Op.Fill)
                                              : MoveArg::old(*Old->Columns.find(Col.Name)));
  return reshapeStream(C, Op.Relation, C.Before, C.After, Args, false, C.Out.Forward) &&
         reshapeStream(C, Op.Relation, C.After, C.Before, byName(New->Columns, Old->Columns),
                       /*Lossy=*/true, C.Out.Backward);
}

bool codegen::lowerDropColumn(const DropColumn &Op, LowerCtx &C) {
  const RelationDef *Old = C.Before.relation(Op.Relation);
  const RelationDef *New = C.After.relation(Op.Relation);
  if (!Old || !New || !C.checkName("column", Op.Column.Name))
    return false;
  if (!reshapeStream(C, Op.Relation, C.Before, C.After, byName(Old->Columns, New->Columns), false,
                     C.Out.Forward))
    return false;
  if (!Op.Fill) {
    // Without a fill the column cannot come back with any value.
    C.Out.Irreversible = true;
    return true;
  }
  std::vector<MoveArg> Args;
  for (const ColumnDef &Col : Old->Columns.Columns)
    Args.push_back(Col.Name == Op.Column.Name ? MoveArg::fill(*Op.Fill)
                                              : MoveArg::old(*New->Columns.find(Col.Name)));
  return reshapeStream(C, Op.Relation, C.After, C.Before, Args, /*Lossy=*/true, C.Out.Backward);
}

bool codegen::lowerRenameColumn(const RenameColumn &Op, LowerCtx &C) {
  const RelationDef *Old = C.Before.relation(Op.Relation);
  if (!Old || !C.checkName("column", Op.To))
    return false;
  std::vector<MoveArg> Same;
  for (size_t I = 0; I < Old->Columns.size(); ++I)
    Same.push_back(MoveArg::old(I));
  return reshapeStream(C, Op.Relation, C.Before, C.After, Same, false, C.Out.Forward) &&
         reshapeStream(C, Op.Relation, C.After, C.Before, Same, false, C.Out.Backward);
}

bool codegen::lowerRetypeColumn(const RetypeColumn &Op, LowerCtx &C) {
  const RelationDef *Old = C.Before.relation(Op.Relation);
  if (!Old)
    return false;
  size_t At = *Old->Columns.find(Op.Column);
  auto Args = [&](const std::optional<Cast> &Convert) {
    std::vector<MoveArg> A;
    for (size_t I = 0; I < Old->Columns.size(); ++I)
      A.push_back(MoveArg::old(I, I == At && Convert ? &*Convert : nullptr));
    return A;
  };
  // Without a cast the value moves as it is: the server may reject or
  // truncate it, so that move is marked lossy.
  return reshapeStream(C, Op.Relation, C.Before, C.After, Args(Op.Using), !Op.Using,
                       C.Out.Forward) &&
         reshapeStream(C, Op.Relation, C.After, C.Before, Args(Op.Reverse), !Op.Reverse,
                       C.Out.Backward);
}

bool codegen::lowerReorderColumns(const ReorderColumns &Op, LowerCtx &C) {
  const RelationDef *Old = C.Before.relation(Op.Relation);
  const RelationDef *New = C.After.relation(Op.Relation);
  if (!Old || !New)
    return false;
  // Every value moves with its column, by name, both ways.
  return reshapeStream(C, Op.Relation, C.Before, C.After, byName(Old->Columns, New->Columns), false,
                       C.Out.Forward) &&
         reshapeStream(C, Op.Relation, C.After, C.Before, byName(New->Columns, Old->Columns), false,
                       C.Out.Backward);
}
