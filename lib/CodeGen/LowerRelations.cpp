//===- LowerRelations.cpp - create / drop / rename relation ---------------===//
#include "LowerOps.h"
#include "strata/CodeGen/Moves.h"

using namespace strata;
using namespace strata::codegen;

bool codegen::lowerCreateRelation(const CreateRelation &Op, LowerCtx &C) {
  if (!C.checkDeclaration(Op.Name, Op.Columns) || !C.checkRelDrop(Op.Name, C.After))
    return false;
  C.add(C.Out.Forward, declaration(Op.Name, Op.Columns));
  C.add(C.Out.Backward, relDrop(Op.Name));
  return true;
}

bool codegen::lowerDropRelation(const DropRelation &Op, LowerCtx &C) {
  if (!C.checkDeclaration(Op.Name, Op.Columns) || !C.checkRelDrop(Op.Name, C.Before))
    return false;
  C.add(C.Out.Forward, relDrop(Op.Name));
  // The facts are gone: the backward brings back an empty relation.
  C.add(C.Out.Backward, declaration(Op.Name, Op.Columns), StepPurpose::Apply, /*Lossy=*/true);
  return true;
}

namespace {
/// Declares To, moves every fact of From into it, drops From.
bool renameStream(LowerCtx &C, llvm::StringRef From, llvm::StringRef To, const ColumnList &Columns,
                  const SchemaState &State, std::vector<IqlStatement> &Out) {
  if (!C.checkDeclaration(To, Columns) || !C.checkRelDrop(From, State))
    return false;
  LowerCtx::add(Out, declaration(To, Columns), StepPurpose::Redeclare);
  FreshVars Vars;
  std::vector<MoveArg> Args;
  for (size_t I = 0; I < Columns.size(); ++I)
    Args.push_back(MoveArg::old(I));
  LowerCtx::add(Out, moveStatement(From, Columns.size(), To, Args, Vars), StepPurpose::MoveBack);
  LowerCtx::add(Out, relDrop(From), StepPurpose::DropOriginal);
  return true;
}
} // namespace

bool codegen::lowerRenameRelation(const RenameRelation &Op, LowerCtx &C) {
  const RelationDef *R = C.Before.relation(Op.From);
  if (!R)
    return false; // apply() has reported it
  // Readers and indexes of From are gone by now (apply() refuses otherwise).
  return renameStream(C, Op.From, Op.To, R->Columns, C.Before, C.Out.Forward) &&
         renameStream(C, Op.To, Op.From, R->Columns, C.After, C.Out.Backward);
}
