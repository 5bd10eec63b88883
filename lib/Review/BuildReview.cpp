//===- BuildReview.cpp - Gathering what a migration does ------------------===//
//
// Each fact comes from the stage that owns it: the state before a
// migration is its dependencies replayed (Migrate, as `emit` does), the
// IQL per operation is CodeGen's lowering, the lints and the verdict of
// the round trip are Verify's, the pre-checks are Exec's planner, the
// picture is Graph's DOT laid out by Render. Nothing here decides any of
// them again.
//
//===----------------------------------------------------------------------===//
#include "SchemaDiff.h"
#include "strata/CodeGen/History.h"
#include "strata/CodeGen/Stream.h"
#include "strata/Exec/Executor.h"
#include "strata/Exec/PreChecks.h"
#include "strata/Graph/HistoryGraph.h"
#include "strata/Parse/Parser.h"
#include "strata/Render/Graphviz.h"
#include "strata/Review/Review.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Verify/Lints.h"
#include "strata/Verify/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"

using namespace strata;
using namespace strata::review;

const char *review::reversibilityName(Reversibility R) {
  switch (R) {
  case Reversibility::Reversible:
    return "reversible";
  case Reversibility::Lossy:
    return "lossy";
  case Reversibility::Irreversible:
    return "irreversible";
  }
  return "reversible";
}

bool Review::hasProblems() const {
  return !Problems.empty() ||
         llvm::any_of(Migrations, [](const MigrationReview &M) { return !M.Problems.empty(); });
}

namespace {
/// Diags as `strata` prints them, without colour.
std::string renderText(const DiagnosticEngine &Diags) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  RenderOptions Opts;
  renderDiagnostics(Diags, OS, Opts);
  return OS.str();
}

/// The lint findings Diags holds (lintMigration's report), each at the
/// operation whose source holds it; the rest in Other.
void placeLints(const DiagnosticEngine &Diags, const LoweredMigration &L,
                std::vector<OperationReview> &Ops, std::vector<LintFinding> &Other) {
  for (const Diagnostic &D : Diags.diagnostics()) {
    LintFinding F;
    llvm::StringRef Message = D.Message;
    if (Message.size() > 5 && Message[0] == 'S' && Message.substr(4, 2) == ": ") {
      F.Code = Message.substr(0, 4).str();
      Message = Message.drop_front(6);
    }
    F.Kind = diagKindName(D.Kind).str();
    F.Severity = D.Sev == Severity::Error ? "error" : "warning";
    F.Message = Message.str();
    F.Fix = lintFix(F.Code).str();
    const char *At = D.Loc.getPointer();
    auto Holder = llvm::find_if(L.Ops, [&](const LoweredOperation &O) {
      llvm::SMRange R = O.Op->loc();
      return At && R.isValid() && R.Start.getPointer() <= At && At <= R.End.getPointer();
    });
    if (Holder == L.Ops.end())
      Other.push_back(std::move(F));
    else
      Ops[size_t(Holder - L.Ops.begin())].Lints.push_back(std::move(F));
  }
}

std::vector<IqlLine> linesOf(const std::vector<IqlStatement> &Stream) {
  std::vector<IqlLine> Out;
  for (const IqlStatement &S : Stream)
    Out.push_back({stepPurposeName(S.Purpose).str(), S.Text, S.Lossy});
  return Out;
}

OperationReview reviewOperation(const Migration &M, const LoweredOperation &LO, size_t Index,
                                const llvm::SourceMgr &SM) {
  const Operation &Op = *LO.Op;
  OperationReview R;
  R.Index = Index;
  R.Kind = Operation::kindName(Op.kind()).str();
  R.Marker = Operation::kindMarker(Op.kind());
  R.Summary = Op.describe();
  R.Source = Op.str();
  R.Line = sourceOf(M, Op, SM).Line;
  R.DataSafe = Op.isDataSafe();
  R.Forward = linesOf(LO.Forward);
  R.Backward = linesOf(LO.Backward);
  if (LO.Irreversible) {
    R.Reverse = Reversibility::Irreversible;
    R.ReverseWhy = "it has no backward: the history cannot be reverted past it";
  } else if (llvm::any_of(LO.Backward, [](const IqlStatement &S) { return S.Lossy; })) {
    R.Reverse = Reversibility::Lossy;
    R.ReverseWhy = "its backward runs, but cannot restore everything the operation replaced";
  } else {
    R.ReverseWhy = "its backward restores the schema and every fact";
  }
  return R;
}

/// The pre-checks of each operation, as `migrate` runs them: none for a
/// `run iql` or after one (its effect cannot be predicted).
void planPreChecks(const LoweredMigration &L, std::vector<OperationReview> &Ops) {
  exec::PreCheckPlanner Planner;
  bool AfterRaw = false;
  for (size_t I = 0; I < L.Ops.size(); ++I) {
    if (L.Ops[I].Op->kind() == Operation::Kind::RunIql) {
      Ops[I].PreCheckNote = "none: `run iql` is arbitrary IQL, which the pre-checks do not "
                            "predict; later migrations are checked right before they run";
      AfterRaw = true;
      continue;
    }
    if (AfterRaw) {
      Ops[I].PreCheckNote = "none: it follows a `run iql` in the same migration";
      continue;
    }
    for (exec::PlannedPreCheck &P : Planner.plan(L.Ops[I]))
      Ops[I].PreChecks.push_back({exec::preCheckKindName(P.Kind).str(), P.Relation, P.Description});
  }
}

/// The state before M: its dependencies replayed. Reports to Diags.
std::optional<SchemaState> stateBefore(const MigrationGraph &G, const Migration &M,
                                       DiagnosticEngine &Diags) {
  SchemaState S;
  for (const Migration *A : appliedAt(G, &M))
    if (A != &M)
      for (const OperationPtr &Op : A->Operations)
        if (!Op->apply(S, Diags))
          return std::nullopt;
  return S;
}

void verifyInto(const LoweredMigration &L, const SchemaState &Before, const SchemaState &After,
                MigrationReview &R) {
  VerifyResult V = verifyMigration(L, Before, After);
  if (V.Failure) {
    R.Verified = "failed";
    R.VerifyMessage = V.Failure->Message;
    if (!V.Failure->Statement.empty())
      R.VerifyMessage += " (statement: " + V.Failure->Statement + ")";
  } else {
    R.Verified = V.BackwardChecked ? "verified" : "forward only";
    R.VerifyMessage = V.BackwardChecked
                          ? "forward reaches the state after it, backward returns to the state "
                            "before it, on a model of the server"
                          : "forward reaches the state after it; an operation has no backward";
  }
}

/// Fills R from M's replay and lowering; false (reported to Local) when
/// either fails.
bool gather(const MigrationGraph &G, const Migration &M, DiagnosticEngine &Local,
            MigrationReview &R) {
  std::optional<SchemaState> Before = stateBefore(G, M, Local);
  if (!Before)
    return false;
  SchemaState After = *Before;
  for (const OperationPtr &Op : M.Operations)
    if (!Op->apply(After, Local))
      return false;
  R.Schema = diffSchema(*Before, After, M);
  std::optional<LoweredMigration> L = lowerMigration(M, *Before, Local);
  if (!L)
    return false;
  L->M = &M;
  for (size_t I = 0; I < L->Ops.size(); ++I)
    R.Ops.push_back(reviewOperation(M, L->Ops[I], I + 1, Local.sourceMgr()));
  DiagnosticEngine Lints(Local.sourceMgr());
  lintMigration(M, *L, *Before, M.AllowComments, LintOptions(), Lints);
  placeLints(Lints, *L, R.Ops, R.OtherLints);
  planPreChecks(*L, R.Ops);
  verifyInto(*L, *Before, After, R);
  return true;
}

MigrationReview reviewMigration(const MigrationGraph &G, const Migration &M,
                                DiagnosticEngine &Diags) {
  MigrationReview R;
  R.Name = M.Name;
  R.File = llvm::sys::path::filename(M.Path).str();
  R.Depends = M.Depends;
  R.Replaces = M.Replaces;
  DiagnosticEngine Local(Diags.sourceMgr());
  R.Complete = gather(G, M, Local, R);
  if (Local.size() != 0) {
    R.Problems = renderText(Local);
    Diags.append(std::move(Local));
  }
  return R;
}

void drawGraph(const MigrationGraph &G, const std::vector<const Migration *> &Selected,
               GraphPicture Picture, Review &Out) {
  graph::HistoryGraph H = graph::buildHistoryGraph(G, nullptr);
  for (graph::HistoryNode &N : H.Nodes)
    N.Reviewed = llvm::any_of(Selected, [&](const Migration *M) { return M->Name == N.Name; });
  llvm::raw_string_ostream DotOS(Out.GraphDot);
  graph::writeDot(H, DotOS);
  DotOS.flush();
  if (Picture == GraphPicture::DotOnly)
    return;
  llvm::Expected<std::string> Svg = render::renderSvg(Out.GraphDot);
  if (Svg)
    Out.GraphSvg = std::move(*Svg);
  else
    Out.GraphError = llvm::toString(Svg.takeError());
}
} // namespace

Review review::buildReview(const MigrationGraph &G, const std::vector<const Migration *> &Selected,
                           DiagnosticEngine &Diags, GraphPicture Picture) {
  Review Out;
  for (const Migration *M : Selected)
    Out.Migrations.push_back(reviewMigration(G, *M, Diags));
  drawGraph(G, Selected, Picture, Out);
  return Out;
}

Review review::buildFailedReview(llvm::StringRef Dir, const std::vector<std::string> &Names,
                                 DiagnosticEngine &Diags) {
  Review Out;
  Out.Problems = renderText(Diags);
  DiagnosticEngine Scratch(Diags.sourceMgr());
  std::vector<std::string> Files =
      listMigrationFiles(Dir, Scratch).value_or(std::vector<std::string>());
  std::vector<std::string> Left = Names;
  for (const std::string &File : Files) {
    llvm::StringRef Name = llvm::StringRef(File).drop_back(4); // `.mig`
    auto Named = llvm::find(Left, Name);
    DiagnosticEngine Local(Diags.sourceMgr());
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, File);
    parseFile(Path, Local);
    if (Local.size() == 0 && Named == Left.end())
      continue;
    MigrationReview R;
    R.Name = Name.str();
    R.File = File;
    R.Problems = Local.size() != 0 ? renderText(Local)
                                   : "The file parses, but the history does not load (see the "
                                     "problems of the history); it is not reviewed.\n";
    if (Named != Left.end())
      Left.erase(Named);
    Out.Migrations.push_back(std::move(R));
  }
  for (const std::string &Name : Left) {
    MigrationReview R;
    R.Name = Name;
    R.Problems = "No file holds this migration.\n";
    Out.Migrations.push_back(std::move(R));
  }
  return Out;
}
