//===- ExecDriver.cpp - What `migrate` and `revert` share -----------------===//
#include "ExecDriver.h"
#include "InterruptNotice.h"
#include "Progress.h"
#include "TargetFlags.h"
#include "strata/CodeGen/Stream.h"
#include "strata/Exec/Executor.h"
#include "strata/Exec/Lock.h"
#include "strata/Migrate/SumFile.h"
#include "llvm/Support/raw_ostream.h"
#include <csignal>
#include <cstdlib>
#include <unistd.h>

using namespace strata;
using namespace strata::driver;
using namespace strata::exec;

namespace {
/// Each migration's statements grouped by operation, as `strata emit`
/// prints them, then its ledger row under a line of its own.
void printPlan(const ExecPlan &P, bool Fake, const llvm::SourceMgr &SM, llvm::raw_ostream &OS) {
  if (P.DeclareLedger)
    OS << "// declare the ledger\n" << ledgerDeclaration() << '\n';
  for (const PlannedStep &Step : P.Steps) {
    OS << (&Step == &P.Steps.front() && !P.DeclareLedger ? "" : "\n") << "// "
       << (Step.Backward ? "revert " : "apply ") << Step.Lowered.M->Name << (Fake ? " (fake)" : "")
       << '\n';
    std::vector<strata::StreamItem> Items = strata::streamOf({&Step.Lowered}, Step.Backward);
    if (!Fake && !Items.empty()) {
      OS << '\n';
      writeIqlOperations(Items, SM, OS);
      OS << (Step.Backward ? "\n// remove it from the ledger\n" : "\n// record it in the ledger\n");
    }
    OS << (Step.Backward ? ledgerDelete(Step.Entry) : ledgerInsert(Step.Entry)) << '\n';
  }
  if (P.Steps.empty())
    OS << "// nothing to send\n";
}

/// `migrate --check`: reports what makes the target out of date, an
/// interrupted migration (I) included.
int checkUpToDate(Invocation &Inv, const TargetStatus &S, const std::optional<Interrupted> &I) {
  bool Stale = I.has_value();
  if (I)
    Inv.diags().report(DiagKind::ExecInterrupted, llvm::SMLoc(), I->Entry.Migration, S.TargetName,
                       describeInterrupted(*I), nextActionFor(*I));
  for (const MigrationStatus &MS : S.Migrations) {
    if (!MS.Applied)
      Inv.diags().reportAt(DiagKind::ExecPendingCheck, MS.M->NameLoc, MS.M->Name, S.TargetName);
    else if (MS.Edited)
      Inv.diags().reportAt(DiagKind::ExecEditedMigration, MS.M->NameLoc, MS.M->Name, S.TargetName,
                           MS.Applied->Checksum.substr(0, 12), MS.M->Checksum.substr(0, 12));
    Stale |= !MS.Applied || MS.Edited;
  }
  for (const LedgerEntry &E : S.Unknown) {
    Inv.diags().report(DiagKind::ExecUnknownAppliedCheck, llvm::SMLoc(), E.Name, S.TargetName,
                       E.AppliedAt);
    Stale = true;
  }
  int Exit = Inv.finish();
  if (!Stale) {
    llvm::outs() << S.TargetName << " is up to date\n";
    return Exit;
  }
  return ExitTargetStale;
}

/// Keeps N saying where the run is (Doing: the migration's line).
void notePlace(InterruptNotice &N, const ExecEvent &E, std::string &Doing) {
  switch (E.TheKind) {
  case ExecEvent::Kind::Applying:
  case ExecEvent::Kind::Reverting:
  case ExecEvent::Kind::Resuming:
    Doing = (E.TheKind == ExecEvent::Kind::Applying    ? "applying "
             : E.TheKind == ExecEvent::Kind::Reverting ? "reverting "
                                                       : "resuming ") +
            E.Migration;
    return N.set(Doing);
  case ExecEvent::Kind::StepStarted:
    return N.set(Doing + ", " + stepSummary(E.Position));
  case ExecEvent::Kind::StepProgress:
    return N.set(Doing + ", " + stepSummary(E.Position) + ", batch " +
                 std::to_string(E.Position.Batch) + " of " + std::to_string(E.Position.Batches) +
                 " done");
  case ExecEvent::Kind::Phase:
    if (E.Text == "pre-checks")
      return N.set("running the pre-checks" + (E.Migration.empty() ? "" : " of " + E.Migration));
    return N.set(Doing + ", " + E.Text);
  case ExecEvent::Kind::Applied:
  case ExecEvent::Kind::Reverted:
  case ExecEvent::Kind::Resumed:
  case ExecEvent::Kind::Faked:
    return N.set("between migrations, `" + E.Migration + "` done");
  default:
    return;
  }
}

/// The options, with a listener that hands every event to R (which must
/// outlive them) and keeps Notice (if any) up to date.
ExecOptions optionsOf(Invocation &Inv, ProgressRenderer &R, ProgressMode Mode,
                      InterruptNotice *Notice) {
  ExecOptions Opts;
  Opts.Fake = Inv.flag("--fake");
  Opts.AllowEdited = Inv.flag("--allow-edited");
  Opts.SkipPreChecks = Inv.flag("--skip-prechecks");
  Opts.SkipPostChecks = Inv.flag("--skip-postchecks");
  // Counting costs a `.rel` per move: only when someone reads the counts.
  Opts.CountFacts = Mode != ProgressMode::Plain;
  // Testing aids (docs/safety.md "Testing hooks"): die like `kill -9`
  // before the Nth statement is sent, or after its reply arrived but
  // before it is read, to test recovery from an interrupted run.
  // STRATA_TEST_KILL_SIGNAL=INT or TERM sends that signal instead, as
  // Ctrl-C or a service manager would.
  long KillBefore = 0, KillAfter = 0;
  if (const char *K = std::getenv("STRATA_TEST_KILL_BEFORE_STATEMENT"))
    KillBefore = std::atol(K);
  if (const char *K = std::getenv("STRATA_TEST_KILL_AFTER_STATEMENT"))
    KillAfter = std::atol(K);
  // STRATA_TEST_BATCH_FACTS=N: moves over ws:// in batches of N facts,
  // so that a test's few facts take several requests.
  if (const char *B = std::getenv("STRATA_TEST_BATCH_FACTS"); B && std::atol(B) > 0)
    Opts.BatchFacts = size_t(std::atol(B));
  int Signal = SIGKILL;
  if (const char *S = std::getenv("STRATA_TEST_KILL_SIGNAL"))
    Signal = llvm::StringRef(S) == "INT"    ? SIGINT
             : llvm::StringRef(S) == "TERM" ? SIGTERM
                                            : SIGKILL;
  Opts.Listener = [KillBefore, KillAfter, Signal, Sent = 0L, Replied = 0L, &R, Notice,
                   Doing = std::string()](const ExecEvent &E) mutable {
    if ((E.TheKind == ExecEvent::Kind::Statement && KillBefore > 0 && ++Sent == KillBefore) ||
        (E.TheKind == ExecEvent::Kind::Replied && KillAfter > 0 && ++Replied == KillAfter)) {
      llvm::outs().flush();
      ::raise(Signal); // this thread: the handler runs before anything more is sent
    }
    if (Notice)
      notePlace(*Notice, E, Doing);
    R.event(E);
  };
  return Opts;
}
} // namespace

namespace {
/// Takes the lock, saying what happened to an earlier holder.
bool takeLock(Invocation &Inv, Target &T, ProgressRenderer &R) {
  std::string Notice;
  LockOptions LO;
  LO.Break = Inv.flag("--break-lock");
  LO.Notice = &Notice;
  if (llvm::Error E = T.lock(currentLockHolder(), LO)) {
    Inv.diags().report(DiagKind::ExecTargetFailed, llvm::SMLoc(), llvm::toString(std::move(E)));
    return false;
  }
  if (!Notice.empty())
    R.notice(Notice);
  return true;
}

/// Finishes an interrupted migration, then runs the plan.
void runAll(Invocation &Inv, Target &T, const std::optional<Interrupted> &I, const ExecPlan &P,
            const ExecOptions &Opts, bool Backward, ProgressRenderer &R) {
  if (P.Steps.empty() && !I) {
    R.nothingToDo(T.describe(), Backward);
    return;
  }
  R.runStarted(T.describe(), Backward, P.Steps.size(), I ? I->Entry.Migration : "");
  if (I && !resumeInterrupted(T, *I, Opts, Inv.diags())) {
    R.runFinished(false, 0);
    return;
  }
  size_t Done = runPlan(T, P, Opts, Inv.diags());
  R.runFinished(Done == P.Steps.size(), Done);
}
} // namespace

int driver::runExecRequest(Invocation &Inv, const ExecRequest &Req) {
  if (Inv.flag("--plan") && Inv.flag("--check"))
    return Inv.usageError("`--plan` and `--check` cannot be combined");
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G)
    return Inv.finish();
  const Migration *Goal = nullptr;
  if (!Req.Goal.empty() && !(Goal = G->find(Req.Goal))) {
    Inv.diags().report(DiagKind::ExecUnknownMigration, llvm::SMLoc(), Req.Goal,
                       Inv.project().MigrationsDir);
    return Inv.finish();
  }
  int Exit = ExitOk;
  std::optional<ProgressMode> Mode = progressMode(Inv, Exit);
  if (!Mode)
    return Exit;
  std::unique_ptr<Target> T = openChosenTarget(Inv, Exit);
  if (!T)
    return Exit;
  bool ReadOnly = Inv.flag("--plan") || Inv.flag("--check");
  // --plan and --check print what they always printed.
  std::unique_ptr<ProgressRenderer> R = makeProgressRenderer(ReadOnly ? ProgressMode::Plain : *Mode,
                                                             Inv.flag("--verbose"), llvm::outs());
  if (!ReadOnly && !takeLock(Inv, *T, *R))
    return Inv.finish();
  // A run that refuses after taking the lock releases it too.
  struct Unlocker {
    Target *T;
    ~Unlocker() {
      if (T)
        T->unlock();
    }
  } Unlock{ReadOnly ? nullptr : T.get()};
  std::optional<TargetStatus> S = readTargetStatus(*T, *G, Inv.diags());
  if (!S)
    return Inv.finish();
  std::optional<InterruptNotice> Notice;
  if (!ReadOnly)
    Notice.emplace();
  ExecOptions Opts = optionsOf(Inv, *R, *Mode, Notice ? &*Notice : nullptr);
  // Every check runs before the first change: the interrupted migration
  // is read, and the rest planned against the state it leaves.
  bool Failed = false;
  std::optional<Interrupted> I = readInterrupted(*T, *G, *S, Opts, Inv.diags(), Failed);
  if (Failed)
    return Inv.finish();
  if (Inv.flag("--check"))
    return checkUpToDate(Inv, *S, I);
  if (I && Opts.Fake) {
    Inv.diags().report(DiagKind::ExecInterrupted, llvm::SMLoc(), I->Entry.Migration, T->describe(),
                       describeInterrupted(*I),
                       "finish it with a plain `strata migrate` or `revert` before --fake");
    return Inv.finish();
  }
  TargetStatus Planned = I ? statusAfterResume(*S, *I) : *S;
  std::optional<ExecPlan> P = Req.Backward ? planRevert(Planned, *G, Goal, Opts, Inv.diags())
                                           : planMigrate(Planned, *G, Goal, Opts, Inv.diags());
  if (!P)
    return Inv.finish();
  if (Inv.flag("--plan")) {
    if (I)
      llvm::outs() << "// interrupted: " << I->Entry.Migration << " (" << describeInterrupted(*I)
                   << "); " << nextActionFor(*I) << '\n';
    printPlan(*P, Opts.Fake, Inv.sourceMgr(), llvm::outs());
    return Inv.finish();
  }
  runAll(Inv, *T, I, *P, Opts, Req.Backward, *R);
  return Inv.finish();
}
