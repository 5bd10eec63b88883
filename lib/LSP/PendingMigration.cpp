//===- PendingMigration.cpp - makemigrations, in process ------------------===//
#include "PendingMigration.h"
#include "strata/LSP/Server.h"
#include "strata/Migrate/Autodetect.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Migrate/Writer.h"
#include "strata/Parse/Parser.h"
#include "strata/Sema/Sema.h"
#include "strata/Support/FileDigests.h"
#include "strata/Support/SourceFiles.h"
#include "strata/Verify/NewMigration.h"
#include "llvm/Support/Path.h"

using namespace strata;
using namespace strata::lsp;

namespace {
llvm::Error failure(const DiagnosticEngine &Diags, llvm::StringRef Fallback) {
  std::string Message = Fallback.str();
  for (const Diagnostic &D : Diags.diagnostics())
    if (D.Sev == Severity::Error) {
      Message = D.Message;
      break;
    }
  return llvm::make_error<LspError>(ErrorCode::RequestFailed, Message);
}

/// Everything a plan needs, kept together: the history and both states.
struct Planning {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  std::optional<MigrationGraph> History;
  std::optional<SchemaState> From, To;
  MigrationSpec Spec;
};

llvm::Error plan(const ProjectConfig &P, llvm::ArrayRef<ast::SourceFile> Schema, Planning &S,
                 PendingMigration &Out) {
  S.History = loadHistory(P.MigrationsDir, S.Diags);
  if (!S.History)
    return failure(S.Diags, "the migration history has errors");
  std::vector<const Migration *> Leaves = S.History->leaves();
  if (Leaves.size() > 1)
    return llvm::make_error<LspError>(
        ErrorCode::RequestFailed,
        "the history has divergent leaves: run `strata makemigrations --merge` first");
  S.From = S.History->stateAfter(nullptr, S.Diags);
  S.To = analyzeSchema(Schema, S.Diags);
  if (!S.From || !S.To || S.Diags.hasErrors())
    return failure(S.Diags, "the schema has errors");
  AutodetectResult R =
      autodetect(*S.From, *S.To, collectHints(Schema), AutodetectOptions(), S.Diags);
  if (!R.Ok || S.Diags.hasErrors())
    return failure(S.Diags, "the changes cannot be written as a migration");
  for (const Diagnostic &D : S.Diags.diagnostics())
    if (D.Sev == Severity::Warning)
      Out.Warnings.push_back(D.Message);
  if (R.Operations.empty())
    return llvm::Error::success();
  for (const OperationPtr &Op : R.Operations)
    Out.Operations.push_back(std::string(1, Operation::kindMarker(Op->kind())) + " " +
                             Op->describe());
  for (const Migration *L : Leaves)
    S.Spec.Depends.push_back(L->Name);
  S.Spec.Operations = std::move(R.Operations);
  S.Spec.Name = migrationNumber(S.History->nextNumber()) + "_" +
                suggestMigrationName(S.Spec.Operations, S.History->empty());
  std::optional<std::string> Text = renderMigration(S.Spec, S.Diags);
  if (!Text)
    return failure(S.Diags, "the migration cannot be rendered");
  Out.Name = S.Spec.Name;
  Out.Text = std::move(*Text);
  return llvm::Error::success();
}

/// The migration as its text reads back, checked as makemigrations checks
/// it before writing.
llvm::Error selfCheck(const ProjectConfig &P, Planning &S, const PendingMigration &Planned) {
  llvm::SmallString<256> Path(P.MigrationsDir);
  llvm::sys::path::append(Path, Planned.Name + ".mig");
  std::optional<unsigned> ID = addSourceText(Planned.Text, Path, S.Diags);
  if (!ID)
    return failure(S.Diags, "the migration's text is unusable");
  ast::SourceFile F = parseBuffer(*ID, ast::FileKind::Migration, S.Diags);
  Migration M;
  M.Name = Planned.Name;
  M.Number = S.History->nextNumber();
  M.Path = Path.str().str();
  M.Depends = S.Spec.Depends;
  M.Checksum = sha256Hex(Planned.Text);
  for (const ast::Item &I : F.Items)
    if (const auto *D = std::get_if<ast::MigrationDecl>(&I)) {
      M.NameLoc = D->Name.Range;
      for (const ast::Operation &Op : D->Operations)
        if (OperationPtr O = buildOperation(Op, S.Diags))
          M.Operations.push_back(std::move(O));
    }
  if (S.Diags.hasErrors() || !checkNewMigration(M, *S.From, &*S.To, S.Diags))
    return failure(S.Diags, "the new migration does not check");
  return llvm::Error::success();
}
} // namespace

llvm::Expected<PendingMigration>
strata::lsp::planMigration(const ProjectConfig &P, llvm::ArrayRef<ast::SourceFile> Schema) {
  Planning S;
  PendingMigration Out;
  if (llvm::Error E = plan(P, Schema, S, Out))
    return E;
  return Out;
}

llvm::Expected<std::string> strata::lsp::writeMigration(const ProjectConfig &P,
                                                        llvm::ArrayRef<ast::SourceFile> Schema,
                                                        PendingMigration &Planned) {
  Planning S;
  if (llvm::Error E = plan(P, Schema, S, Planned))
    return E;
  if (Planned.Name.empty())
    return std::string();
  if (llvm::Error E = selfCheck(P, S, Planned))
    return E;
  std::optional<std::string> Path =
      writeMigrationFile(P.MigrationsDir, Planned.Name, Planned.Text, S.Diags);
  if (!Path || !writeSumFile(P.MigrationsDir, S.Diags))
    return failure(S.Diags, "the migration could not be written");
  return *Path;
}
