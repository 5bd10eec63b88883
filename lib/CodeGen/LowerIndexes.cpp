//===- LowerIndexes.cpp - create / drop / alter index ---------------------===//
#include "LowerOps.h"

using namespace strata;
using namespace strata::codegen;

namespace {
bool checkIndex(LowerCtx &C, const IndexDef &I) {
  return C.checkName("index", I.Name) && C.checkName("relation", I.Relation) &&
         C.checkName("column", I.Column);
}
} // namespace

bool codegen::lowerCreateIndex(const CreateIndex &Op, LowerCtx &C) {
  if (!checkIndex(C, Op.Index))
    return false;
  C.add(C.Out.Forward, indexCreate(Op.Index));
  C.add(C.Out.Backward, indexDrop(Op.Index.Name));
  return true;
}

bool codegen::lowerDropIndex(const DropIndex &Op, LowerCtx &C) {
  if (!checkIndex(C, Op.Index))
    return false;
  C.add(C.Out.Forward, indexDrop(Op.Index.Name));
  C.add(C.Out.Backward, indexCreate(Op.Index));
  return true;
}

bool codegen::lowerAlterIndex(const AlterIndex &Op, LowerCtx &C) {
  // The states hold every parameter, whatever the file spelled out.
  const IndexDef *Old = C.Before.index(Op.New.Name);
  const IndexDef *New = C.After.index(Op.New.Name);
  if (!Old || !New || !checkIndex(C, *Old) || !checkIndex(C, *New))
    return false;
  C.add(C.Out.Forward, indexDrop(Old->Name));
  C.add(C.Out.Forward, indexCreate(*New));
  C.add(C.Out.Backward, indexDrop(New->Name));
  C.add(C.Out.Backward, indexCreate(*Old));
  return true;
}
