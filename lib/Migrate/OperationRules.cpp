//===- OperationRules.cpp - Creating, dropping, replacing and renaming rules ===//
//
// Each kind: built from its parsed form, applied to a schema state,
// inverted, described and printed (see OperationImpl.h).
//
//===----------------------------------------------------------------------===//
#include "OperationImpl.h"
#include "strata/AST/Printer.h"
#include "strata/Migrate/Autodetect.h"
#include "strata/Sema/Sema.h"

using namespace strata;
using namespace strata::opimpl;

namespace {
/// Name, then (when given) the relations Clauses read.
std::vector<std::string> withReads(const std::string &Name, const ClauseList *Clauses) {
  std::vector<std::string> Out{Name};
  if (Clauses)
    for (const std::string &R : readsOf(*Clauses))
      Out.push_back(R);
  return Out;
}

/// Cs, taken out of the parsed operation.
ClauseList clauses(std::vector<ast::Clause> &&Cs) {
  ClauseList Out;
  Out.reserve(Cs.size());
  for (ast::Clause &C : Cs)
    Out.push_back(std::make_shared<const ast::Clause>(std::move(C)));
  return Out;
}
} // namespace

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
  ast::Ident Name{D->Name, D->Loc};
  if (!checkClauses(Name, &D->Columns, Clauses, RuleScope{State}, Rep.Diags))
    return false;
  // Against the columns of this point of the history, as the rule lowers.
  warnDuplicateClauses(Name, D->Columns, Clauses, State, Rep.Diags);
  return Rep.checkStrataAround(State, D->Name);
}

std::string clausesText(const ClauseList &Clauses) {
  std::string S;
  for (const auto &C : Clauses)
    S += (S.empty() ? "" : "; ") + ast::toString(*C);
  return S;
}
} // namespace

OperationPtr opimpl::buildCreateRule(ast::CreateRuleOp &&O, llvm::SMRange Loc,
                                     DiagnosticEngine &Diags) {
  bool NameOk = checkDeclaredName(O.Name, NameKind::Derived, Diags);
  std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Derived, Diags);
  if (!NameOk || !Cols)
    return nullptr;
  return std::make_shared<CreateRule>(O.Name.Name, std::move(*Cols), clauses(std::move(O.Clauses)),
                                      Loc);
}

bool CreateRule::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const {
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
std::vector<std::string> CreateRule::touches(bool Reads) const {
  return withReads(Name, Reads ? &Clauses : nullptr);
}
void CreateRule::print(llvm::raw_ostream &OS) const {
  OS << "create rule ";
  printColumns(Name, Columns, OS);
  OS << " {\n";
  printClauses(Clauses, OS);
  OS << '}';
}

OperationPtr opimpl::buildDropRule(ast::DropRuleOp &&O, llvm::SMRange Loc,
                                   DiagnosticEngine &Diags) {
  std::optional<ColumnList> Cols = resolveColumns(O.Columns, O.Name, NameKind::Derived, Diags);
  if (!Cols)
    return nullptr;
  return std::make_shared<DropRule>(O.Name.Name, std::move(*Cols), clauses(std::move(O.Clauses)),
                                    Loc);
}

bool DropRule::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Given) const {
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
std::vector<std::string> DropRule::touches(bool Reads) const {
  return withReads(Name, Reads ? &Clauses : nullptr);
}
void DropRule::print(llvm::raw_ostream &OS) const {
  OS << "drop rule ";
  printColumns(Name, Columns, OS);
  OS << " {\n";
  printClauses(Clauses, OS);
  OS << '}';
}

OperationPtr opimpl::buildReplaceRule(ast::ReplaceRuleOp &&O, llvm::SMRange Loc,
                                      DiagnosticEngine &Diags) {
  std::optional<ClauseList> Old;
  if (O.OldClauses)
    Old = clauses(std::move(*O.OldClauses));
  return std::make_shared<ReplaceRule>(O.Name.Name, clauses(std::move(O.Clauses)), std::move(Old),
                                       Loc);
}

bool ReplaceRule::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Readers) const {
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
std::vector<std::string> ReplaceRule::touches(bool Reads) const {
  std::vector<std::string> Out = withReads(Name, Reads ? &Clauses : nullptr);
  if (Reads && OldClauses)
    for (const std::string &R : readsOf(*OldClauses))
      Out.push_back(R);
  return Out;
}
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

OperationPtr opimpl::buildRenameRule(ast::RenameRuleOp &&O, llvm::SMRange Loc,
                                     DiagnosticEngine &Diags) {
  // A swap goes through a temporary name (checkTemporaryRenames).
  if (!checkDeclaredName(O.To, NameKind::Derived, Diags, /*AllowTemporary=*/true))
    return nullptr;
  return std::make_shared<RenameRule>(O.From.Name, O.To.Name, Loc);
}

bool RenameRule::applyTo(SchemaState &State, DiagnosticEngine &Diags, RuleReaders *Given) const {
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
std::vector<std::string> RenameRule::touches(bool) const { return {From, To}; }
void RenameRule::print(llvm::raw_ostream &OS) const {
  OS << "rename rule " << From << " -> " << To;
}
