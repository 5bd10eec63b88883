//===- Verifier.cpp - Reversibility verification of lowered migrations ----===//
#include "strata/Verify/Verifier.h"
#include "strata/Verify/Catalog.h"
#include "strata/Verify/IqlReader.h"
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
  switch (S.Kind) {
  case iql::StmtKind::IndexCreate:
    N.push_back(S.Index.Name);
    N.push_back(S.Index.Relation);
    break;
  case iql::StmtKind::AtomicUpdate:
  case iql::StmtKind::ConditionalDelete:
    for (const iql::HeadAtom &H : S.Heads)
      N.push_back(H.Relation);
    break;
  case iql::StmtKind::Comment:
  case iql::StmtKind::Query:
    break;
  default:
    N.push_back(S.Name);
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

VerifyResult strata::verifyMigration(const LoweredMigration &L, const SchemaState &Before,
                                     const SchemaState &After) {
  VerifyResult Result;
  std::string MigName = L.M ? L.M->Name : std::string("<migration>");
  std::map<std::string, Touch> LastTouch;

  auto Run = [&](IqlCatalog &C, VerifyFailure::Phase Phase, bool Backward,
                 std::set<std::string> *RawCreated) -> bool {
    size_t Index = 0;
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
      std::optional<iql::Statement> S = iql::readStatement(St.Text, Why);
      if (!S) {
        F.TheReason = VerifyFailure::Reason::Rejected;
        F.Message = Why;
        Result.Failure = F;
        return false;
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
        Result.Failure = F;
        return false;
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
    return true;
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

  IqlCatalog C = IqlCatalog::fromState(Before);
  C.addTypeHints(After);
  std::set<std::string> RawCreated;
  if (!Run(C, VerifyFailure::Phase::Forward, false, &RawCreated))
    return Result;
  std::string Obj;
  if (std::string D = C.differenceFrom(After, &RawCreated, &Obj); !D.empty()) {
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
          std::string Why;
          if (!iql::readStatement(St.Text, Why)) {
            VerifyFailure F;
            F.ThePhase = VerifyFailure::Phase::Backward;
            F.TheReason = VerifyFailure::Reason::Rejected;
            F.Migration = MigName;
            F.Op = It->Op;
            F.Index = Index;
            F.Statement = St.Text;
            F.Message = Why;
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
  if (std::string D = C.differenceFrom(Before, nullptr, &Obj); !D.empty())
    Mismatch(VerifyFailure::Phase::Backward, D, Obj);
  return Result;
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
    Diags.report(DiagKind::VerifyStatementFailed, Loc, Phase, F.Index, F.Migration, From,
                 F.Message, Text);
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
