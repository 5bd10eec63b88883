//===- Executor.cpp - Planning migrate and revert against a target --------===//
#include "strata/Exec/Executor.h"
#include "PostCheckObjects.h"
#include "llvm/ADT/DenseSet.h"
#include <algorithm>
#include <fmt/format.h>
#include <set>

using namespace strata;
using namespace strata::exec;

namespace {
/// Every migration of G in applying order, a squash migration standing for
/// those it replaces (the union over all leaves when branches diverge).
std::vector<const Migration *> effectiveOrder(const MigrationGraph &G) {
  llvm::DenseSet<const Migration *> Wanted;
  for (const Migration *Leaf : G.leaves())
    for (const Migration *M : appliedAt(G, Leaf))
      Wanted.insert(M);
  std::vector<const Migration *> Out;
  for (const Migration *M : G.order())
    if (Wanted.count(M))
      Out.push_back(M);
  return Out;
}

void reportTargetError(DiagnosticEngine &Diags, llvm::Error E) {
  Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(), llvm::toString(std::move(E)));
}
} // namespace

std::vector<const MigrationStatus *> TargetStatus::edited() const {
  std::vector<const MigrationStatus *> Out;
  for (const MigrationStatus &MS : Migrations)
    if (MS.Edited)
      Out.push_back(&MS);
  return Out;
}

const SquashOnTarget *TargetStatus::squash(const Migration *Squash) const {
  for (const SquashOnTarget &U : Squashes)
    if (U.Squash == Squash)
      return &U;
  return nullptr;
}

namespace {
using LedgerByName = std::map<std::string, LedgerEntry>;

MigrationStatus statusOf(const Migration *M, const LedgerByName &ByName) {
  MigrationStatus MS;
  MS.M = M;
  if (auto It = ByName.find(M->Name); It != ByName.end()) {
    MS.Applied = It->second;
    MS.Edited = It->second.Checksum != M->Checksum;
  }
  return MS;
}

/// The originals of Squash that have a file here, in applying order.
std::vector<const Migration *> originalsOf(const MigrationGraph &G, const Migration *Squash) {
  std::vector<const Migration *> Out;
  for (const Migration *M : G.order())
    if (llvm::is_contained(Squash->Replaces, M->Name))
      Out.push_back(M);
  return Out;
}

std::string quotedList(const std::vector<std::string> &Names) {
  std::string Out;
  for (const std::string &N : Names)
    Out += (Out.empty() ? "`" : ", `") + N + "`";
  return Out;
}

/// Adds Squash to S as the target has it: with its own row; through the
/// originals (they stand in its place when their files are here; when
/// they are gone and every one was applied, the squash stands for their
/// rows and reverting it removes them all); or not applied. False
/// (reported) when the target applied some originals, not all, and one of
/// their files is gone.
bool addSquash(const Migration *Squash, const MigrationGraph &G, const LedgerByName &ByName,
               TargetStatus &S, DiagnosticEngine &Diags) {
  SquashOnTarget U;
  U.Squash = Squash;
  std::vector<std::string> Gone;
  for (const std::string &R : Squash->Replaces) {
    (ByName.count(R) ? U.AppliedOriginals : U.MissingOriginals).push_back(R);
    if (!G.find(R))
      Gone.push_back(R);
  }
  MigrationStatus MS = statusOf(Squash, ByName);
  bool Through = !MS.Applied && !U.AppliedOriginals.empty();
  if (Through && Gone.empty()) {
    U.UsesOriginals = true;
    for (const Migration *O : originalsOf(G, Squash))
      S.Migrations.push_back(statusOf(O, ByName));
    S.Squashes.push_back(std::move(U));
    return true;
  }
  if (Through && !U.MissingOriginals.empty()) {
    Diags.reportAt(DiagKind::SquashOriginalsNeeded, Squash->NameLoc, S.TargetName,
                   quotedList(U.AppliedOriginals), Squash->Name, quotedList(U.MissingOriginals),
                   quotedList(Gone));
    return false;
  }
  if (Through) {
    LedgerEntry Row = ByName.at(Squash->Replaces.back());
    for (const std::string &R : Squash->Replaces)
      if (R != Row.Name)
        Row.AlsoRemoves.push_back(ByName.at(R));
    MS.Applied = std::move(Row);
  }
  S.Migrations.push_back(std::move(MS));
  S.Squashes.push_back(std::move(U));
  return true;
}

/// The migrations S counts as applied: those with a ledger row (or rows,
/// for a squash), and a squash whose originals all are.
llvm::DenseSet<const Migration *> appliedSet(const TargetStatus &S) {
  llvm::DenseSet<const Migration *> Out;
  for (const MigrationStatus &MS : S.Migrations)
    if (MS.Applied)
      Out.insert(MS.M);
  for (const SquashOnTarget &U : S.Squashes)
    if (U.UsesOriginals && U.MissingOriginals.empty())
      Out.insert(U.Squash);
  return Out;
}

/// Reports an applied migration whose dependency is not (the ledger is
/// written in dependency order, so someone edited it).
bool checkDependencies(const TargetStatus &S, const MigrationGraph &G, DiagnosticEngine &Diags) {
  llvm::DenseSet<const Migration *> Applied = appliedSet(S);
  bool Ok = true;
  for (const MigrationStatus &MS : S.Migrations)
    if (MS.Applied)
      for (const Migration *D : G.effectiveDepends(MS.M))
        if (!Applied.count(D)) {
          Diags.reportAt(DiagKind::ExecDependencyNotApplied, MS.M->NameLoc, MS.M->Name,
                         S.TargetName, D->Name);
          Ok = false;
        }
  return Ok;
}
} // namespace

std::optional<TargetStatus> exec::readTargetStatus(Target &T, const MigrationGraph &G,
                                                   DiagnosticEngine &Diags) {
  llvm::Expected<std::vector<LedgerEntry>> Ledger = readLedger(T);
  if (!Ledger) {
    reportTargetError(Diags, Ledger.takeError());
    return std::nullopt;
  }
  LedgerByName ByName;
  for (LedgerEntry &E : *Ledger)
    ByName.emplace(E.Name, E);
  TargetStatus S;
  S.TargetName = T.describe();
  S.LedgerExists = !Ledger->empty();
  bool Ok = true;
  llvm::DenseSet<llvm::StringRef> Known;
  for (const Migration *M : G.order()) {
    Known.insert(M->Name);
    // A squash's originals are known even once their files are gone.
    for (const std::string &R : M->Replaces)
      Known.insert(R);
  }
  for (const Migration *M : effectiveOrder(G)) {
    if (!M->Replaces.empty())
      Ok &= addSquash(M, G, ByName, S, Diags);
    else
      S.Migrations.push_back(statusOf(M, ByName));
  }
  for (const auto &[Name, E] : ByName)
    if (!Known.count(Name))
      S.Unknown.push_back(E);
  if (!Ok || !checkDependencies(S, G, Diags))
    return std::nullopt;
  return S;
}

namespace {
/// Reports edited and unknown applied migrations; false when one is an
/// error under Opts. Reverting around an unknown one is an error: its
/// changes sit on top of what is reverted, and its file is needed to
/// undo them.
bool checkApplied(const TargetStatus &S, const ExecOptions &Opts, DiagnosticEngine &Diags,
                  bool Reverting = false) {
  const std::string &TargetName = S.TargetName;
  bool Ok = true;
  for (const MigrationStatus *MS : S.edited()) {
    DiagKind K =
        Opts.AllowEdited ? DiagKind::ExecEditedMigrationAllowed : DiagKind::ExecEditedMigration;
    Diags.reportAt(K, MS->M->NameLoc, MS->M->Name, TargetName, MS->Applied->Checksum.substr(0, 12),
                   MS->M->Checksum.substr(0, 12));
    Ok &= Opts.AllowEdited;
  }
  bool UnknownIsError = Reverting && !Opts.Fake;
  for (const LedgerEntry &E : S.Unknown)
    Diags.report(UnknownIsError ? DiagKind::ExecUnknownAppliedRevert : DiagKind::ExecUnknownApplied,
                 llvm::SMLoc(), E.Name, TargetName, E.AppliedAt);
  return Ok && !(UnknownIsError && !S.Unknown.empty());
}

/// Lowers the migrations Wanted (a subset of Order), in Order, against the
/// state the target is in: every migration of Applied that is not wanted
/// is applied first, whatever its place in Order (a branch applied out of
/// order: 0003 applied before its sibling 0002 is pending), then each
/// wanted one against that state and the wanted ones before it. A wanted
/// migration that does not apply to that state is reported (naming it and
/// the conflict) before anything is sent. Each step holds its lowering and,
/// as Keep asks, what its post-condition compares of the states before and
/// after it (PostCheckObjects.h).
struct KeepStates {
  bool Before = true, After = true;
};
std::optional<std::vector<PlannedStep>> lowerSome(const std::vector<const Migration *> &Order,
                                                  const llvm::DenseSet<const Migration *> &Wanted,
                                                  const llvm::DenseSet<const Migration *> &Applied,
                                                  DiagnosticEngine &Diags, KeepStates Keep = {},
                                                  SchemaState *EndState = nullptr,
                                                  SchemaState *StartState = nullptr) {
  LoweringCursor Cursor;
  for (const Migration *M : Order)
    if (Applied.count(M) && !Wanted.count(M) && !Cursor.apply(*M, Diags))
      return std::nullopt;
  if (StartState)
    *StartState = Cursor.state();
  std::vector<PlannedStep> Out;
  for (const Migration *M : Order)
    if (Wanted.count(M)) {
      PlannedStep Step;
      // Which objects the migration touches is known once it is lowered.
      std::optional<SchemaState> Before;
      if (Keep.Before)
        Before = Cursor.state(); // a copy of three maps of shared entries
      std::optional<LoweredMigration> L = Cursor.lower(*M, Diags);
      if (!L)
        return std::nullopt;
      Step.Lowered = std::move(*L);
      std::set<std::string> Checked = checkedObjects(Step.Lowered);
      if (Before)
        Step.Before = expectedObjects(*Before, Checked);
      if (Keep.After)
        Step.After = expectedObjects(Cursor.state(), Checked);
      Out.push_back(std::move(Step));
    }
  if (EndState)
    *EndState = Cursor.state();
  return Out;
}

/// The first applied migration that comes after a pending one in Order
/// (a sibling branch applied before this one), or null.
const Migration *appliedOutOfOrder(const std::vector<const Migration *> &Order,
                                   const llvm::DenseSet<const Migration *> &Applied,
                                   const llvm::DenseSet<const Migration *> &Pending) {
  bool SeenPending = false;
  for (const Migration *M : Order) {
    SeenPending |= Pending.count(M) != 0;
    if (SeenPending && Applied.count(M))
      return M;
  }
  return nullptr;
}

/// How an object reads in a report: `a(id: int, x: int)`, `rule r`, ...
std::string objectText(const SchemaState &S, const std::string &Name) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  if (const RelationDef *R = S.relation(Name))
    printColumns(Name, R->Columns, OS);
  else if (S.derivedRelation(Name))
    OS << "the derived relation `" << Name << "`";
  else if (S.index(Name))
    OS << "the index `" << Name << "`";
  else
    OS << "no `" << Name << "`";
  return OS.str();
}

/// When a sibling branch was applied out of order, the state the target
/// reaches (Real) may differ from the history's (applying in Order): a
/// column added by each branch lands in another place, and rules read
/// columns by position. Refuses, before anything is sent, when it does.
bool checkNoDrift(const std::vector<const Migration *> &Order,
                  const llvm::DenseSet<const Migration *> &Applied,
                  const llvm::DenseSet<const Migration *> &Pending, const SchemaState &Real,
                  const std::string &TargetName, DiagnosticEngine &Diags) {
  const Migration *Early = appliedOutOfOrder(Order, Applied, Pending);
  if (!Early)
    return true;
  LoweringCursor Linear;
  for (const Migration *M : Order)
    if ((Applied.count(M) || Pending.count(M)) && !Linear.apply(*M, Diags))
      return false;
  const SchemaState &Want = Linear.state();
  if (Want == Real)
    return true;
  std::set<std::string> Names;
  for (const SchemaState *S : {&Want, &Real}) {
    for (const auto &Entry : S->relations())
      Names.insert(Entry.first);
    for (const auto &Entry : S->derived())
      Names.insert(Entry.first);
    for (const auto &Entry : S->indexes())
      Names.insert(Entry.first);
  }
  std::string Differs;
  for (const std::string &N : Names)
    if (objectText(Real, N) != objectText(Want, N) ||
        (Real.derivedRelation(N) && !(*Real.derivedRelation(N) == *Want.derivedRelation(N))) ||
        (Real.index(N) && !(*Real.index(N) == *Want.index(N)))) {
      Differs = N;
      break;
    }
  std::string PendingNames;
  for (const Migration *M : Order)
    if (Pending.count(M))
      PendingNames += (PendingNames.empty() ? "`" : ", `") + M->Name + "`";
  Diags.report(DiagKind::ExecOutOfOrderDrift, llvm::SMLoc(), PendingNames, TargetName, Early->Name,
               objectText(Real, Differs), objectText(Want, Differs));
  return false;
}
} // namespace

namespace {
/// S with the squash that replaces M following its originals, when M is
/// one of them and the target has the squash neither applied nor
/// expanded: a run to a migration inside a squash runs the originals.
void followOriginalsFor(const Migration *M, const MigrationGraph &G, TargetStatus &S) {
  const Migration *Squash = G.replacedBy(M);
  if (!Squash)
    return;
  auto It = std::find_if(S.Migrations.begin(), S.Migrations.end(),
                         [&](const MigrationStatus &MS) { return MS.M == Squash; });
  if (It == S.Migrations.end() || It->Applied)
    return;
  std::vector<MigrationStatus> Originals;
  for (const Migration *O : originalsOf(G, Squash)) {
    MigrationStatus MS;
    MS.M = O;
    Originals.push_back(MS);
  }
  It = S.Migrations.erase(It);
  S.Migrations.insert(It, Originals.begin(), Originals.end());
  for (SquashOnTarget &U : S.Squashes)
    if (U.Squash == Squash)
      U.UsesOriginals = true;
}

/// What runs to apply Wanted on S: a squash the target follows the
/// originals of stands for those it has not applied; an original whose
/// squash was applied as one is applied.
llvm::DenseSet<const Migration *> pendingFor(const std::vector<const Migration *> &Wanted,
                                             const TargetStatus &S, const MigrationGraph &G) {
  llvm::DenseSet<const Migration *> Applied = appliedSet(S), Pending;
  for (const Migration *M : Wanted) {
    if (Applied.count(M))
      continue;
    if (const SquashOnTarget *U = S.squash(M); U && U->UsesOriginals) {
      for (const Migration *O : originalsOf(G, M))
        if (!Applied.count(O))
          Pending.insert(O);
      continue;
    }
    if (const Migration *Squash = G.replacedBy(M); Squash && Applied.count(Squash))
      continue;
    Pending.insert(M);
  }
  return Pending;
}
} // namespace

std::optional<ExecPlan> exec::planMigrate(const TargetStatus &S, const MigrationGraph &G,
                                          const Migration *Goal, const ExecOptions &Opts,
                                          DiagnosticEngine &Diags) {
  if (!checkApplied(S, Opts, Diags))
    return std::nullopt;
  std::vector<const Migration *> Leaves = G.leaves();
  if (!Goal && Leaves.size() > 1) {
    std::string Names;
    for (const Migration *L : Leaves)
      Names += (Names.empty() ? "`" : ", `") + L->Name + "`";
    Diags.report(DiagKind::DivergentLeaves, llvm::SMLoc(), Names);
    return std::nullopt;
  }
  if (!Goal && Leaves.empty())
    return ExecPlan();
  std::vector<const Migration *> Wanted = appliedAt(G, Goal ? Goal : Leaves.front());
  TargetStatus Here = S;
  for (const Migration *M : Wanted)
    followOriginalsFor(M, G, Here);
  llvm::DenseSet<const Migration *> Applied = appliedSet(Here),
                                    Pending = pendingFor(Wanted, Here, G);
  ExecPlan P;
  if (Pending.empty())
    return P;
  std::vector<const Migration *> Order;
  for (const MigrationStatus &MS : Here.Migrations)
    Order.push_back(MS.M);
  SchemaState Real;
  std::optional<std::vector<PlannedStep>> Lowered =
      lowerSome(Order, Pending, Applied, Diags, {false, true}, &Real, &P.Start);
  if (!Lowered || !checkNoDrift(Order, Applied, Pending, Real, S.TargetName, Diags))
    return std::nullopt;
  P.DeclareLedger = !S.LedgerExists;
  for (PlannedStep &Step : *Lowered) {
    Step.Entry = {Step.Lowered.M->Name, Step.Lowered.M->Checksum, utcTimestamp(), {}};
    P.Steps.push_back(std::move(Step));
  }
  return P;
}

namespace {
/// What a revert to Goal keeps on S: Goal and what it depends on, a squash
/// the target follows the originals of standing for them. Reports a Goal
/// inside a squash that the target applied as one.
std::optional<llvm::DenseSet<const Migration *>> keptBy(const Migration *Goal,
                                                        const TargetStatus &S,
                                                        const MigrationGraph &G,
                                                        DiagnosticEngine &Diags) {
  llvm::DenseSet<const Migration *> Keep, Applied = appliedSet(S);
  for (const Migration *M : appliedAt(G, Goal)) {
    Keep.insert(M);
    if (const SquashOnTarget *U = S.squash(M); U && U->UsesOriginals)
      for (const Migration *O : originalsOf(G, M))
        Keep.insert(O);
    const Migration *Squash = G.replacedBy(M);
    const SquashOnTarget *U = Squash ? S.squash(Squash) : nullptr;
    if (U && !U->UsesOriginals && Applied.count(Squash)) {
      Diags.report(DiagKind::SquashRevertInside, llvm::SMLoc(), S.TargetName, Goal->Name,
                   Squash->Name);
      return std::nullopt;
    }
  }
  return Keep;
}
} // namespace

std::optional<SchemaState> exec::expectedState(const TargetStatus &S, DiagnosticEngine &Diags) {
  LoweringCursor Cursor;
  for (const MigrationStatus &MS : S.Migrations)
    if (MS.Applied && !Cursor.apply(*MS.M, Diags))
      return std::nullopt;
  return Cursor.state();
}

std::optional<ExecPlan> exec::planRevert(const TargetStatus &S, const MigrationGraph &G,
                                         const Migration *Goal, const ExecOptions &Opts,
                                         DiagnosticEngine &Diags) {
  if (!checkApplied(S, Opts, Diags, /*Reverting=*/true))
    return std::nullopt;
  std::optional<llvm::DenseSet<const Migration *>> Keep = keptBy(Goal, S, G, Diags);
  if (!Keep)
    return std::nullopt;
  std::vector<const Migration *> Order;
  llvm::DenseSet<const Migration *> Applied, Revert;
  std::map<const Migration *, LedgerEntry> Entries;
  for (const MigrationStatus &MS : S.Migrations) {
    Order.push_back(MS.M);
    if (!MS.Applied)
      continue;
    Applied.insert(MS.M);
    Entries[MS.M] = *MS.Applied;
    if (!Keep->count(MS.M))
      Revert.insert(MS.M);
  }
  ExecPlan P;
  if (Revert.empty())
    return P;
  // A backward step is checked against Before only.
  std::optional<std::vector<PlannedStep>> Lowered =
      lowerSome(Order, Revert, Applied, Diags, {true, false});
  if (!Lowered)
    return std::nullopt;
  bool Ok = true;
  for (const PlannedStep &Step : *Lowered)
    for (const LoweredOperation &Op : Step.Lowered.Ops)
      if (Op.Irreversible && !Opts.Fake) {
        Diags.reportAt(DiagKind::ExecIrreversible, Op.Op->loc(), Step.Lowered.M->Name,
                       Op.Op->describe());
        Ok = false;
      }
  if (!Ok)
    return std::nullopt;
  for (auto It = Lowered->rbegin(); It != Lowered->rend(); ++It) {
    PlannedStep Step = std::move(*It);
    Step.Backward = true;
    Step.Entry = Entries[Step.Lowered.M];
    P.Steps.push_back(std::move(Step));
  }
  return P;
}

namespace {
bool streamIsForward(JournalDirection D) {
  return D == JournalDirection::Apply || D == JournalDirection::UndoRevert;
}

/// The step that finishes E on the target S describes.
std::optional<PlannedStep> stepFor(const JournalEntry &E, const Migration *M,
                                   const MigrationGraph &G, const TargetStatus &S,
                                   DiagnosticEngine &Diags) {
  std::vector<const Migration *> Order;
  llvm::DenseSet<const Migration *> Applied, Wanted{M};
  const MigrationStatus *Mine = nullptr;
  // A run to a migration inside a squash was running an original.
  TargetStatus Here = S;
  followOriginalsFor(M, G, Here);
  for (const MigrationStatus &MS : Here.Migrations) {
    Order.push_back(MS.M);
    if (MS.M == M)
      Mine = &MS;
    else if (MS.Applied)
      Applied.insert(MS.M);
  }
  if (!Mine)
    return std::nullopt;
  std::optional<std::vector<PlannedStep>> L = lowerSome(Order, Wanted, Applied, Diags);
  if (!L || L->size() != 1)
    return std::nullopt;
  PlannedStep Step = std::move(L->front());
  Step.Backward =
      !(E.Direction == JournalDirection::Apply || E.Direction == JournalDirection::UndoApply);
  Step.Entry =
      Mine->Applied ? *Mine->Applied : LedgerEntry{M->Name, M->Checksum, utcTimestamp(), {}};
  return Step;
}
} // namespace

std::optional<Interrupted> exec::readInterrupted(Target &T, const MigrationGraph &G,
                                                 const TargetStatus &S, const ExecOptions &Opts,
                                                 DiagnosticEngine &Diags, bool &Failed) {
  Failed = true;
  llvm::Expected<std::vector<JournalEntry>> J = readJournal(T);
  if (!J) {
    reportTargetError(Diags, J.takeError());
    return std::nullopt;
  }
  if (J->empty()) {
    Failed = false;
    return std::nullopt;
  }
  const JournalEntry &E = J->front();
  std::string Where =
      fmt::format("{}, statement {} sent", journalDirectionName(E.Direction).str(), E.Sent);
  auto Blocked = [&](const std::string &Why) {
    Diags.report(DiagKind::ExecInterrupted, llvm::SMLoc(), E.Migration, T.describe(), Where, Why);
    return std::nullopt;
  };
  if (J->size() > 1)
    return Blocked(fmt::format("the journal `{}` holds {} facts where strata writes one; it was "
                               "edited by hand, nothing was changed",
                               JournalRelation, J->size()));
  const Migration *M = G.find(E.Migration);
  if (!M)
    return Blocked("there is no such migration here: restore its file to finish it (nothing "
                   "was changed)");
  if (M->Checksum != E.Checksum && !Opts.AllowEdited)
    return Blocked(fmt::format("its file changed since (checksum {} then, {} now), so the "
                               "statements that finish it are not known: restore the file as it "
                               "was (nothing was changed)",
                               E.Checksum.substr(0, 12), M->Checksum.substr(0, 12)));
  std::optional<PlannedStep> Step = stepFor(E, M, G, S, Diags);
  if (!Step)
    return Blocked("it cannot be lowered against the target's ledger (nothing was changed)");
  Interrupted I;
  I.Entry = E;
  I.Total = migrationStream(Step->Lowered, streamIsForward(E.Direction)).size();
  if (E.Sent == 0 || E.Sent > I.Total)
    return Blocked(fmt::format("its stream has {} statements, so the journal was not written "
                               "for it as it lowers here (nothing was changed)",
                               I.Total));
  bool Applied = false;
  for (const MigrationStatus &MS : S.Migrations)
    if (MS.M == M)
      Applied = MS.Applied.has_value();
  I.LedgerShowsEnd = (E.Direction == JournalDirection::Apply && Applied) ||
                     (E.Direction == JournalDirection::Revert && !Applied);
  I.Step = std::move(*Step);
  Failed = false;
  return I;
}

std::string exec::describeInterrupted(const Interrupted &I) {
  return fmt::format("{}, statement {} of {} sent", journalDirectionName(I.Entry.Direction).str(),
                     I.Entry.Sent, I.Total);
}

std::string exec::nextActionFor(const Interrupted &I) {
  const std::string &Name = I.Entry.Migration;
  if (I.LedgerShowsEnd)
    return fmt::format("the ledger already shows the end of `{}`: the next `strata migrate` or "
                       "`strata revert` only clears the journal",
                       Name);
  const char *What = "";
  switch (I.Entry.Direction) {
  case JournalDirection::Apply:
    What = "applying";
    break;
  case JournalDirection::Revert:
    What = "reverting";
    break;
  case JournalDirection::UndoApply:
    What = "undoing the failed apply of";
    break;
  case JournalDirection::UndoRevert:
    What = "undoing the failed revert of";
    break;
  }
  return fmt::format("the next `strata migrate` or `strata revert` first finishes {} `{}` from "
                     "statement {}, then does what it was asked",
                     What, Name, I.Entry.Sent);
}

TargetStatus exec::statusAfterResume(const TargetStatus &S, const Interrupted &I) {
  TargetStatus After = S;
  for (MigrationStatus &MS : After.Migrations) {
    if (MS.M != I.Step.Lowered.M)
      continue;
    if (I.Entry.Direction == JournalDirection::Apply) {
      MS.Applied = I.Step.Entry;
      MS.Edited = false;
    } else if (I.Entry.Direction == JournalDirection::Revert) {
      MS.Applied.reset();
      MS.Edited = false;
    }
  }
  After.LedgerExists = true;
  return After;
}
