//===- Journal.cpp - Where an interrupted migration stopped ---------------===//
#include "strata/Exec/Journal.h"
#include "ExecError.h"
#include "strata/AST/Printer.h"
#include "strata/Exec/ReplyCheck.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;

namespace {
constexpr JournalDirection AllDirections[] = {JournalDirection::Apply, JournalDirection::Revert,
                                              JournalDirection::UndoApply,
                                              JournalDirection::UndoRevert};

std::string fact(const JournalEntry &E) {
  return fmt::format("{}({}, {}, {}, {})", JournalRelation, ast::quoteString(E.Migration),
                     ast::quoteString(journalDirectionName(E.Direction).str()),
                     ast::quoteString(E.Checksum), E.Sent);
}

llvm::Error notOurs(Target &T, llvm::StringRef Why) {
  return execError(fmt::format("{}: the journal `{}` {}; it was not written by strata",
                               T.describe(), JournalRelation, Why.str()));
}

llvm::Expected<JournalEntry> readRow(Target &T, const std::vector<Cell> &Row) {
  if (Row.size() != 4)
    return notOurs(T, fmt::format("has rows of {} columns, not 4", Row.size()));
  JournalEntry E;
  llvm::Optional<llvm::StringRef> Name = Row[0].getAsString(), Dir = Row[1].getAsString(),
                                  Sum = Row[2].getAsString();
  llvm::Optional<int64_t> Sent = Row[3].getAsInteger();
  if (!Name || !Dir || !Sum || !Sent || *Sent < 0)
    return notOurs(T, "holds a value of the wrong type");
  E.Migration = Name->str();
  E.Checksum = Sum->str();
  E.Sent = unsigned(*Sent);
  bool Known = false;
  for (JournalDirection D : AllDirections)
    if (journalDirectionName(D) == *Dir) {
      E.Direction = D;
      Known = true;
    }
  if (!Known)
    return notOurs(T, fmt::format("names the direction `{}`", Dir->str()));
  return E;
}
} // namespace

llvm::StringRef exec::journalDirectionName(JournalDirection D) {
  switch (D) {
  case JournalDirection::Apply:
    return "apply";
  case JournalDirection::Revert:
    return "revert";
  case JournalDirection::UndoApply:
    return "undo apply";
  case JournalDirection::UndoRevert:
    return "undo revert";
  }
  return "apply";
}

llvm::Expected<std::vector<JournalEntry>> exec::readJournal(Target &T) {
  llvm::Expected<Reply> R =
      T.execute(fmt::format("?{}(Migration, Direction, Checksum, Sent)", JournalRelation));
  if (!R)
    return R.takeError();
  std::vector<JournalEntry> Out;
  // A target that never ran a journaled migration has no such relation.
  if (R->isMessage() || (R->Rows.empty() && !R->IsError))
    return Out;
  if (R->IsError)
    return execError(fmt::format("{}: cannot read the journal `{}`: {}", T.describe(),
                                 JournalRelation, *replyFailure(*R)));
  for (const auto &Row : R->Rows) {
    llvm::Expected<JournalEntry> E = readRow(T, Row);
    if (!E)
      return E.takeError();
    Out.push_back(std::move(*E));
  }
  return Out;
}

std::string exec::journalDeclaration() {
  return fmt::format("+{}(migration: string, direction: string, checksum: string, sent: int)",
                     JournalRelation);
}
std::string exec::journalInsert(const JournalEntry &E) { return "+" + fact(E); }
std::string exec::journalDelete(const JournalEntry &E) { return "-" + fact(E); }

std::vector<StreamItem> exec::migrationStream(const LoweredMigration &L, bool ForwardStream) {
  std::vector<StreamItem> Out;
  auto Add = [&](const LoweredOperation &Op) {
    const std::vector<IqlStatement> &Stmts = ForwardStream ? Op.Forward : Op.Backward;
    for (size_t I = 0; I < Stmts.size(); ++I)
      Out.push_back({&Op, &Stmts[I], I});
  };
  if (ForwardStream)
    for (const LoweredOperation &Op : L.Ops)
      Add(Op);
  else
    for (auto It = L.Ops.rbegin(); It != L.Ops.rend(); ++It)
      Add(*It);
  return Out;
}
