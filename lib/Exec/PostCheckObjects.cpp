//===- PostCheckObjects.cpp - What a migration's post-condition compares --===//
#include "PostCheckObjects.h"

using namespace strata;
using namespace strata::exec;

std::optional<std::pair<MigrationStmtKind, std::string>>
exec::statementObject(const IqlStatement &St) {
  llvm::Expected<const iql::Statement *> S = checkLoweredStatement(St);
  if (!S) {
    llvm::consumeError(S.takeError());
    return std::nullopt;
  }
  if (!*S)
    return std::nullopt;
  std::optional<MigrationStmtKind> K = migrationKind(**S);
  if (!K)
    return std::nullopt;
  return std::make_pair(*K, statementName(**S));
}

std::set<std::string> exec::checkedObjects(const std::vector<StreamItem> &Items) {
  std::set<std::string> Out;
  for (const StreamItem &It : Items)
    if (It.St->Purpose != StepPurpose::Raw)
      if (std::optional<std::pair<MigrationStmtKind, std::string>> K = statementObject(*It.St))
        Out.insert(K->second);
  return Out;
}

std::set<std::string> exec::checkedObjects(const LoweredMigration &L) {
  std::set<std::string> Out = checkedObjects(migrationStream(L, true));
  std::set<std::string> Back = checkedObjects(migrationStream(L, false));
  Out.insert(Back.begin(), Back.end());
  return Out;
}

SchemaState exec::expectedObjects(const SchemaState &State, const std::set<std::string> &Names) {
  SchemaState Out;
  auto PutRelation = [&](const std::string &Name) {
    if (auto It = State.relations().find(Name); It != State.relations().end())
      Out.put(It->second);
    if (auto It = State.derived().find(Name); It != State.derived().end())
      Out.put(It->second);
  };
  for (const std::string &Name : Names) {
    PutRelation(Name);
    if (auto It = State.indexes().find(Name); It != State.indexes().end())
      Out.put(It->second);
    if (auto It = State.derived().find(Name); It != State.derived().end())
      for (const auto &C : It->second->Clauses)
        for (const ast::BodyLiteral &L : C->Body)
          if (L.TheKind != ast::BodyLiteral::Kind::Comparison)
            PutRelation(L.TheAtom.Relation.Name);
  }
  // Indexes are few; those on a named relation are compared with it.
  for (const auto &[Name, I] : State.indexes())
    if (Names.count(I->Relation))
      Out.put(I);
  return Out;
}
