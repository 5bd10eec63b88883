//===- RunPlan.cpp - Sending a plan, one migration at a time --------------===//
//
// Each reply is read; the first failure stops the migration, whose
// completed operations are then undone newest first (their backward
// statements going forward, their forward statements going backward). The
// ledger row is the migration's last statement, so the ledger never claims
// a migration that did not fully run.
//
//===----------------------------------------------------------------------===//
#include "strata/Exec/Executor.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/IQL/Printer.h"
#include "strata/Verify/MigrationStatement.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;

namespace {
/// Why a sent statement failed: a transport error or a failure reply.
std::optional<std::string> send(Target &T, const std::string &Text, const ExecOptions &Opts,
                                const std::string &Migration, Reply *Out = nullptr) {
  if (Opts.Listener)
    Opts.Listener({ExecEvent::Kind::Statement, Migration, Text});
  llvm::Expected<Reply> R = T.execute(Text);
  if (!R)
    return llvm::toString(R.takeError());
  if (std::optional<std::string> Why = replyFailure(*R))
    return Why;
  if (Out)
    *Out = std::move(*R);
  return std::nullopt;
}

/// A strata-generated move `-src(V0, .., Vn), +dst(..) <- body` must leave
/// src empty; the variables of its delete head, when it is one (read from
/// the lowered tree).
std::optional<std::pair<std::string, std::string>> moveSource(const IqlStatement &St) {
  llvm::Expected<const iql::Statement *> S = checkLoweredStatement(St);
  if (!S) {
    llvm::consumeError(S.takeError());
    return std::nullopt;
  }
  if (!*S || migrationKind(**S) != MigrationStmtKind::AtomicUpdate)
    return std::nullopt;
  for (const auto &[Insert, A] : (*S)->Targets)
    if (!Insert) {
      std::string Args;
      for (const iql::Expr &E : A.Args)
        Args += (Args.empty() ? "" : ", ") + iql::printExpr(E);
      return std::make_pair(A.Relation, Args);
    }
  return std::nullopt;
}

class StepRunner {
public:
  StepRunner(Target &T, const PlannedStep &Step, const ExecOptions &Opts, DiagnosticEngine &Diags)
      : T(T), Step(Step), Opts(Opts), Diags(Diags), Name(Step.Lowered.M->Name) {}

  bool run() {
    std::vector<const LoweredOperation *> Ops;
    for (const LoweredOperation &Op : Step.Lowered.Ops)
      Ops.push_back(&Op);
    if (Step.Backward)
      std::reverse(Ops.begin(), Ops.end());
    unsigned Number = 0;
    for (const LoweredOperation *Op : Ops) {
      const auto &Stmts = Step.Backward ? Op->Backward : Op->Forward;
      for (size_t I = 0; I < Stmts.size(); ++I) {
        ++Number;
        if (!runStatement(*Op, Stmts[I], Number, I))
          return false;
      }
      Done.push_back(Op);
    }
    std::string Ledger = Step.Backward ? ledgerDelete(Step.Entry) : ledgerInsert(Step.Entry);
    if (std::optional<std::string> Why = send(T, Ledger, Opts, Name)) {
      fail(nullptr, Ledger, ++Number, *Why);
      return false;
    }
    return true;
  }

private:
  bool runStatement(const LoweredOperation &Op, const IqlStatement &St, unsigned Number,
                    size_t IndexInOp) {
    const std::string &Text = St.Text; // what the target receives
    if (std::optional<std::string> Why = send(T, Text, Opts, Name)) {
      fail(&Op, Text, Number, *Why, IndexInOp);
      return false;
    }
    if (Op.Op->kind() == Operation::Kind::RunIql)
      return true;
    if (std::optional<std::pair<std::string, std::string>> Src = moveSource(St)) {
      Reply Left;
      std::string Query = fmt::format("?{}({})", Src->first, Src->second);
      if (std::optional<std::string> Why = send(T, Query, Opts, Name, &Left)) {
        fail(&Op, Query, Number, "cannot check that the move is complete: " + *Why, IndexInOp + 1);
        return false;
      }
      if (!Left.isMessage() && !Left.Rows.empty()) {
        std::optional<std::string> Undone = rollBack(&Op, IndexInOp + 1);
        auto D = Diags.reportAt(DiagKind::ExecMovedIncompletely, Op.Op->loc(), Left.Rows.size(),
                                Src->first, Number, Name,
                                "their cast or fill did not apply; nothing was dropped");
        D.note(DiagKind::NoteExecExamples, llvm::SMLoc(), exampleRows(Left))
            .note(DiagKind::NoteExecStatement, llvm::SMLoc(), Text);
        if (Undone)
          D.note(DiagKind::NoteExecRolledBack, llvm::SMLoc(), *Undone);
        reportRollbackFailure();
        return false;
      }
    }
    return true;
  }

  void fail(const LoweredOperation *Op, const std::string &Text, unsigned Number,
            const std::string &Why, size_t IndexInOp = 0) {
    std::optional<std::string> Undone = rollBack(Op, IndexInOp);
    llvm::SMRange Loc = Op ? Op->Op->loc() : Step.Lowered.M->NameLoc;
    auto D = Diags.reportAt(DiagKind::ExecStatementFailed, Loc, Number, Name, T.describe(), Why);
    D.note(DiagKind::NoteExecStatement, llvm::SMLoc(), Text);
    if (Undone)
      D.note(DiagKind::NoteExecRolledBack, llvm::SMLoc(), *Undone);
    reportRollbackFailure();
  }

  /// Reported after the failure it follows.
  void reportRollbackFailure() {
    if (RollbackError)
      Diags.reportAt(DiagKind::ExecRollbackFailed, RollbackError->Loc, Name, RollbackError->What,
                     RollbackError->Why);
    RollbackError.reset();
  }

  /// Undoes the completed operations, newest first. Partial: the
  /// operation that failed after RanInPartial of its statements. Returns
  /// what was done, or nullopt with RollbackError set.
  std::optional<std::string> rollBack(const LoweredOperation *Partial, size_t RanInPartial) {
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
    size_t Count = 0;
    for (auto It = Done.rbegin(); It != Done.rend(); ++It) {
      const LoweredOperation &Op = **It;
      if (!Step.Backward && Op.Irreversible) {
        RollbackError = {Op.Op->loc(), Op.Op->describe(), "it has no backward statements"};
        return std::nullopt;
      }
      for (const IqlStatement &S : Step.Backward ? Op.Forward : Op.Backward) {
        if (std::optional<std::string> Why = send(T, S.Text, Opts, Name)) {
          RollbackError = {Op.Op->loc(), S.Text, *Why};
          return std::nullopt;
        }
        ++Count;
      }
    }
    return fmt::format("{} operation(s) {} with {} statement(s); {} and its ledger are as "
                       "before `{}`",
                       Done.size(), Step.Backward ? "re-applied" : "undone", Count, T.describe(),
                       Name);
  }

  struct RollbackFailure {
    llvm::SMRange Loc;
    std::string What, Why;
  };
  std::optional<RollbackFailure> RollbackError;

  Target &T;
  const PlannedStep &Step;
  const ExecOptions &Opts;
  DiagnosticEngine &Diags;
  std::string Name;
  std::vector<const LoweredOperation *> Done;
};

void event(const ExecOptions &Opts, ExecEvent::Kind K, const std::string &Name,
           std::string Text = "") {
  if (Opts.Listener)
    Opts.Listener({K, Name, std::move(Text)});
}
} // namespace

size_t exec::runPlan(Target &T, const ExecPlan &P, const ExecOptions &Opts,
                     DiagnosticEngine &Diags) {
  if (P.DeclareLedger)
    if (std::optional<std::string> Why = send(T, ledgerDeclaration(), Opts, "")) {
      Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(),
                   fmt::format("cannot declare the ledger `{}` on {}: {}", LedgerRelation,
                               T.describe(), *Why));
      return 0;
    }
  size_t Completed = 0;
  for (const PlannedStep &Step : P.Steps) {
    const std::string &Name = Step.Lowered.M->Name;
    if (!Step.Backward && !Opts.Fake && !Opts.SkipPreChecks && !preCheck(T, Step.Lowered, Diags))
      break;
    event(Opts, Step.Backward ? ExecEvent::Kind::Reverting : ExecEvent::Kind::Applying, Name);
    bool Ok;
    if (Opts.Fake) {
      std::string Ledger = Step.Backward ? ledgerDelete(Step.Entry) : ledgerInsert(Step.Entry);
      std::optional<std::string> Why = send(T, Ledger, Opts, Name);
      if (Why)
        Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(),
                     fmt::format("cannot record `{}` on {}: {}", Name, T.describe(), *Why));
      Ok = !Why;
    } else {
      Ok = StepRunner(T, Step, Opts, Diags).run();
    }
    if (!Ok)
      break;
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
