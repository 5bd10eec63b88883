//===- Executor.h - Applying and reverting migrations on a target -*- C++ -*-===//
//
// The executor reads every reply (an error frame or an error message row is
// a failure, strata/Exec/ReplyCheck.h), and a migration is recorded in the
// ledger only by its own last statement. When a statement fails, the
// backward statements of the operations of that migration that already ran
// are run newest first, so the target and the ledger are as they were
// before the migration; a file: target is then also restored from its
// state file, which is written once per completed migration.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_EXECUTOR_H
#define STRATA_EXEC_EXECUTOR_H

#include "strata/CodeGen/History.h"
#include "strata/Exec/Journal.h"
#include "strata/Exec/Ledger.h"
#include "strata/Exec/Target.h"
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/StringSet.h"
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace strata::exec {

/// One local migration as the target sees it.
struct MigrationStatus {
  const Migration *M = nullptr;
  /// The ledger row, when applied.
  std::optional<LedgerEntry> Applied;
  /// Applied with a checksum other than the file's.
  bool Edited = false;
};

/// Where one target stands with a squash migration (docs/cli.md, `strata
/// squash`, gives the lifecycle).
struct SquashOnTarget {
  const Migration *Squash = nullptr;
  /// Its originals (`replaces`) that the ledger records, and the others.
  std::vector<std::string> AppliedOriginals, MissingOriginals;
  /// The target follows the originals: it applied one of them without the
  /// squash, so they stand in the squash's place in Migrations (their
  /// ledger rows, their streams), and the squash counts as applied once
  /// they all are.
  bool UsesOriginals = false;

  /// The target still needs the originals' files: it applied some of
  /// them, not all.
  bool needsOriginals() const { return !AppliedOriginals.empty() && !MissingOriginals.empty(); }
};

struct TargetStatus {
  /// Every local migration, in the order they apply: a squash migration
  /// standing for those it replaces, or its originals in its place when
  /// the target follows them (SquashOnTarget::UsesOriginals).
  std::vector<MigrationStatus> Migrations;
  /// Every squash migration of the history, as this target has it.
  std::vector<SquashOnTarget> Squashes;
  /// Ledger rows naming no local migration.
  std::vector<LedgerEntry> Unknown;
  bool LedgerExists = false;
  /// The target's describe(), for messages.
  std::string TargetName;

  std::vector<const MigrationStatus *> edited() const;
  /// The entry of Squash in Squashes, or null.
  const SquashOnTarget *squash(const Migration *Squash) const;
};

/// Reads the ledger and matches it with G. Reports (and returns nullopt)
/// a target it cannot read, a ledger that claims a migration whose
/// dependency it does not, or one that applied some but not all of a
/// squash's originals whose files are gone.
std::optional<TargetStatus> readTargetStatus(Target &T, const MigrationGraph &G,
                                             DiagnosticEngine &Diags);

/// Where a migration's run stands: the statement of its stream being
/// sent, the operation it belongs to and what it does for it, so progress
/// and an interrupted run can always name the step.
struct StepPosition {
  /// The stream: `apply`, `revert`, `undo-apply` or `undo-revert`
  /// (journalDirectionName).
  std::string Direction;
  /// 1-based statement of the stream, of how many.
  size_t Statement = 0, Statements = 0;
  /// 1-based operation of the migration (in its file's order), of how
  /// many, and what it does (Operation::describe()).
  size_t Operation = 0, Operations = 0;
  std::string OperationText;
  StepPurpose Purpose = StepPurpose::Apply;
  /// A move (every fact of one relation into another, one statement):
  /// the relation it empties.
  std::string MovesFrom;
  /// How many facts the move carries: counted just before it when
  /// ExecOptions::CountFacts asks and the target says (`.rel`); and, on
  /// StepFinished, as the target's reply reports it. Unknown otherwise:
  /// a statement runs whole on the target, so nothing is known part-way.
  /// A move sent in batches (a server: ExecOptions::BatchFacts) reads its
  /// facts first, so both are known, FactsDone after each batch too.
  std::optional<uint64_t> FactsTotal, FactsDone;
  /// A move sent in batches: the batch (1-based) that last completed, of
  /// how many; 0 of 0 for a statement sent whole.
  size_t Batch = 0, Batches = 0;
};

/// What the executor tells its driver as it goes (library code never prints).
struct ExecEvent {
  enum class Kind {
    Applying,     // a migration starts forward (Index of Count, Position.Statements)
    Applied,      // ... and is recorded
    Reverting,    // a migration starts backward (as Applying)
    Reverted,     // ... and is forgotten
    Faked,        // recorded (or forgotten) without running anything
    Resuming,     // an interrupted migration is finished first (Text: how far it got)
    Resumed,      // ... and is
    StepStarted,  // a statement of the stream is about to be sent (Position)
    StepFinished, // ... and its reply was read and found good (Position)
    StepFailed,   // ... or it failed, before the failure is reported (Position, Text: why)
    StepProgress, // a batched move: its facts read (Batch 0), then each batch done (Position)
    Phase,        // work between statements starts (Text: `pre-checks`, `post-check`, `commit`)
    Statement,    // a request is about to be sent (Text)
    Replied,      // ... and its reply arrived, not yet read (Text)
  } TheKind;
  std::string Migration;
  std::string Text;
  /// Applying, Reverting, Faked: the migration's place in the run's plan
  /// (1-based) and the plan's length; 0 for a resumed migration.
  size_t Index = 0, Count = 0;
  StepPosition Position = {};
};

struct ExecOptions {
  /// Record (or forget) migrations without running their statements.
  bool Fake = false;
  /// Accept applied migrations whose file changed since.
  bool AllowEdited = false;
  /// Skip the pre-checks (docs/targets.md); for targets that cannot
  /// answer queries.
  bool SkipPreChecks = false;
  /// Skip the post-conditions (the target's catalog compared with the
  /// history's state after each migration, strata/Exec/TargetCatalog.h);
  /// for targets that cannot answer `.rel`, `.rule list` and `.index list`.
  bool SkipPostChecks = false;
  /// Before each move, count the facts it will carry with one `.rel`
  /// query (StepPosition::FactsTotal), for progress reports. The query is
  /// not a Statement event; off, nothing more is sent than without
  /// progress.
  bool CountFacts = false;
  /// The most facts one request of a batched move carries. A target with
  /// a message limit (ws://) has every move of a column change read its
  /// facts and sent back in batches of at most this many, each within
  /// half the limit (docs/safety.md, "Moves in batches"); a move that
  /// fits one batch is sent whole, as on file: targets.
  size_t BatchFacts = 100000;
  std::function<void(const ExecEvent &)> Listener;
};

/// One migration to run and exactly what will be sent for it.
struct PlannedStep {
  LoweredMigration Lowered;
  bool Backward = false;
  /// The ledger row to write (forward) or remove (backward).
  LedgerEntry Entry;
  /// The schema state the history expects on the target before and after
  /// the migration, of the objects its post-condition compares (those its
  /// statements name, lib/Exec/PostCheckObjects.h): not the whole schema.
  /// A planned step keeps only the one its direction ends in (a resumed
  /// one, both: it may be finished or undone).
  SchemaState Before, After;
};

struct ExecPlan {
  std::vector<PlannedStep> Steps;
  /// The schema state the first step was lowered against (forward plans):
  /// the pre-checks declare the relations they copy with it.
  SchemaState Start;
  /// The ledger relation must be declared before the first step.
  bool DeclareLedger = false;
};

/// The plan that brings the target to Goal: forward when Goal (null: every
/// leaf; divergent leaves are an error) is not yet applied, nothing when it
/// is. Reports edited migrations (an error without AllowEdited), unknown
/// applied ones (a warning), and what cannot be lowered.
std::optional<ExecPlan> planMigrate(const TargetStatus &S, const MigrationGraph &G,
                                    const Migration *Goal, const ExecOptions &Opts,
                                    DiagnosticEngine &Diags);
/// The plan that reverts every applied migration that Goal (null: `zero`)
/// does not depend on, newest first. Reports irreversible operations.
std::optional<ExecPlan> planRevert(const TargetStatus &S, const MigrationGraph &G,
                                   const Migration *Goal, const ExecOptions &Opts,
                                   DiagnosticEngine &Diags);

/// Runs the plan's steps one migration at a time (the pre-checks of every
/// forward step first, preCheckPlan), committing the target after each. Stops at the first
/// failure, after rolling that migration back. Returns the number of
/// steps completed; reports failures.
size_t runPlan(Target &T, const ExecPlan &P, const ExecOptions &Opts, DiagnosticEngine &Diags);

/// The schema state the history expects on a target whose ledger is S:
/// its applied migrations replayed in the order they apply. Reports (and
/// returns nullopt) one that does not apply.
std::optional<SchemaState> expectedState(const TargetStatus &S, DiagnosticEngine &Diags);

/// A migration that a run left part-way, from the target's journal.
struct Interrupted {
  JournalEntry Entry;
  /// What finishes it: its lowering against the state the ledger says
  /// the target is in, and its ledger row.
  PlannedStep Step;
  /// Statements in the stream the journal counts.
  size_t Total = 0;
  /// The ledger already shows the run's end (a row written by `apply`,
  /// removed by `revert`): only the journal fact is left to clear.
  bool LedgerShowsEnd = false;
};

/// Reads the journal: nullopt when no migration was interrupted, or when
/// it cannot be finished here, which is reported (Failed is set): more
/// than one journal fact, a migration with no file here, or whose file
/// changed since (unless AllowEdited). Sends only queries.
std::optional<Interrupted> readInterrupted(Target &T, const MigrationGraph &G,
                                           const TargetStatus &S, const ExecOptions &Opts,
                                           DiagnosticEngine &Diags, bool &Failed);
/// `apply, statement 4 of 9 sent`, for messages.
std::string describeInterrupted(const Interrupted &I);
/// What the next `strata migrate` or `revert` does with it.
std::string nextActionFor(const Interrupted &I);
/// S as it is once I is finished, to plan the rest of a run before
/// anything is sent.
TargetStatus statusAfterResume(const TargetStatus &S, const Interrupted &I);
/// Finishes I in the direction it was going (a resumed statement that may
/// have run already is checked or harmless to repeat: docs/safety.md) and
/// commits. Reports failures.
bool resumeInterrupted(Target &T, const Interrupted &I, const ExecOptions &Opts,
                       DiagnosticEngine &Diags);

/// Pre-checks of every forward step of P (docs/targets.md), before any of
/// them runs: facts a migration cannot carry, evaluated on a shadow of
/// the relations the plan involves (one read of each on T) as the plan's
/// earlier statements leave them. Reports the first problem at its
/// operation and returns false; sends only queries to T. Prediction stops
/// at a `run iql` operation: Unpredicted is set to the index in P.Steps of
/// the first step after it (P.Steps.size() when there is none), which
/// preCheck checks when its turn comes.
bool preCheckPlan(Target &T, const ExecPlan &P, DiagnosticEngine &Diags, size_t &Unpredicted);
/// Pre-checks of one forward migration against the target as it is, right
/// before it runs, skipping relations an earlier statement of it touched:
/// for the steps of a plan after a `run iql` operation.
bool preCheck(Target &T, const LoweredMigration &L, DiagnosticEngine &Diags);

} // namespace strata::exec

#endif
