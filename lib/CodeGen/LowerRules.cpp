//===- LowerRules.cpp - create / drop / replace / rename rule -------------===//
//
// A rule is the set of its `+head <- body` clauses on the server; a clause
// added twice is two clauses, so a replacement drops the rule first. Atoms
// are lowered against the state of the moment: named arguments become
// positional with the columns the relation has there.
//
//===----------------------------------------------------------------------===//
#include "LowerOps.h"
#include "llvm/ADT/STLExtras.h"

using namespace strata;
using namespace strata::codegen;

bool codegen::lowerCreateRule(const CreateRule &Op, LowerCtx &C) {
  if (!C.clauses(Op.Name, Op.Columns, Op.Clauses, C.Before, C.Out.Forward))
    return false;
  C.add(C.Out.Backward, ruleDrop(Op.Name), StepPurpose::DropRule);
  return true;
}

bool codegen::lowerDropRule(const DropRule &Op, LowerCtx &C) {
  if (!C.checkName("relation", Op.Name))
    return false;
  C.add(C.Out.Forward, ruleDrop(Op.Name), StepPurpose::DropRule);
  return C.clauses(Op.Name, Op.Columns, Op.Clauses, C.Before, C.Out.Backward);
}

namespace {
/// Whether a rule of State negates Name: the server then refuses
/// `.rule drop Name`.
bool negated(const SchemaState &State, llvm::StringRef Name, const RuleReaders *Readers) {
  auto Negates = [&](const DerivedDef &D) {
    for (const auto &Clause : D.Clauses)
      for (const ast::BodyLiteral &L : Clause->Body)
        if (L.TheKind == ast::BodyLiteral::Kind::Negated && L.TheAtom.Relation.Name == Name)
          return true;
    return false;
  };
  // A rule negating Name reads it: with a readers table only those are seen.
  if (Readers) {
    for (const std::string &R : Readers->readersOf(Name))
      if (const DerivedDef *D = State.derivedRelation(R); D && Negates(*D))
        return true;
    return false;
  }
  for (const auto &Entry : State.derived())
    if (Negates(*Entry.second))
      return true;
  return false;
}

/// `.rule drop Name` and the clauses Name has in To, bouncing the rules
/// that read Name when one of them negates it.
bool replaceStream(LowerCtx &C, llvm::StringRef Name, const SchemaState &From,
                   const SchemaState &To, std::vector<IqlStatement> &Out) {
  const DerivedDef *D = To.derivedRelation(Name);
  if (!D)
    return false;
  std::vector<const DerivedDef *> Readers;
  const RuleReaders *Table = C.readersOf(From);
  if (negated(From, Name, Table))
    Readers = LowerCtx::readerClosure(From, Name, Table);
  C.dropRules(Readers, Out);
  LowerCtx::add(Out, ruleDrop(Name), StepPurpose::DropRule);
  return C.clauses(Name, D->Columns, D->Clauses, To, Out) && C.recreateRules(Readers, To, Out);
}
} // namespace

bool codegen::lowerReplaceRule(const ReplaceRule &Op, LowerCtx &C) {
  // The state before holds the old clauses even when the file does not.
  return replaceStream(C, Op.Name, C.Before, C.After, C.Out.Forward) &&
         replaceStream(C, Op.Name, C.After, C.Before, C.Out.Backward);
}

namespace {
bool renameStream(LowerCtx &C, llvm::StringRef From, llvm::StringRef To, const SchemaState &State,
                  std::vector<IqlStatement> &Out) {
  const DerivedDef *D = State.derivedRelation(To);
  if (!D || !C.checkName("relation", From))
    return false;
  LowerCtx::add(Out, ruleDrop(From), StepPurpose::DropRule);
  return C.clauses(To, D->Columns, D->Clauses, State, Out);
}
} // namespace

bool codegen::lowerRenameRule(const RenameRule &Op, LowerCtx &C) {
  // No rule reads From (apply() refuses otherwise); the clauses under the
  // new head, recursive atoms included, come from the state after.
  return renameStream(C, Op.From, Op.To, C.After, C.Out.Forward) &&
         renameStream(C, Op.To, Op.From, C.Before, C.Out.Backward);
}
