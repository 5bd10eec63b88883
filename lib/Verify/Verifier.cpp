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
/// Changed: null for a catalog fresh from Before (everything is compared);
/// else the names that differ between Before and After, and only what the
/// streams touch, Changed and the rules reading either are compared.
/// False (setting Result's failure) when a rule broken during the stream
/// (Pending: the statement that first broke it) is broken still.
bool stillBroken(IqlCatalog &C, const std::map<std::string, VerifyFailure> &Pending,
                 VerifyResult &Result) {
  for (const auto &[Rule, F] : Pending)
    if (std::string Why = C.recheckRule(Rule); !Why.empty()) {
      Result.Failure = F;
      Result.Failure->Message = Why;
      return false;
    }
  return true;
}

VerifyResult verifyOn(IqlCatalog &C, const LoweredMigration &L, const SchemaState &Before,
                      const SchemaState &After, const std::set<std::string> *Changed,
                      std::set<std::string> *RawCreatedOut) {
  VerifyResult Result;
  std::set<std::string> Touched;
  auto OnlySet = [&]() {
    std::set<std::string> Only = Touched;
    Only.insert(Changed->begin(), Changed->end());
    std::vector<std::string> Names(Only.begin(), Only.end());
    for (const std::string &N : Names)
      for (std::string &R : C.readersOf(N))
        Only.insert(std::move(R));
    return Only;
  };
  std::string MigName = L.M ? L.M->Name : std::string("<migration>");
  std::map<std::string, Touch> LastTouch;

  auto Run = [&](IqlCatalog &C, VerifyFailure::Phase Phase, bool Backward,
                 std::set<std::string> *RawCreated) -> bool {
    size_t Index = 0;
    std::map<std::string, VerifyFailure> Pending; // rule -> what first broke it
    auto Step = [&](const LoweredOperation &Op, const IqlStatement &St) {
      ++Index;
      ++Result.Statements;
      VerifyFailure F;
      F.ThePhase = Phase;
      F.Migration = MigName;
      F.Op = Op.Op;
      F.Index = Index;
      F.Statement = St.Text;
      std::string Why;
      llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
      if (!Read) {
        F.TheReason = VerifyFailure::Reason::Rejected;
        F.Message = llvm::toString(Read.takeError());
        Result.Failure = F;
        return false;
      }
      if (!*Read)
        return true; // comments only: the server skips them
      const iql::Statement *S = *Read;
      if (Changed) {
        // `.rel drop` also removes the indexes on the relation.
        if (migrationKind(*S) == MigrationStmtKind::RelDrop)
          for (const auto &[Name, I] : C.indexes())
            if (I.Relation == statementName(*S))
              Touched.insert(Name);
        for (const std::string &N : touched(*S))
          Touched.insert(N);
      }
      if (!C.execute(*S, Why)) {
        F.TheReason = VerifyFailure::Reason::Failed;
        F.Message = Why;
        Result.Failure = F;
        return false;
      }
      if (!C.brokenRule().empty()) {
        F.TheReason = VerifyFailure::Reason::RuleBroken;
        F.Message = C.brokenRule();
        // A clause the server refuses fails here. A rule the server keeps
        // but could not evaluate now (it reads what an operation is
        // replacing) only fails if it is still broken when the stream ends.
        if (C.brokenRuleRefused()) {
          Result.Failure = F;
          return false;
        }
        Pending.emplace(C.brokenRuleName(), F);
      }
      bool Raw = Op.Op && llvm::isa<RunIql>(Op.Op);
      for (const std::string &N : touched(*S)) {
        LastTouch[N] = {Op.Op, Index, St.Text};
        if (Raw && RawCreated && !After.hasRelationName(N) && !After.index(N) &&
            !Before.hasRelationName(N) && !Before.index(N))
          RawCreated->insert(N);
      }
      return true;
    };
    if (!Backward) {
      for (const LoweredOperation &Op : L.Ops)
        for (const IqlStatement &St : Op.Forward)
          if (!Step(Op, St))
            return false;
    } else {
      for (auto It = L.Ops.rbegin(); It != L.Ops.rend(); ++It)
        for (const IqlStatement &St : It->Backward)
          if (!Step(*It, St))
            return false;
    }
    return stillBroken(C, Pending, Result);
  };

  auto Mismatch = [&](VerifyFailure::Phase Phase, std::string Message, const std::string &Obj) {
    VerifyFailure F;
    F.ThePhase = Phase;
    F.TheReason = VerifyFailure::Reason::Mismatch;
    F.Migration = MigName;
    F.Message = std::move(Message);
    if (auto It = LastTouch.find(Obj); It != LastTouch.end()) {
      F.Op = It->second.Op;
      F.Index = It->second.Index;
      F.Statement = It->second.Text;
    }
    Result.Failure = F;
  };

  std::set<std::string> RawCreated;
  if (!Run(C, VerifyFailure::Phase::Forward, false, &RawCreated))
    return Result;
  if (RawCreatedOut)
    *RawCreatedOut = RawCreated;
  std::string Obj;
  std::optional<std::set<std::string>> Only;
  if (Changed)
    Only = OnlySet();
  if (std::string D = C.differenceFrom(After, &RawCreated, &Obj, Only ? &*Only : nullptr);
      !D.empty()) {
    Mismatch(VerifyFailure::Phase::Forward, D, Obj);
    return Result;
  }
  for (const LoweredOperation &Op : L.Ops)
    if (Op.Irreversible) {
      // Backward cannot be executed; its statements must still be valid.
      size_t Index = 0;
      for (auto It = L.Ops.rbegin(); It != L.Ops.rend(); ++It)
        for (const IqlStatement &St : It->Backward) {
          ++Index;
          llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
          if (!Read) {
            VerifyFailure F;
            F.ThePhase = VerifyFailure::Phase::Backward;
            F.TheReason = VerifyFailure::Reason::Rejected;
            F.Migration = MigName;
            F.Op = It->Op;
            F.Index = Index;
            F.Statement = St.Text;
            F.Message = llvm::toString(Read.takeError());
            Result.Failure = F;
            return Result;
          }
        }
      return Result;
    }
  Result.BackwardChecked = true;
  LastTouch.clear();
  if (!Run(C, VerifyFailure::Phase::Backward, true, nullptr))
    return Result;
  if (Changed)
    Only = OnlySet();
  if (std::string D = C.differenceFrom(Before, nullptr, &Obj, Only ? &*Only : nullptr); !D.empty())
    Mismatch(VerifyFailure::Phase::Backward, D, Obj);
  return Result;
}
} // namespace

VerifyResult strata::verifyMigration(const LoweredMigration &L, const SchemaState &Before,
                                     const SchemaState &After) {
  IqlCatalog C = IqlCatalog::fromState(Before);
  C.addTypeHints(After);
  return verifyOn(C, L, Before, After, nullptr, nullptr);
}

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
  std::set<std::string> Changed, RawCreated;
  diffNames(P->Before.relations(), After.relations(), Changed);
  diffNames(P->Before.derived(), After.derived(), Changed);
  diffNames(P->Before.indexes(), After.indexes(), Changed);
  VerifyResult R = verifyOn(C, L, P->Before, After, &Changed, &RawCreated);
  if (R.Failure) {
    P->CatalogValid = false;
    return R;
  }
  // Back at the state before after a backward run: run forward again.
  if (R.BackwardChecked)
    for (const IqlStatement *St : L.forward()) {
      std::string Why;
      llvm::Expected<const iql::Statement *> S = checkLoweredStatement(*St);
      if (!S) {
        llvm::consumeError(S.takeError());
        P->CatalogValid = false;
        break;
      }
      if (*S && !C.execute(**S, Why)) {
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
