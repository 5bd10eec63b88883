//===- Lowering.cpp - Dispatch, shared checks, whole migrations -----------===//
#include "LowerOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/ErrorHandling.h"
#include <functional>
#include <map>
#include <set>

using namespace strata;
using namespace strata::codegen;

std::string strata::stagingName(llvm::StringRef Relation) {
  return Relation.str() + "_strata_stage";
}

std::vector<const IqlStatement *> LoweredMigration::forward() const {
  std::vector<const IqlStatement *> Out;
  for (const LoweredOperation &L : Ops)
    for (const IqlStatement &S : L.Forward)
      Out.push_back(&S);
  return Out;
}

std::vector<const IqlStatement *> LoweredMigration::backward() const {
  std::vector<const IqlStatement *> Out;
  for (auto It = Ops.rbegin(); It != Ops.rend(); ++It)
    for (const IqlStatement &S : It->Backward)
      Out.push_back(&S);
  return Out;
}

llvm::StringRef strata::stepPurposeName(StepPurpose P) {
  switch (P) {
  case StepPurpose::Apply:
    return "apply";
  case StepPurpose::DropReader:
    return "drop-reader";
  case StepPurpose::DropIndex:
    return "drop-index";
  case StepPurpose::DeclareStage:
    return "declare-stage";
  case StepPurpose::MoveToStage:
    return "move-to-stage";
  case StepPurpose::DropOriginal:
    return "drop-original";
  case StepPurpose::Redeclare:
    return "redeclare";
  case StepPurpose::MoveBack:
    return "move-back";
  case StepPurpose::DropStage:
    return "drop-stage";
  case StepPurpose::RecreateIndex:
    return "recreate-index";
  case StepPurpose::DropRule:
    return "drop-rule";
  case StepPurpose::DefineRule:
    return "define-rule";
  case StepPurpose::RecreateReader:
    return "recreate-reader";
  case StepPurpose::Raw:
    return "raw";
  }
  return "";
}

llvm::StringRef strata::stepPurposeTitle(StepPurpose P) {
  // "it" is the operation's subject: the relation or rule it changes.
  switch (P) {
  case StepPurpose::Apply:
  case StepPurpose::Raw:
    return "";
  case StepPurpose::DropReader:
    return "drop the rules that read it";
  case StepPurpose::DropIndex:
    return "drop the indexes on it";
  case StepPurpose::DeclareStage:
    return "declare the staging relation";
  case StepPurpose::MoveToStage:
    return "move the facts into the staging relation";
  case StepPurpose::DropOriginal:
    return "drop the emptied relation";
  case StepPurpose::Redeclare:
    return "declare it in its new form";
  case StepPurpose::MoveBack:
    return "move the facts into its new form";
  case StepPurpose::DropStage:
    return "drop the staging relation";
  case StepPurpose::RecreateIndex:
    return "re-create the indexes";
  case StepPurpose::DropRule:
    return "drop the rule";
  case StepPurpose::DefineRule:
    return "define the rule";
  case StepPurpose::RecreateReader:
    return "re-create the rules that read it";
  }
  return "";
}

// ---- LowerCtx ---------------------------------------------------------------

void LowerCtx::add(std::vector<IqlStatement> &To, iql::Statement S, StepPurpose Purpose,
                   bool Lossy) {
  IqlStatement Out;
  // One copy of the text: the tree's own (built, not parsed: no ranges
  // point into it) moves out.
  Out.Text = S.Text.empty() ? spell(S) : std::move(S.Text);
  S.Text.clear();
  Out.Lossy = Lossy;
  Out.Purpose = Purpose;
  Out.Tree = std::move(S);
  To.push_back(std::move(Out));
}

bool LowerCtx::checkName(llvm::StringRef What, llvm::StringRef Name) {
  bool Ok = What == "column"  ? isServerColumnName(Name)
            : What == "index" ? isServerIndexName(Name)
                              : isServerRelationName(Name);
  if (!Ok)
    Diags.reportAt(DiagKind::CodeGenUnsafeName, Op.loc(), Op.describe(), What.str(), Name.str());
  return Ok;
}

bool LowerCtx::checkDeclaration(llvm::StringRef Name, const ColumnList &Columns) {
  if (!checkName("relation", Name))
    return false;
  for (const ColumnDef &Col : Columns.Columns)
    if (!checkName("column", Col.Name))
      return false;
  if (!declaresSchema(Columns)) {
    Diags.reportAt(DiagKind::CodeGenNotSchema, Op.loc(), Op.describe(), Name.str());
    return false;
  }
  return true;
}

bool LowerCtx::checkRelDrop(llvm::StringRef Name, const SchemaState &State) {
  if (!checkName("relation", Name))
    return false;
  // Base and derived relations share one namespace in every state apply()
  // accepts; emitting the drop anyway would silently take the rule along.
  if (State.derivedRelation(Name)) {
    Diags.reportAt(DiagKind::CodeGenInternal, Op.loc(), Op.describe(),
                   "`.rel drop " + Name.str() + "` would also drop the rule `" + Name.str() + "`");
    return false;
  }
  return true;
}

bool LowerCtx::clauses(llvm::StringRef Name, const ColumnList &Columns, const ClauseList &Clauses,
                       const SchemaState &State, std::vector<IqlStatement> &To,
                       StepPurpose Purpose) {
  if (!checkName("relation", Name))
    return false;
  ColumnLookup Lookup = [&](llvm::StringRef Rel) -> const ColumnList * {
    return Rel == Name ? &Columns : State.columnsOf(Rel);
  };
  for (const auto &Clause : Clauses) {
    ast::Clause Copy = *Clause;
    // apply() has checked every clause against this state, so an unknown
    // relation or column here is Strata's bug.
    if (llvm::Error E = lowerClauseAtoms(Copy, Lookup)) {
      Diags.reportAt(DiagKind::CodeGenInternal, Op.loc(), Op.describe(),
                     llvm::toString(std::move(E)));
      return false;
    }
    add(To, persistentClause(Copy), Purpose);
  }
  return true;
}

namespace {
std::set<std::string> readsOf(const DerivedDef &D) {
  std::set<std::string> Out;
  for (const auto &C : D.Clauses)
    for (const ast::BodyLiteral &L : C->Body)
      if (L.TheKind != ast::BodyLiteral::Kind::Comparison)
        Out.insert(L.TheAtom.Relation.Name);
  return Out;
}
} // namespace

std::vector<const DerivedDef *> LowerCtx::readerClosure(const SchemaState &State,
                                                        llvm::StringRef Relation,
                                                        const RuleReaders *Readers) {
  // Without a kept table, one built from the state (derived relations only).
  std::optional<RuleReaders> Own;
  if (!Readers)
    Readers = &Own.emplace(State);
  std::set<std::string> Closure;
  std::vector<std::string> Work{Relation.str()};
  while (!Work.empty()) {
    std::string R = Work.back();
    Work.pop_back();
    for (std::string &Reader : Readers->readersOf(R))
      if (Reader != Relation && Closure.insert(Reader).second)
        Work.push_back(std::move(Reader));
  }
  // Post-order: a rule after the rules of the closure it reads.
  std::map<std::string, std::set<std::string>, std::less<>> Reads;
  for (const std::string &Name : Closure)
    Reads[Name] = readsOf(*State.derivedRelation(Name));
  std::vector<const DerivedDef *> Order;
  std::set<std::string> Done;
  std::function<void(const std::string &)> Visit = [&](const std::string &Name) {
    if (!Done.insert(Name).second)
      return;
    for (const std::string &Dep : Reads[Name])
      if (Closure.count(Dep))
        Visit(Dep);
    Order.push_back(State.derivedRelation(Name));
  };
  for (const std::string &Name : Closure)
    Visit(Name);
  return Order;
}

void LowerCtx::dropRules(const std::vector<const DerivedDef *> &Rules,
                         std::vector<IqlStatement> &To) {
  for (auto It = Rules.rbegin(); It != Rules.rend(); ++It)
    add(To, ruleDrop((*It)->Name), StepPurpose::DropReader);
}

bool LowerCtx::recreateRules(const std::vector<const DerivedDef *> &Rules, const SchemaState &State,
                             std::vector<IqlStatement> &To) {
  for (const DerivedDef *Old : Rules) {
    const DerivedDef *D = State.derivedRelation(Old->Name);
    if (!D)
      continue;
    if (!clauses(D->Name, D->Columns, D->Clauses, State, To, StepPurpose::RecreateReader))
      return false;
  }
  return true;
}

// ---- Entry points -------------------------------------------------------------

namespace {
std::optional<LoweredOperation> lowerWith(LowerCtx &C, const Operation &Op) {
  bool Ok = false;
  switch (Op.kind()) {
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  case Operation::Kind::K:                                                                         \
    Ok = lower##K(llvm::cast<K>(Op), C);                                                           \
    break;
#include "strata/AST/Operations.def"
  }
  if (!Ok)
    return std::nullopt;
  return std::move(C.Out);
}
} // namespace

std::optional<LoweredOperation> strata::lowerOperation(const Operation &Op,
                                                       const SchemaState &Before,
                                                       const SchemaState &After,
                                                       DiagnosticEngine &Diags) {
  LowerCtx C(Op, Before, After, Diags);
  return lowerWith(C, Op);
}

std::optional<LoweredOperation>
strata::lowerOperation(const Operation &Op, const SchemaState &Before, const SchemaState &After,
                       const RuleReaders &BeforeReaders, const RuleReaders &AfterReaders,
                       DiagnosticEngine &Diags) {
  LowerCtx C(Op, Before, After, Diags);
  C.BeforeReaders = &BeforeReaders;
  C.AfterReaders = &AfterReaders;
  return lowerWith(C, Op);
}

// ---- LoweringCursor -----------------------------------------------------------

LoweringCursor::LoweringCursor(SchemaState Start)
    : Cur(std::move(Start)), Next(Cur), CurReaders(Cur), NextReaders(Next) {}

std::optional<LoweredMigration> LoweringCursor::lower(const Migration &M, DiagnosticEngine &Diags) {
  LoweredMigration Out;
  Out.M = &M;
  // Cur and Next in lock-step: Next is one operation ahead while it lowers.
  bool Ok = true;
  ApplyFailed = false;
  for (const OperationPtr &Op : M.Operations) {
    if (!Op->applyTo(Next, Diags, &NextReaders)) {
      ApplyFailed = true;
      return std::nullopt;
    }
    std::optional<LoweredOperation> L =
        lowerOperation(*Op, Cur, Next, CurReaders, NextReaders, Diags);
    if (!L)
      Ok = false; // keep going: report every operation that cannot be lowered
    else
      Out.Ops.push_back(std::move(*L));
    Op->applyTo(Cur, Diags, &CurReaders);
  }
  if (!Ok)
    return std::nullopt;
  return Out;
}

bool LoweringCursor::apply(const Migration &M, DiagnosticEngine &Diags) {
  for (const OperationPtr &Op : M.Operations)
    if (!Op->applyTo(Next, Diags, &NextReaders) || !Op->applyTo(Cur, Diags, &CurReaders))
      return false;
  return true;
}

std::optional<LoweredMigration>
strata::lowerMigration(const Migration &M, const SchemaState &Before, DiagnosticEngine &Diags) {
  LoweringCursor C(Before);
  return C.lower(M, Diags);
}
