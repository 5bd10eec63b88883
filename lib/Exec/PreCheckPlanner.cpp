//===- PreCheckPlanner.cpp - Which pre-checks each statement triggers -----===//
//
// The rules of docs/targets.md "Pre-checks", in one place: a move must
// carry every fact of its source, compute no null and fit its columns; a
// relation a migration creates or a move fills must start empty. The
// executor runs what this plans (PreChecks.cpp); `strata review` prints it.
//
//===----------------------------------------------------------------------===//
#include "strata/Exec/PreChecks.h"
#include "strata/IQL/Lexer.h"
#include "strata/IQL/Printer.h"
#include "strata/Verify/MigrationStatement.h"
#include "llvm/ADT/STLExtras.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;

llvm::StringRef exec::preCheckKindName(PreCheckKind K) {
  switch (K) {
  case PreCheckKind::TargetEmpty:
    return "target-empty";
  case PreCheckKind::MovesEveryFact:
    return "moves-every-fact";
  case PreCheckKind::ConversionNeverNull:
    return "conversion-never-null";
  case PreCheckKind::TypesFit:
    return "types-fit";
  }
  return "";
}

namespace {
/// The arguments of A as written in a query: variables by name.
std::vector<std::string> argTexts(const iql::Atom &A) {
  std::vector<std::string> Out;
  for (const iql::Expr &E : A.Args)
    Out.push_back(iql::printExpr(E));
  return Out;
}

std::string bodyText(const std::vector<iql::Literal> &Body) {
  std::string Out;
  for (const iql::Literal &L : Body)
    Out += (Out.empty() ? "" : ", ") + iql::printLiteral(L);
  return Out;
}

/// Whether Body computes values (a cast, a fill): it has variables that
/// are not among the source's arguments.
bool computesValues(const std::string &Body, const std::vector<std::string> &SourceArgs) {
  for (const iql::Token &T : iql::lex(Body))
    if (T.is(iql::TokenKind::Var) && !llvm::is_contained(SourceArgs, T.Text))
      return true;
  return false;
}

/// Whether Op brings relation Name into being (rather than re-declaring
/// one it just dropped).
bool createsRelation(const LoweredOperation &Op, llvm::StringRef Name) {
  if (Name == stagingName(llvm::StringRef(Name).rsplit("_strata_stage").first))
    return true;
  if (const auto *C = llvm::dyn_cast<CreateRelation>(Op.Op))
    return C->Name == Name;
  if (const auto *R = llvm::dyn_cast<RenameRelation>(Op.Op))
    return R->To == Name;
  return false;
}
} // namespace

std::vector<PlannedPreCheck> PreCheckPlanner::plan(const LoweredOperation &Op) {
  std::vector<PlannedPreCheck> Out;
  for (const IqlStatement &St : Op.Forward) {
    llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
    if (!Read) {
      llvm::consumeError(Read.takeError()); // `strata verify` reports it
      continue;
    }
    if (*Read)
      for (PlannedPreCheck &P : planStatement(Op, **Read))
        Out.push_back(std::move(P));
  }
  return Out;
}

std::vector<PlannedPreCheck> PreCheckPlanner::planStatement(const LoweredOperation &Op,
                                                            const iql::Statement &S) {
  std::vector<PlannedPreCheck> Out;
  std::optional<MigrationStmtKind> K = migrationKind(S);
  if (K == MigrationStmtKind::AtomicUpdate)
    planMove(S, Out);
  else if (K == MigrationStmtKind::Schema && createsRelation(Op, S.Relation))
    planEmpty(S.Relation, S.Columns.size(), "a relation the migration creates", Out);
  if (K == MigrationStmtKind::Schema)
    Declared[S.Relation] = S.Columns;
  record(S);
  return Out;
}

void PreCheckPlanner::planMove(const iql::Statement &S, std::vector<PlannedPreCheck> &Out) {
  const iql::Atom *Src = nullptr, *Dst = nullptr;
  for (const auto &[Insert, A] : S.Targets)
    (Insert ? Dst : Src) = &A;
  if (Dst && !Touched.count(Dst->Relation) && (!Src || Src->Relation != Dst->Relation))
    planEmpty(Dst->Relation, Dst->Args.size(), "the relation the facts move into", Out);
  if (!Src || (SkipTouchedSources && Touched.count(Src->Relation)))
    return;
  PlannedPreCheck Move;
  Move.Kind = PreCheckKind::MovesEveryFact;
  Move.Relation = Src->Relation;
  Move.SourceRelation = Src->Relation;
  Move.SourceAtom = iql::printAtom(*Src);
  Move.SourceArgs = argTexts(*Src);
  if (Dst)
    Move.DestinationArgs = argTexts(*Dst);
  Move.BodyText = bodyText(S.Body);
  Move.Description = fmt::format("every fact of `{}` matches `{}`, so none is lost when it is "
                                 "dropped",
                                 Src->Relation, Move.BodyText);
  Out.push_back(Move);
  if (computesValues(Move.BodyText, Move.SourceArgs)) {
    PlannedPreCheck Cast = Move;
    Cast.Kind = PreCheckKind::ConversionNeverNull;
    Cast.Description = fmt::format("the values `{}` computes are not null for any fact of `{}`",
                                   Move.BodyText, Src->Relation);
    Out.push_back(std::move(Cast));
  }
  auto Declaration = Dst ? Declared.find(Dst->Relation) : Declared.end();
  if (Declaration != Declared.end() && Declaration->second.size() == Dst->Args.size()) {
    PlannedPreCheck Types = std::move(Move);
    Types.Kind = PreCheckKind::TypesFit;
    Types.Relation = Dst->Relation;
    Types.Columns = Declaration->second;
    Types.Description =
        fmt::format("every value carried into `{}` is of its column's type", Dst->Relation);
    Out.push_back(std::move(Types));
  }
}

void PreCheckPlanner::planEmpty(const std::string &Relation, size_t Arity, const char *Role,
                                std::vector<PlannedPreCheck> &Out) {
  if (Touched.count(Relation) || !Checked.insert(Relation).second)
    return;
  PlannedPreCheck P;
  P.Kind = PreCheckKind::TargetEmpty;
  P.Relation = Relation;
  P.Arity = Arity;
  P.Role = Role;
  P.Description = fmt::format("`{}`, {}, holds no facts on the target", Relation, Role);
  Out.push_back(std::move(P));
}

void PreCheckPlanner::record(const iql::Statement &S) {
  if (std::string Name = statementName(S); !Name.empty())
    Touched.insert(Name);
  for (const auto &Target : S.Targets)
    Touched.insert(Target.second.Relation);
}
