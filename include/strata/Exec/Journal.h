//===- Journal.h - Where an interrupted migration stopped --------*- C++ -*-===//
//
// A server runs each request on its own and has no transactions, so a
// migration that stops part-way (a dropped connection, a killed client, a
// server restart) must be finished by a later run. The journal is a
// relation on the target itself (docs/safety.md):
//
//   strata_journal(migration: string, direction: string, checksum: string,
//                  sent: int)
//
// At most one fact, present only while a migration runs. `sent` = K says
// statements 1..K-1 of the migration's stream in that direction completed
// and statement K was sent. The fact is replaced in the same request as
// statement K (one program: journal first, then the statement), so a
// request that never ran leaves the journal at K-1, and one that ran
// leaves it at K. The ledger statement removes the fact in its own request.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_JOURNAL_H
#define STRATA_EXEC_JOURNAL_H

#include "strata/CodeGen/Lowering.h"
#include "strata/Exec/Target.h"
#include <string>
#include <vector>

namespace strata::exec {

constexpr const char *JournalRelation = "strata_journal";

/// Which stream a journaled migration was running.
enum class JournalDirection {
  Apply,      // forward statements, then the ledger row is written
  Revert,     // backward statements, then the ledger row is removed
  UndoApply,  // a failed apply being undone: backward statements, ledger untouched
  UndoRevert, // a failed revert being undone: forward statements, ledger untouched
};
llvm::StringRef journalDirectionName(JournalDirection D);

struct JournalEntry {
  std::string Migration;
  JournalDirection Direction = JournalDirection::Apply;
  std::string Checksum;
  /// 1-based number of the statement last sent.
  unsigned Sent = 0;

  /// Whether the stream run is the forward one.
  bool forwardStream() const {
    return Direction == JournalDirection::Apply || Direction == JournalDirection::UndoRevert;
  }
};

/// Reads the journal (an absent relation is an empty journal). A fact
/// that strata did not write is an error.
llvm::Expected<std::vector<JournalEntry>> readJournal(Target &T);

std::string journalDeclaration();
std::string journalInsert(const JournalEntry &E);
std::string journalDelete(const JournalEntry &E);

/// One statement of a migration's stream and the operation it is part of.
struct StreamItem {
  const LoweredOperation *Op = nullptr;
  const IqlStatement *St = nullptr;
  size_t IndexInOp = 0;
};
/// ForwardStream: every operation's forward statements in order; else
/// their backward statements, newest operation first. The statements a
/// journal fact counts (strata/Exec/Journal.h).
std::vector<StreamItem> migrationStream(const LoweredMigration &L, bool ForwardStream);

} // namespace strata::exec

#endif
