//===- Verifier.cpp - Reversibility verification of lowered migrations ----===//
#include "strata/Verify/Verifier.h"
#include "strata/Verify/Catalog.h"
#include "strata/Verify/MigrationStatement.h"
#include <map>
#include <set>

using namespace strata;

namespace {

struct Touch {
  const Operation *Op = nullptr;
  size_t Index = 0;
  std::string Text;
};

/// Names of the objects a statement changes.
std::vector<std::string> touched(const iql::Statement &S) {
  std::vector<std::string> N;
  switch (*migrationKind(S)) {
  case MigrationStmtKind::IndexCreate:
    N.push_back(S.Index.Name);
    N.push_back(S.Index.Relation);
    break;
  case MigrationStmtKind::AtomicUpdate:
    for (const auto &Target : S.Targets)
      N.push_back(Target.second.Relation);
    break;
  case MigrationStmtKind::Query:
    break;
  default:
    N.push_back(statementName(S));
  }
  return N;
}

std::string oneLine(const std::string &Text) {
  std::string S;
  for (char C : Text)
    S += C == '\n' ? std::string("\\n") : std::string(1, C);
  return S;
}

} // namespace

namespace {
/// Runs a lowered migration's streams on a catalog, forward then back, and
/// compares the catalog with the states they must reach.
class StreamVerifier {
public:
  /// Changed: null for a catalog fresh from Before (everything is
  /// compared); else the names that differ between Before and After, and
  /// only what the streams touch, Changed and the rules reading either
  /// are compared.
  StreamVerifier(IqlCatalog &C, const LoweredMigration &L, const SchemaState &Before,
                 const SchemaState &After, const std::set<std::string> *Changed)
      : C(C), L(L), Before(Before), After(After), Changed(Changed),
        MigName(L.M ? L.M->Name : std::string("<migration>")) {}

  VerifyResult run(std::set<std::string> *RawCreatedOut);

private:
  bool runPhase(VerifyFailure::Phase Phase, std::set<std::string> *RawCreated);
  bool step(VerifyFailure::Phase Phase, const LoweredOperation &Op, const IqlStatement &St,
            std::set<std::string> *RawCreated);
  void noteTouched(const LoweredOperation &Op, const iql::Statement &S, const std::string &Text,
                   std::set<std::string> *RawCreated);
  bool noneStillBroken();
  bool matches(VerifyFailure::Phase Phase, const SchemaState &Expected,
               const std::set<std::string> *Ignore);
  bool backwardParses();
  std::set<std::string> onlySet() const;
  VerifyFailure failure(VerifyFailure::Phase Phase, VerifyFailure::Reason Reason,
                        const Operation *Op, size_t Index, std::string Statement,
                        std::string Message) const;

  IqlCatalog &C;
  const LoweredMigration &L;
  const SchemaState &Before, &After;
  const std::set<std::string> *Changed;
  std::string MigName;
  VerifyResult Result;
  std::set<std::string> Touched;
  std::map<std::string, Touch> LastTouch;
  size_t Index = 0;
  std::map<std::string, VerifyFailure> Pending; // rule -> the statement that first broke it
};

VerifyFailure StreamVerifier::failure(VerifyFailure::Phase Phase, VerifyFailure::Reason Reason,
                                      const Operation *Op, size_t At, std::string Statement,
                                      std::string Message) const {
  VerifyFailure F;
  F.ThePhase = Phase;
  F.TheReason = Reason;
  F.Migration = MigName;
  F.Op = Op;
  F.Index = At;
  F.Statement = std::move(Statement);
  F.Message = std::move(Message);
  return F;
}

std::set<std::string> StreamVerifier::onlySet() const {
  std::set<std::string> Only = Touched;
  Only.insert(Changed->begin(), Changed->end());
  std::vector<std::string> Names(Only.begin(), Only.end());
  for (const std::string &N : Names)
    for (std::string &R : C.readersOf(N))
      Only.insert(std::move(R));
  return Only;
}

void StreamVerifier::noteTouched(const LoweredOperation &Op, const iql::Statement &S,
                                 const std::string &Text, std::set<std::string> *RawCreated) {
  bool Raw = Op.Op && llvm::isa<RunIql>(Op.Op);
  for (const std::string &N : touched(S)) {
    LastTouch[N] = {Op.Op, Index, Text};
    if (Raw && RawCreated && !After.hasRelationName(N) && !After.index(N) &&
        !Before.hasRelationName(N) && !Before.index(N))
      RawCreated->insert(N);
  }
}

bool StreamVerifier::step(VerifyFailure::Phase Phase, const LoweredOperation &Op,
                          const IqlStatement &St, std::set<std::string> *RawCreated) {
  ++Index;
  ++Result.Statements;
  using Reason = VerifyFailure::Reason;
  llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
  if (!Read) {
    Result.Failure =
        failure(Phase, Reason::Rejected, Op.Op, Index, St.Text, llvm::toString(Read.takeError()));
    return false;
  }
  if (!*Read)
    return true; // comments only: the server skips them
  const iql::Statement &S = **Read;
  if (Changed) {
    // `.rel drop` also removes the indexes on the relation.
    if (migrationKind(S) == MigrationStmtKind::RelDrop)
      for (const auto &[Name, I] : C.indexes())
        if (I.Relation == statementName(S))
          Touched.insert(Name);
    for (const std::string &N : touched(S))
      Touched.insert(N);
  }
  if (llvm::Error E = C.execute(S)) {
    Result.Failure =
        failure(Phase, Reason::Failed, Op.Op, Index, St.Text, llvm::toString(std::move(E)));
    return false;
  }
  if (!C.brokenRule().empty()) {
    VerifyFailure F = failure(Phase, Reason::RuleBroken, Op.Op, Index, St.Text, C.brokenRule());
    // A clause the server refuses fails here. A rule the server keeps but
    // could not evaluate now (it reads what an operation is replacing)
    // only fails if it is still broken when the stream ends.
    if (C.brokenRuleRefused()) {
      Result.Failure = std::move(F);
      return false;
    }
    Pending.emplace(C.brokenRuleName(), std::move(F));
  }
  noteTouched(Op, S, St.Text, RawCreated);
  return true;
}

/// False (setting the failure) when a rule broken during the stream is
/// broken still.
bool StreamVerifier::noneStillBroken() {
  for (const auto &[Rule, F] : Pending)
    if (std::string Why = C.recheckRule(Rule); !Why.empty()) {
      Result.Failure = F;
      Result.Failure->Message = Why;
      return false;
    }
  return true;
}

bool StreamVerifier::runPhase(VerifyFailure::Phase Phase, std::set<std::string> *RawCreated) {
  Index = 0;
  Pending.clear();
  C.beginPhase(Phase == VerifyFailure::Phase::Forward ? After : Before);
  if (Phase == VerifyFailure::Phase::Forward) {
    for (const LoweredOperation &Op : L.Ops)
      for (const IqlStatement &St : Op.Forward)
        if (!step(Phase, Op, St, RawCreated))
          return false;
  } else {
    for (auto It = L.Ops.rbegin(); It != L.Ops.rend(); ++It)
      for (const IqlStatement &St : It->Backward)
        if (!step(Phase, *It, St, RawCreated))
          return false;
  }
  return noneStillBroken();
}

/// Whether the catalog models Expected (the objects Ignore names aside);
/// else sets a Mismatch failure at the statement that last touched the
/// differing object.
bool StreamVerifier::matches(VerifyFailure::Phase Phase, const SchemaState &Expected,
                             const std::set<std::string> *Ignore) {
  std::string Obj;
  std::optional<std::set<std::string>> Only;
  if (Changed)
    Only = onlySet();
  std::string D = C.differenceFrom(Expected, Ignore, &Obj, Only ? &*Only : nullptr);
  if (D.empty())
    return true;
  Touch At;
  if (auto It = LastTouch.find(Obj); It != LastTouch.end())
    At = It->second;
  Result.Failure =
      failure(Phase, VerifyFailure::Reason::Mismatch, At.Op, At.Index, At.Text, std::move(D));
  return false;
}

/// A backward stream that cannot be executed (an irreversible operation)
/// must still consist of valid statements.
bool StreamVerifier::backwardParses() {
  size_t At = 0;
  for (auto It = L.Ops.rbegin(); It != L.Ops.rend(); ++It)
    for (const IqlStatement &St : It->Backward) {
      ++At;
      llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
      if (!Read) {
        Result.Failure = failure(VerifyFailure::Phase::Backward, VerifyFailure::Reason::Rejected,
                                 It->Op, At, St.Text, llvm::toString(Read.takeError()));
        return false;
      }
    }
  return true;
}

VerifyResult StreamVerifier::run(std::set<std::string> *RawCreatedOut) {
  std::set<std::string> RawCreated;
  if (!runPhase(VerifyFailure::Phase::Forward, &RawCreated))
    return Result;
  if (RawCreatedOut)
    *RawCreatedOut = RawCreated;
  if (!matches(VerifyFailure::Phase::Forward, After, &RawCreated))
    return Result;
  for (const LoweredOperation &Op : L.Ops)
    if (Op.Irreversible) {
      backwardParses();
      return Result;
    }
  Result.BackwardChecked = true;
  LastTouch.clear();
  if (runPhase(VerifyFailure::Phase::Backward, nullptr))
    matches(VerifyFailure::Phase::Backward, Before, nullptr);
  return Result;
}

VerifyResult verifyOn(IqlCatalog &C, const LoweredMigration &L, const SchemaState &Before,
                      const SchemaState &After, const std::set<std::string> *Changed,
                      std::set<std::string> *RawCreatedOut) {
  return StreamVerifier(C, L, Before, After, Changed).run(RawCreatedOut);
}
} // namespace

// ---- HistoryVerifier ----------------------------------------------------------

namespace {
/// Names whose definitions differ between A and B (entries share their
/// pointers while unchanged, so this is a merge of the two maps).
template <typename MapT> void diffNames(const MapT &A, const MapT &B, std::set<std::string> &Out) {
  auto I = A.begin(), J = B.begin();
  while (I != A.end() || J != B.end()) {
    if (I != A.end() && J != B.end() && I->second == J->second) {
      ++I; // one object, so one name: unchanged
      ++J;
      continue;
    }
    if (J == B.end() || (I != A.end() && I->first < J->first)) {
      Out.insert(I->first);
      ++I;
    } else if (I == A.end() || J->first < I->first) {
      Out.insert(J->first);
      ++J;
    } else {
      if (I->second != J->second && !(*I->second == *J->second))
        Out.insert(I->first);
      ++I;
      ++J;
    }
  }
}

/// The names among Candidates whose definitions differ between A and B:
/// diffNames restricted to them, at a lookup each.
template <typename MapT>
void diffCandidates(const MapT &A, const MapT &B, const std::set<std::string> &Candidates,
                    std::set<std::string> &Out) {
  for (const std::string &N : Candidates) {
    auto I = A.find(N), J = B.find(N);
    bool InA = I != A.end(), InB = J != B.end();
    if (InA != InB || (InA && I->second != J->second && !(*I->second == *J->second)))
      Out.insert(N);
  }
}

/// The objects L's operations can change, as Operation::touches reports
/// them (`rel`, `rel.col`, `rule`, `index:NAME`), by name; nullopt when one
/// can change anything (`*`: a `run iql`). Each operation's applyTo puts
/// or erases only those, so comparing them finds every difference the
/// states have.
std::optional<std::set<std::string>> changeableNames(const LoweredMigration &L) {
  std::set<std::string> Out;
  for (const LoweredOperation &Op : L.Ops) {
    if (!Op.Op)
      return std::nullopt;
    for (llvm::StringRef Key : Op.Op->touches(/*Reads=*/false)) {
      if (Key == "*")
        return std::nullopt;
      if (!Key.consume_front("index:"))
        Key = Key.split('.').first;
      Out.insert(Key.str());
    }
  }
  return Out;
}

/// The names whose definitions differ between Before and After, the
/// states around L: only those L's operations can change are compared
/// (issue 18, item 5: a walk of both states' maps per migration made
/// `verify` grow faster than the history), all when that is not known.
std::set<std::string> changedNames(const LoweredMigration &L, const SchemaState &Before,
                                   const SchemaState &After) {
  std::set<std::string> Out;
  std::optional<std::set<std::string>> Candidates = changeableNames(L);
  if (!Candidates) {
    diffNames(Before.relations(), After.relations(), Out);
    diffNames(Before.derived(), After.derived(), Out);
    diffNames(Before.indexes(), After.indexes(), Out);
    return Out;
  }
  diffCandidates(Before.relations(), After.relations(), *Candidates, Out);
  diffCandidates(Before.derived(), After.derived(), *Candidates, Out);
  diffCandidates(Before.indexes(), After.indexes(), *Candidates, Out);
  return Out;
}

/// The entries of From named in Names, copied (shared) into To.
template <typename MapT, typename PutFn, typename EraseFn>
void syncNames(const MapT &From, const std::set<std::string> &Names, PutFn Put, EraseFn Erase) {
  for (const std::string &N : Names) {
    auto It = From.find(N);
    if (It != From.end())
      Put(It->second);
    else
      Erase(N);
  }
}
} // namespace

namespace {
/// Every relation name a lowered statement names or reads.
void namesIn(const iql::Statement &S, std::set<std::string> &Out) {
  for (const std::string &N : touched(S))
    Out.insert(N);
  auto Atoms = [&](const std::vector<iql::Literal> &Body) {
    for (const iql::Literal &Lit : Body)
      if (Lit.K != iql::Literal::Kind::Compare)
        Out.insert(Lit.A.Relation);
  };
  Atoms(S.Rule.Body);
  Atoms(S.Body);
}

/// The derived relations of Before that checking L can involve: those its
/// statements name or read and those that differ from After (Seeds), the
/// rules reading any of them, and everything those rules read in turn.
/// No other rule is re-checked or compared by a verification with
/// Changed, so a catalog of Before without them gives the same verdict.
std::set<std::string> rulesInPlay(const SchemaState &Before, const std::set<std::string> &Seeds) {
  RuleReaders Readers(Before);
  std::set<std::string> Keep;
  std::vector<const DerivedDef *> Work;
  auto Add = [&](llvm::StringRef N) {
    if (const DerivedDef *D = Before.derivedRelation(N); D && Keep.insert(N.str()).second)
      Work.push_back(D);
  };
  for (const std::string &N : Seeds) {
    Add(N);
    for (const std::string &R : Readers.readersOf(N))
      Add(R);
  }
  while (!Work.empty()) {
    const DerivedDef *D = Work.back();
    Work.pop_back();
    for (const auto &Cl : D->Clauses)
      for (const ast::BodyLiteral &Lit : Cl->Body)
        if (Lit.TheKind != ast::BodyLiteral::Kind::Comparison)
          Add(Lit.TheAtom.Relation.Name);
  }
  return Keep;
}
} // namespace

VerifyResult strata::verifyMigration(const LoweredMigration &L, const SchemaState &Before,
                                     const SchemaState &After) {
  std::set<std::string> Changed;
  diffNames(Before.relations(), After.relations(), Changed);
  diffNames(Before.derived(), After.derived(), Changed);
  diffNames(Before.indexes(), After.indexes(), Changed);
  // A `run iql` statement may do anything: check it on the whole catalog.
  bool Raw = llvm::any_of(
      L.Ops, [](const LoweredOperation &Op) { return Op.Op && llvm::isa<RunIql>(Op.Op); });
  if (Raw) {
    IqlCatalog C = IqlCatalog::fromState(Before);
    C.addTypeHints(After);
    return verifyOn(C, L, Before, After, nullptr, nullptr);
  }
  std::set<std::string> Seeds = Changed;
  for (const LoweredOperation &Op : L.Ops)
    for (const auto *Stream : {&Op.Forward, &Op.Backward})
      for (const IqlStatement &St : *Stream)
        if (St.Tree)
          namesIn(*St.Tree, Seeds);
  std::set<std::string> Keep = rulesInPlay(Before, Seeds);
  SchemaState Part;
  for (const auto &[Name, R] : Before.relations())
    Part.put(R);
  for (const auto &[Name, I] : Before.indexes())
    Part.put(I);
  for (const std::string &N : Keep)
    Part.put(Before.derived().find(N)->second);
  IqlCatalog C = IqlCatalog::fromState(Part);
  C.addTypeHints(After);
  return verifyOn(C, L, Before, After, &Changed, nullptr);
}

struct HistoryVerifier::Impl {
  /// Shares every unchanged definition with Cursor.state(), so that the
  /// two differ by pointer exactly where a migration changed something.
  SchemaState Before;
  LoweringCursor Cursor;
  std::optional<IqlCatalog> Catalog;
  /// The catalog models Before (else it is rebuilt from it).
  bool CatalogValid = true;
  const Migration *Lowered = nullptr;

  explicit Impl(SchemaState Start)
      : Before(Start), Cursor(std::move(Start)), Catalog(IqlCatalog::fromState(Before)) {}
};

HistoryVerifier::HistoryVerifier(SchemaState Start) : P(std::make_unique<Impl>(std::move(Start))) {}
HistoryVerifier::~HistoryVerifier() = default;

const SchemaState &HistoryVerifier::before() const { return P->Before; }

std::optional<LoweredMigration> HistoryVerifier::lower(const Migration &M, DiagnosticEngine &Diags,
                                                       bool &ApplyFailed) {
  P->Lowered = &M;
  std::optional<LoweredMigration> L = P->Cursor.lower(M, Diags);
  ApplyFailed = !L && P->Cursor.applyFailed();
  return L;
}

VerifyResult HistoryVerifier::verifyAndAdvance(const LoweredMigration &L, DiagnosticEngine &Diags) {
  const SchemaState &After = P->Cursor.state();
  if (!P->CatalogValid) {
    P->Catalog.emplace(IqlCatalog::fromState(P->Before));
    P->CatalogValid = true;
  }
  IqlCatalog &C = *P->Catalog;
  C.beginMigration(P->Before, After);
  std::set<std::string> Changed = changedNames(L, P->Before, After), RawCreated;
  VerifyResult R = verifyOn(C, L, P->Before, After, &Changed, &RawCreated);
  if (R.Failure) {
    P->CatalogValid = false;
    return R;
  }
  // Back at the state before after a backward run: run forward again.
  if (R.BackwardChecked)
    for (const IqlStatement *St : L.forward()) {
      llvm::Expected<const iql::Statement *> S = checkLoweredStatement(*St);
      if (!S) {
        llvm::consumeError(S.takeError());
        P->CatalogValid = false;
        break;
      }
      if (!*S)
        continue;
      if (llvm::Error E = C.execute(**S)) {
        llvm::consumeError(std::move(E));
        P->CatalogValid = false;
        break;
      }
    }
  // What a `run iql` made and the state does not know is not carried on
  // (a catalog fresh from the state after would not have it).
  for (const std::string &N : RawCreated)
    C.forget(N);
  // The state before the next migration: the changed definitions of the
  // state after, shared.
  SchemaState &B = P->Before;
  syncNames(
      After.relations(), Changed, [&](const auto &X) { B.put(X); },
      [&](const std::string &N) { B.eraseRelation(N); });
  syncNames(
      After.derived(), Changed, [&](const auto &X) { B.put(X); },
      [&](const std::string &N) { B.eraseDerived(N); });
  syncNames(
      After.indexes(), Changed, [&](const auto &X) { B.put(X); },
      [&](const std::string &N) { B.eraseIndex(N); });
  (void)Diags;
  return R;
}

void strata::reportVerifyFailure(const VerifyFailure &F, const Migration *M,
                                 DiagnosticEngine &Diags) {
  llvm::SMLoc Loc;
  if (F.Op && F.Op->loc().isValid())
    Loc = F.Op->loc().Start;
  else if (M)
    Loc = M->NameLoc.Start;
  const char *Phase = F.ThePhase == VerifyFailure::Phase::Forward ? "forward" : "backward";
  std::string From = F.Op ? F.Op->describe() : std::string("the migration");
  std::string Text = oneLine(F.Statement);
  switch (F.TheReason) {
  case VerifyFailure::Reason::Rejected:
    Diags.report(DiagKind::VerifyStatementRejected, Loc, Phase, F.Index, F.Migration, From,
                 F.Message, Text);
    return;
  case VerifyFailure::Reason::Failed:
    Diags.report(DiagKind::VerifyStatementFailed, Loc, Phase, F.Index, F.Migration, From, F.Message,
                 Text);
    return;
  case VerifyFailure::Reason::RuleBroken:
    Diags.report(DiagKind::VerifyRuleBroken, Loc, Phase, F.Index, F.Migration, From, F.Message,
                 Text);
    return;
  case VerifyFailure::Reason::Mismatch: {
    DiagKind K = F.ThePhase == VerifyFailure::Phase::Forward ? DiagKind::VerifyForwardMismatch
                                                             : DiagKind::VerifyBackwardMismatch;
    llvm::SMLoc MLoc = M ? M->NameLoc.Start : llvm::SMLoc();
    auto B = Diags.report(K, MLoc, F.Migration, F.Message);
    if (F.Index)
      B.note(DiagKind::NoteVerifyLastChange, Loc, Phase, F.Index, From, Text);
    return;
  }
  }
}
