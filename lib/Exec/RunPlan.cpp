//===- RunPlan.cpp - Sending a plan, one migration at a time --------------===//
//
// A migration is a stream of statements (its operations' forward
// statements in order, or their backward statements newest first), then
// its ledger statement. Each statement goes in one request with the
// journal fact that says it was sent (strata/Exec/Journal.h), so a run
// that stops anywhere leaves the target saying where; the ledger
// statement removes the journal fact in its own request. Over a wire, a
// move of many facts goes as several such requests, one per batch
// (MoveBatches.h).
//
// Each reply is read; the first failure stops the migration. A lost
// connection leaves the journal for the next run to finish
// (resumeInterrupted). Any other failure undoes the completed operations
// at once, newest first, by running the opposite stream from the first
// statement that belongs to them, journaled the same way.
//
//===----------------------------------------------------------------------===//
#include "MoveBatches.h"
#include "PostCheckObjects.h"
#include "strata/Exec/Executor.h"
#include "strata/Exec/Journal.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/Exec/TargetCatalog.h"
#include "strata/IQL/Printer.h"
#include "strata/Verify/MigrationStatement.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include <fmt/format.h>
#include <set>

using namespace strata;
using namespace strata::exec;

namespace {
/// Why a sent request failed.
struct SendFailure {
  std::string Why;
  /// The transport failed: the connection is gone, and whether the
  /// request ran is known only to the target (its journal says).
  bool Lost = false;
};

/// Sends Program; Shown is what the listener sees (the statement without
/// the journal bookkeeping around it).
std::optional<SendFailure> send(Target &T, const std::string &Program, const ExecOptions &Opts,
                                const std::string &Migration, Reply *Out = nullptr,
                                const std::string *Shown = nullptr) {
  if (Opts.Listener)
    Opts.Listener({ExecEvent::Kind::Statement, Migration, Shown ? *Shown : Program});
  llvm::Expected<Reply> R = T.execute(Program);
  if (!R)
    return SendFailure{llvm::toString(R.takeError()), true};
  if (Opts.Listener)
    Opts.Listener({ExecEvent::Kind::Replied, Migration, Shown ? *Shown : Program});
  if (std::optional<std::string> Why = replyFailure(*R))
    return SendFailure{*Why, false};
  if (Out)
    *Out = std::move(*R);
  return std::nullopt;
}

/// A strata-generated move `-src(V0, .., Vn), +dst(..) <- body` must leave
/// src empty; the variables of its delete head, when it is one (read from
/// the lowered tree).
std::optional<std::pair<std::string, std::string>> moveSource(const IqlStatement &St) {
  const iql::Statement *S = loweredAtomicUpdate(St);
  if (!S)
    return std::nullopt;
  for (const auto &[Insert, A] : S->Targets)
    if (!Insert) {
      std::string Args;
      for (const iql::Expr &E : A.Args)
        Args += (Args.empty() ? "" : ", ") + iql::printExpr(E);
      return std::make_pair(A.Relation, Args);
    }
  return std::nullopt;
}

/// The facts a move's reply says it inserted (`Update: D deleted, I
/// inserted.`), or nullopt when the target words it otherwise.
std::optional<uint64_t> movedFacts(const Reply &R) {
  for (const auto &Row : R.Rows)
    for (const Cell &V : Row)
      if (llvm::Optional<llvm::StringRef> S = V.getAsString())
        for (llvm::StringRef Line : llvm::split(*S, '\n')) {
          if (!Line.consume_front("Update: "))
            continue;
          size_t At = Line.find(" deleted, ");
          uint64_t N = 0;
          if (At != llvm::StringRef::npos && !Line.drop_front(At + strlen(" deleted, "))
                                                  .take_while(llvm::isDigit)
                                                  .getAsInteger(10, N))
            return N;
        }
  return std::nullopt;
}

/// `move-to-stage of operation 2 of 3 (change column ...), apply
/// statement 5 of 12`: a step named for messages.
std::string describeStep(const StepPosition &P) {
  return fmt::format("{} of operation {} of {} ({}), {} statement {} of {}",
                     stepPurposeName(P.Purpose).str(), P.Operation, P.Operations, P.OperationText,
                     P.Direction, P.Statement, P.Statements);
}

/// How many clauses the target's rule Name has (`.rule list`), or nullopt.
std::optional<unsigned> clauseCount(Target &T, const std::string &Name) {
  llvm::Expected<Reply> R = T.execute(".rule list");
  if (!R) {
    llvm::consumeError(R.takeError());
    return std::nullopt;
  }
  std::string Prefix = "  " + Name + " (";
  for (const auto &Row : R->Rows)
    for (const Cell &V : Row)
      if (llvm::Optional<llvm::StringRef> S = V.getAsString())
        for (llvm::StringRef Line : llvm::split(*S, '\n'))
          if (Line.consume_front(Prefix)) {
            unsigned N = 0;
            if (!Line.consumeInteger(10, N))
              return N;
          }
  return 0;
}
bool isUndo(JournalDirection D) {
  return D == JournalDirection::UndoApply || D == JournalDirection::UndoRevert;
}
bool forwardStream(JournalDirection D) {
  return D == JournalDirection::Apply || D == JournalDirection::UndoRevert;
}

/// Where a stream stopped.
struct Stop {
  size_t Index = 0;   // the item that failed; the stream's size: its end
  size_t RanInOp = 0; // statements of that item's operation that took effect
  std::string Text;   // what was sent
  SendFailure Failure;
  std::optional<Reply> Unmoved; // a move that left facts behind
};

class StepRunner {
public:
  StepRunner(Target &T, const PlannedStep &Step, const ExecOptions &Opts, DiagnosticEngine &Diags)
      : T(T), Step(Step), Opts(Opts), Diags(Diags), Name(Step.Lowered.M->Name) {}

  bool run() {
    return runDirection(Step.Backward ? JournalDirection::Revert : JournalDirection::Apply, 0,
                        false);
  }

  /// Finishes the run the journal fact E describes (E.Sent was sent and
  /// may or may not have taken effect).
  bool resume(const JournalEntry &E, bool LedgerShowsEnd) {
    MaybePresent = {E};
    Declared = true;
    if (LedgerShowsEnd) {
      // The ledger statement ran (the journal fact outlived it only if
      // the program stopped in between): nothing is left but the fact.
      if (std::optional<SendFailure> F = finish(E.Direction, /*LedgerToo=*/false)) {
        Diags.report(
            DiagKind::ExecTargetFailed, llvm::SMLoc(),
            fmt::format("cannot clear the journal of `{}` on {}: {}", Name, T.describe(), F->Why));
        return false;
      }
      return true;
    }
    return runDirection(E.Direction, E.Sent - 1, true);
  }

private:
  bool runDirection(JournalDirection D, size_t From, bool FirstUncertain) {
    std::vector<StreamItem> Items = migrationStream(Step.Lowered, forwardStream(D));
    std::optional<Stop> S = runStream(D, Items, From, FirstUncertain);
    if (!S && !isUndo(D) && !Opts.SkipPostChecks && !postCheck(D, Items))
      return false;
    if (!S)
      if (std::optional<SendFailure> F = finish(D, true))
        S = Stop{Items.size(), 0, ledgerText(D), *F, std::nullopt};
    if (!S)
      return true;
    report(D, Items, *S);
    return false;
  }

  std::optional<Stop> runStream(JournalDirection D, const std::vector<StreamItem> &Items,
                                size_t From, bool FirstUncertain) {
    for (size_t I = From; I < Items.size(); ++I) {
      bool Uncertain = FirstUncertain && I == From;
      if (Uncertain && alreadyRan(Items, I))
        continue;
      if (std::optional<Stop> S = runItem(D, Items, I, Uncertain))
        return S;
    }
    return std::nullopt;
  }

  /// Sends Items[I] (Uncertain: the interrupted run may have sent it
  /// already) and, for a move, checks that it left its source empty. On a
  /// target with a message limit a move reads its facts first and, when
  /// they need more than one request, sends them in batches.
  std::optional<Stop> runItem(JournalDirection D, const std::vector<StreamItem> &Items, size_t I,
                              bool Uncertain) {
    const StreamItem &It = Items[I];
    const std::string &Text = It.St->Text;
    bool Raw = It.Op->Op->kind() == Operation::Kind::RunIql;
    std::optional<std::pair<std::string, std::string>> Src =
        Raw ? std::nullopt : moveSource(*It.St);
    std::optional<BatchableMove> Batchable =
        Src && T.maxRequestBytes() ? batchableMove(*It.St) : std::nullopt;
    StepPosition Pos = position(D, Items, I, Src ? Src->first : "", !Batchable);
    step(ExecEvent::Kind::StepStarted, Pos);
    std::optional<std::vector<MoveBatch>> Batches;
    if (Batchable) {
      Reply Facts;
      std::optional<SendFailure> F = send(T, Batchable->sourceQuery(), Opts, Name, &Facts);
      if (F && F->Lost)
        return failed(Pos, Stop{I, It.IndexInOp, Batchable->sourceQuery(), *F, std::nullopt});
      // A source the target cannot list is left to the whole statement,
      // which reports what is wrong with it.
      if (!F && !Facts.isMessage()) {
        Pos.FactsTotal = Facts.Rows.size();
        Batches = cutIntoBatches(*Batchable, Facts, Opts.BatchFacts, T.maxRequestBytes() / 2);
      }
    }
    bool Batched = Batches && Batches->size() > 1;
    if (Batched) {
      // Batch 0: the facts are read and cut; the batches follow.
      Pos.Batches = Batches->size();
      step(ExecEvent::Kind::StepProgress, Pos);
      if (std::optional<Stop> S = sendBatches(D, It, I, *Batchable, *Batches, Pos))
        return S;
    } else {
      Reply Answer;
      if (std::optional<SendFailure> F = sendJournaled(D, unsigned(I + 1), Text, &Answer))
        if (!(Uncertain && alreadyDone(*It.St, *F)))
          return failed(Pos, Stop{I, It.IndexInOp, Text, *F, std::nullopt});
      if (Src)
        Pos.FactsDone = movedFacts(Answer);
    }
    if (Src)
      if (std::optional<Stop> S = checkMoved(D, It, I, *Src, Pos, Batched))
        return S;
    step(ExecEvent::Kind::StepFinished, Pos);
    return std::nullopt;
  }

  /// Sends the batches of the move Items[I], each with the journal fact
  /// saying statement I+1 was sent: a run that stops between them leaves
  /// the journal there, and the move, repeated, carries what is left.
  std::optional<Stop> sendBatches(JournalDirection D, const StreamItem &It, size_t I,
                                  const BatchableMove &M, const std::vector<MoveBatch> &Batches,
                                  StepPosition &Pos) {
    uint64_t Moved = 0;
    bool Counted = true;
    for (size_t B = 0; B < Batches.size(); ++B) {
      std::string Shown =
          fmt::format("{} // batch {} of {}: {} fact{} of {}", M.Restricted, B + 1, Batches.size(),
                      Batches[B].Facts, Batches[B].Facts == 1 ? "" : "s", M.Source);
      Reply Answer;
      if (std::optional<SendFailure> F =
              sendJournaled(D, unsigned(I + 1), Batches[B].Program, &Answer, &Shown)) {
        // A program stopped at its move keeps its batch: not a fact of
        // the history, but not to be left behind either.
        if (!F->Lost)
          llvm::consumeError(T.execute(".rel drop " + M.BatchRelation).takeError());
        return failed(Pos, Stop{I, It.IndexInOp + (B > 0), Shown, *F, std::nullopt});
      }
      std::optional<uint64_t> N = movedFacts(Answer);
      Counted &= N.has_value();
      Moved += N.value_or(0);
      Pos.Batch = B + 1;
      Pos.FactsDone = Counted ? std::optional<uint64_t>(Moved) : std::nullopt;
      step(ExecEvent::Kind::StepProgress, Pos);
    }
    return std::nullopt;
  }

  /// A move must leave its source Src empty. After batches, facts they did
  /// not carry (written to the source since it was read) are moved by the
  /// whole statement, once, before that counts as a failure.
  std::optional<Stop> checkMoved(JournalDirection D, const StreamItem &It, size_t I,
                                 const std::pair<std::string, std::string> &Src, StepPosition &Pos,
                                 bool Batched) {
    Reply Left;
    std::string Query = fmt::format("?{}({})", Src.first, Src.second);
    if (std::optional<SendFailure> F = send(T, Query, Opts, Name, &Left)) {
      F->Why = "cannot check that the move is complete: " + F->Why;
      return failed(Pos, Stop{I, It.IndexInOp + 1, Query, *F, std::nullopt});
    }
    if (Left.isMessage() || Left.Rows.empty())
      return std::nullopt;
    if (!Batched)
      return failed(Pos, Stop{I, It.IndexInOp + 1, It.St->Text, {}, std::move(Left)});
    Reply Answer;
    if (std::optional<SendFailure> F = sendJournaled(D, unsigned(I + 1), It.St->Text, &Answer))
      return failed(Pos, Stop{I, It.IndexInOp + 1, It.St->Text, *F, std::nullopt});
    if (Pos.FactsDone)
      if (std::optional<uint64_t> N = movedFacts(Answer))
        Pos.FactsDone = *Pos.FactsDone + *N;
    return checkMoved(D, It, I, Src, Pos, false);
  }

  /// Where Items[I] stands in the stream D, for the listener; a move
  /// (MovesFrom) is counted first when the options ask.
  StepPosition position(JournalDirection D, const std::vector<StreamItem> &Items, size_t I,
                        std::string MovesFrom, bool Count) {
    StepPosition P;
    P.Direction = journalDirectionName(D).str();
    P.Statement = I + 1;
    P.Statements = Items.size();
    P.Operation = size_t(Items[I].Op - Step.Lowered.Ops.data()) + 1;
    P.Operations = Step.Lowered.Ops.size();
    P.OperationText = Items[I].Op->Op->describe();
    P.Purpose = Items[I].St->Purpose;
    P.MovesFrom = std::move(MovesFrom);
    if (Count && Opts.CountFacts && Opts.Listener && !P.MovesFrom.empty()) {
      // A failed count only leaves the total unknown: the move itself
      // reports any real trouble with the target.
      llvm::Expected<TargetCatalog> C = readRelationCatalog(T);
      if (!C)
        llvm::consumeError(C.takeError());
      else if (auto It = C->Facts.find(P.MovesFrom); It != C->Facts.end())
        P.FactsTotal = It->second;
    }
    return P;
  }

  void step(ExecEvent::Kind K, const StepPosition &P, std::string Text = "") {
    if (!Opts.Listener)
      return;
    ExecEvent E{K, Name, std::move(Text)};
    E.Position = P;
    Opts.Listener(E);
  }

  /// Tells the listener which step S stopped at, then returns S.
  Stop failed(const StepPosition &P, Stop S) {
    step(ExecEvent::Kind::StepFailed, P, S.Unmoved ? "facts were left behind" : S.Failure.Why);
    LastFailed = P;
    return S;
  }

  /// The post-condition: the catalog of every object the stream's
  /// generated statements name is the one the history expects after it (before the ledger
  /// statement, so a difference is rolled back like a failed statement). Reports and returns false
  /// when it is not, or cannot be read.
  bool postCheck(JournalDirection D, const std::vector<StreamItem> &Items) {
    // (`strata status` still reports what a `run iql` block changed as
    // drift.)
    std::set<std::string> Touched = checkedObjects(Items);
    const SchemaState &Want = forwardStream(D) ? Step.After : Step.Before;
    if (Opts.Listener)
      Opts.Listener({ExecEvent::Kind::Phase, Name, "post-check"});
    bool Lost = false;
    llvm::Expected<TargetCatalog> C = readTargetCatalogOf(T, Touched, &Lost);
    std::vector<std::string> Differences;
    std::string Unreadable;
    if (C)
      Differences = catalogDifferences(*C, Want, &Touched);
    else
      Unreadable = llvm::toString(C.takeError());
    if (C && Differences.empty())
      return true;
    if (Lost) {
      // As any request lost: the journal says the last statement was sent,
      // and the next run finishes the migration (post-condition included).
      report(D, Items, Stop{Items.size(), 0, "reading the catalog", {Unreadable, true}, {}});
      return false;
    }
    std::optional<std::string> Undone = rollBack(D, Items, Items.size(), 0, nullptr);
    const char *Doing = D == JournalDirection::Apply ? "applying" : "reverting";
    llvm::SMRange Loc = Step.Lowered.M->NameLoc;
    auto Diag = C ? Diags.reportAt(DiagKind::ExecPostCheckFailed, Loc, Doing, Name, T.describe(),
                                   Differences.front())
                  : Diags.reportAt(DiagKind::ExecPostCheckUnreadable, Loc, T.describe(), Doing,
                                   Name, Unreadable);
    for (size_t I = 1; I < Differences.size(); ++I)
      Diag.note(DiagKind::NoteExecDifference, llvm::SMLoc(), Differences[I]);
    if (Undone)
      Diag.note(DiagKind::NoteExecRolledBack, llvm::SMLoc(), *Undone);
    reportRollbackError(Name);
    return false;
  }

  /// A resumed statement that the interrupted run's request already
  /// carried out, where running it again would not be harmless: a rule
  /// clause would be defined twice. Counted from the rule's last drop in
  /// the stream (a rule the migration does not drop is taken to start
  /// empty: docs/safety.md).
  bool alreadyRan(const std::vector<StreamItem> &Items, size_t I) {
    std::optional<std::pair<MigrationStmtKind, std::string>> K = statementObject(*Items[I].St);
    if (!K || K->first != MigrationStmtKind::Rule)
      return false;
    unsigned Expected = 0;
    for (size_t J = 0; J <= I; ++J) {
      std::optional<std::pair<MigrationStmtKind, std::string>> KJ = statementObject(*Items[J].St);
      if (!KJ || KJ->second != K->second)
        continue;
      if (KJ->first == MigrationStmtKind::RuleDrop || KJ->first == MigrationStmtKind::RuleClear)
        Expected = 0;
      else if (KJ->first == MigrationStmtKind::Rule)
        ++Expected;
    }
    std::optional<unsigned> Have = clauseCount(T, K->second);
    return Have && *Have >= Expected;
  }

  /// A resumed statement whose failure says the interrupted run's request
  /// did it already: a drop of what is gone, an index that exists.
  static bool alreadyDone(const IqlStatement &St, const SendFailure &F) {
    std::optional<std::pair<MigrationStmtKind, std::string>> K = statementObject(St);
    if (F.Lost || !K)
      return false;
    llvm::StringRef Why(F.Why);
    switch (K->first) {
    case MigrationStmtKind::RelDrop:
    case MigrationStmtKind::RuleDrop:
    case MigrationStmtKind::IndexDrop:
      return Why.contains("not found") || Why.contains("does not exist");
    case MigrationStmtKind::IndexCreate:
      return Why.contains("already exists");
    default:
      return false;
    }
  }

  /// Sends Text with the journal fact saying statement Number was sent,
  /// in one program: the journal first, so a request that ran at all
  /// left it.
  std::optional<SendFailure> sendJournaled(JournalDirection D, unsigned Number,
                                           const std::string &Text, Reply *Out = nullptr,
                                           const std::string *Shown = nullptr) {
    JournalEntry Next{Name, D, Step.Lowered.M->Checksum, Number};
    std::string Program = Declared ? "" : journalDeclaration() + "\n";
    for (const JournalEntry &Old : MaybePresent)
      Program += journalDelete(Old) + "\n";
    Program += journalInsert(Next) + "\n" + Text;
    std::optional<SendFailure> F = send(T, Program, Opts, Name, Out, Shown ? Shown : &Text);
    if (F && F->Lost)
      return F; // the journal holds what it held, or Next: the next run reads which
    Declared = true;
    // A failure reply may come from a program refused before it ran.
    if (!F)
      MaybePresent.clear();
    MaybePresent.push_back(Next);
    return F;
  }

  std::string ledgerText(JournalDirection D) const {
    if (D == JournalDirection::Apply)
      return ledgerInsert(Step.Entry);
    if (D == JournalDirection::Revert)
      return ledgerDelete(Step.Entry);
    return "";
  }

  /// The end of a run: the ledger statement (LedgerToo, and not an undo)
  /// and the journal fact's removal, in one program.
  std::optional<SendFailure> finish(JournalDirection D, bool LedgerToo) {
    std::string Ledger = LedgerToo ? ledgerText(D) : "";
    std::string Program = Ledger;
    for (const JournalEntry &Old : MaybePresent)
      Program += (Program.empty() ? "" : "\n") + journalDelete(Old);
    if (Program.empty())
      return std::nullopt;
    std::optional<SendFailure> F = send(T, Program, Opts, Name, nullptr, &Program);
    if (!F)
      MaybePresent.clear();
    return F;
  }

  void report(JournalDirection D, const std::vector<StreamItem> &Items, const Stop &S) {
    const LoweredOperation *Op = S.Index < Items.size() ? Items[S.Index].Op : nullptr;
    llvm::SMRange Loc = Op ? Op->Op->loc() : Step.Lowered.M->NameLoc;
    unsigned Number = unsigned(S.Index + 1);
    std::optional<StepPosition> At = LastFailed; // before a rollback's own steps
    if (S.Failure.Lost) {
      auto Diag = Diags.reportAt(DiagKind::ExecStatementFailed, Loc, Number, Name, T.describe(),
                                 S.Failure.Why);
      Diag.note(DiagKind::NoteExecStatement, llvm::SMLoc(), S.Text);
      noteStep(Diag, Items, S, At);
      Diag.note(DiagKind::NoteExecResumable, llvm::SMLoc(),
                fmt::format("the journal `{}` on the target records how far `{}` got ({}); the "
                            "next `strata migrate` or `strata revert` finishes it first "
                            "(docs/safety.md)",
                            JournalRelation, Name, journalDirectionName(D).str()));
      return;
    }
    std::optional<std::string> Undone =
        isUndo(D) ? std::nullopt : rollBack(D, Items, S.Index, S.RanInOp, Op);
    if (isUndo(D))
      RollbackError = {Loc, S.Text, S.Failure.Why};
    if (S.Unmoved) {
      auto Diag = Diags.reportAt(DiagKind::ExecMovedIncompletely, Loc, S.Unmoved->Rows.size(),
                                 moveSource(*Items[S.Index].St)->first, Number, Name,
                                 "their cast or fill did not apply; nothing was dropped");
      Diag.note(DiagKind::NoteExecExamples, llvm::SMLoc(), exampleRows(*S.Unmoved))
          .note(DiagKind::NoteExecStatement, llvm::SMLoc(), S.Text);
      noteStep(Diag, Items, S, At);
      if (Undone)
        Diag.note(DiagKind::NoteExecRolledBack, llvm::SMLoc(), *Undone);
    } else {
      auto Diag = Diags.reportAt(DiagKind::ExecStatementFailed, Loc, Number, Name, T.describe(),
                                 S.Failure.Why);
      Diag.note(DiagKind::NoteExecStatement, llvm::SMLoc(), S.Text);
      noteStep(Diag, Items, S, At);
      if (Undone)
        Diag.note(DiagKind::NoteExecRolledBack, llvm::SMLoc(), *Undone);
    }
    reportRollbackError(Name);
  }

  /// Names the step S stopped at (a statement of the stream, not the
  /// ledger's), so the message says where the run was.
  static void noteStep(DiagnosticBuilder &Diag, const std::vector<StreamItem> &Items, const Stop &S,
                       const std::optional<StepPosition> &At) {
    if (S.Index < Items.size() && At && At->Statement == S.Index + 1)
      Diag.note(DiagKind::NoteExecStep, llvm::SMLoc(), describeStep(*At));
  }

  /// Undoes the operations of Items[0, Failed) that completed, newest
  /// first, by the opposite stream from their first statement. Returns
  /// what was done, or nullopt with RollbackError set (the journal then
  /// keeps its place for the next run).
  std::optional<std::string> rollBack(JournalDirection D, const std::vector<StreamItem> &Items,
                                      size_t Failed, size_t RanInPartial,
                                      const LoweredOperation *Partial) {
    if (T.discardUncommitted())
      return fmt::format("{} restored from its state file as it was before `{}`; the ledger "
                         "does not list it as {}",
                         T.describe(), Name, Step.Backward ? "reverted" : "applied");
    if (Partial && RanInPartial > 0) {
      RollbackError = {Partial->Op->loc(), Partial->Op->describe(),
                       fmt::format("it stopped after {} of its statements, which cannot be "
                                   "undone one by one",
                                   RanInPartial)};
      return std::nullopt;
    }
    llvm::DenseSet<const LoweredOperation *> Done;
    for (size_t I = 0; I < Failed && I < Items.size(); ++I)
      if (Items[I].Op != Partial)
        Done.insert(Items[I].Op);
    for (const LoweredOperation &Op : Step.Lowered.Ops)
      if (Done.count(&Op) && D == JournalDirection::Apply && Op.Irreversible) {
        RollbackError = {Op.Op->loc(), Op.Op->describe(), "it has no backward statements"};
        return std::nullopt;
      }
    JournalDirection Undo =
        D == JournalDirection::Apply ? JournalDirection::UndoApply : JournalDirection::UndoRevert;
    std::vector<StreamItem> Opposite = migrationStream(Step.Lowered, forwardStream(Undo));
    size_t Start = 0;
    while (Start < Opposite.size() && !Done.count(Opposite[Start].Op))
      ++Start;
    if (std::optional<Stop> S = runStream(Undo, Opposite, Start, false)) {
      const LoweredOperation *At = S->Index < Opposite.size() ? Opposite[S->Index].Op : nullptr;
      RollbackError = {At ? At->Op->loc() : Step.Lowered.M->NameLoc, S->Text,
                       S->Unmoved ? "facts were left behind" : S->Failure.Why};
      return std::nullopt;
    }
    if (std::optional<SendFailure> F = finish(Undo, false)) {
      RollbackError = {Step.Lowered.M->NameLoc, "clearing the journal", F->Why};
      return std::nullopt;
    }
    return fmt::format("{} operation(s) {} with {} statement(s); {} and its ledger are as "
                       "before `{}`",
                       Done.size(), Step.Backward ? "re-applied" : "undone",
                       Opposite.size() - Start, T.describe(), Name);
  }

  struct RollbackFailure {
    llvm::SMRange Loc;
    std::string What, Why;
  };
  std::optional<RollbackFailure> RollbackError;

  /// Reports, after a failure's own error, a rollback that failed too.
  void reportRollbackError(llvm::StringRef Migration) {
    if (RollbackError)
      Diags.reportAt(DiagKind::ExecRollbackFailed, RollbackError->Loc, Migration,
                     RollbackError->What, RollbackError->Why);
    RollbackError.reset();
  }

  Target &T;
  const PlannedStep &Step;
  const ExecOptions &Opts;
  DiagnosticEngine &Diags;
  std::string Name;
  /// Journal facts that may be on the target (one, but a refused program
  /// leaves the previous one in place).
  std::vector<JournalEntry> MaybePresent;
  /// The journal relation was declared in this run.
  bool Declared = false;
  /// The step the last stream stopped at.
  std::optional<StepPosition> LastFailed;
};

void event(const ExecOptions &Opts, ExecEvent::Kind K, const std::string &Name,
           std::string Text = "") {
  if (Opts.Listener)
    Opts.Listener({K, Name, std::move(Text)});
}

/// A migration of the plan starts (Index of Count, 1-based).
void started(const ExecOptions &Opts, const PlannedStep &Step, size_t Index, size_t Count) {
  if (!Opts.Listener)
    return;
  ExecEvent E{Step.Backward ? ExecEvent::Kind::Reverting : ExecEvent::Kind::Applying,
              Step.Lowered.M->Name, ""};
  E.Index = Index;
  E.Count = Count;
  E.Position.Direction = Step.Backward ? "revert" : "apply";
  if (!Opts.Fake)
    E.Position.Statements = migrationStream(Step.Lowered, !Step.Backward).size();
  E.Position.Operations = Step.Lowered.Ops.size();
  Opts.Listener(E);
}
} // namespace

size_t exec::runPlan(Target &T, const ExecPlan &P, const ExecOptions &Opts,
                     DiagnosticEngine &Diags) {
  // Every forward step is checked before the first statement is sent, up
  // to a `run iql`; those after it just before they run.
  bool PreCheck = !Opts.Fake && !Opts.SkipPreChecks;
  size_t Unpredicted = P.Steps.size();
  if (PreCheck && llvm::any_of(P.Steps, [](const PlannedStep &S) { return !S.Backward; }))
    event(Opts, ExecEvent::Kind::Phase, "", "pre-checks");
  if (PreCheck && !preCheckPlan(T, P, Diags, Unpredicted))
    return 0;
  if (P.DeclareLedger)
    if (std::optional<SendFailure> F = send(T, ledgerDeclaration(), Opts, "")) {
      Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(),
                   fmt::format("cannot declare the ledger `{}` on {}: {}", LedgerRelation,
                               T.describe(), F->Why));
      return 0;
    }
  size_t Completed = 0;
  for (const PlannedStep &Step : P.Steps) {
    const std::string &Name = Step.Lowered.M->Name;
    if (PreCheck && !Step.Backward && Completed >= Unpredicted) {
      event(Opts, ExecEvent::Kind::Phase, Name, "pre-checks");
      if (!preCheck(T, Step.Lowered, Diags))
        break;
    }
    started(Opts, Step, Completed + 1, P.Steps.size());
    bool Ok;
    if (Opts.Fake) {
      std::string Ledger = Step.Backward ? ledgerDelete(Step.Entry) : ledgerInsert(Step.Entry);
      std::optional<SendFailure> F = send(T, Ledger, Opts, Name);
      if (F)
        Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(),
                     fmt::format("cannot record `{}` on {}: {}", Name, T.describe(), F->Why));
      Ok = !F;
    } else {
      Ok = StepRunner(T, Step, Opts, Diags).run();
    }
    if (!Ok)
      break;
    event(Opts, ExecEvent::Kind::Phase, Name, "commit");
    if (llvm::Error E = T.commit()) {
      Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(), llvm::toString(std::move(E)));
      break;
    }
    event(Opts,
          Opts.Fake ? ExecEvent::Kind::Faked
                    : (Step.Backward ? ExecEvent::Kind::Reverted : ExecEvent::Kind::Applied),
          Name);
    ++Completed;
  }
  return Completed;
}

bool exec::resumeInterrupted(Target &T, const Interrupted &I, const ExecOptions &Opts,
                             DiagnosticEngine &Diags) {
  event(Opts, ExecEvent::Kind::Resuming, I.Step.Lowered.M->Name, describeInterrupted(I));
  if (!StepRunner(T, I.Step, Opts, Diags).resume(I.Entry, I.LedgerShowsEnd))
    return false;
  event(Opts, ExecEvent::Kind::Phase, I.Step.Lowered.M->Name, "commit");
  if (llvm::Error E = T.commit()) {
    Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(), llvm::toString(std::move(E)));
    return false;
  }
  event(Opts, ExecEvent::Kind::Resumed, I.Step.Lowered.M->Name);
  return true;
}
