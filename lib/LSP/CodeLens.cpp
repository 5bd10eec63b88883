//===- CodeLens.cpp - "Make migration" and "Show pending changes" --------===//
//
// A schema file carries two lenses on its first line. Their commands run
// makemigrations in process (PendingMigration.h) and answer with what it
// found or wrote; nothing is printed, the reply is the report. A new
// migration is written only from saved schema files, so that the file on
// disk and `strata makemigrations --check` agree with it.
//
//===----------------------------------------------------------------------===//
#include "DiagnosticsJson.h"
#include "FeatureSupport.h"
#include "PendingMigration.h"
#include "strata/LSP/Server.h"

using namespace strata;
using namespace strata::lsp;

namespace {
llvm::json::Value lens(llvm::StringRef Title, llvm::StringRef Command, llvm::StringRef Uri) {
  return llvm::json::Object{
      {"range", lspRange(Position(), Position())},
      {"command", llvm::json::Object{{"title", Title},
                                     {"command", Command},
                                     {"arguments", llvm::json::Array{Uri.str()}}}}};
}

llvm::json::Array strings(const std::vector<std::string> &List) {
  llvm::json::Array Out;
  for (const std::string &S : List)
    Out.push_back(S);
  return Out;
}

llvm::json::Object report(const PendingMigration &M) {
  llvm::json::Object O{{"operations", strings(M.Operations)}, {"warnings", strings(M.Warnings)}};
  O["migration"] = M.Name.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(M.Name);
  return O;
}
} // namespace

llvm::Expected<llvm::json::Value> Server::codeLens(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  if (documentKindForPath(*Path) != DocumentKind::Schema)
    return llvm::json::Array();
  std::string Uri = pathToUri(*Path);
  return llvm::json::Array{lens("Make migration", MakeMigrationCommand, Uri),
                           lens("Show pending changes", ShowPendingChangesCommand, Uri)};
}

llvm::Expected<llvm::json::Value> Server::executeCommand(const llvm::json::Value &Params) {
  const llvm::json::Object *P = Params.getAsObject();
  llvm::Optional<llvm::StringRef> Command = P ? P->getString("command") : llvm::None;
  if (!Command)
    return invalidParams("`command` must be a string");
  bool Write = *Command == MakeMigrationCommand;
  if (!Write && *Command != ShowPendingChangesCommand)
    return invalidParams("unknown command `" + *Command + "`");
  ProjectConfig Project = Files.project();
  if (Write && !Opts.Sandbox.empty())
    return llvm::make_error<LspError>(ErrorCode::RequestFailed, "writing is disabled");
  if (Write) {
    std::vector<std::string> Unsaved = Files.unsavedSchemaFiles();
    if (!Unsaved.empty())
      return llvm::make_error<LspError>(ErrorCode::RequestFailed,
                                        "save the schema files first: " + Unsaved.front() +
                                            " has unsaved changes");
  }
  std::optional<llvm::Expected<llvm::json::Value>> Result;
  Files.withProjectSchema([&](llvm::ArrayRef<ast::SourceFile> Schema) {
    PendingMigration M;
    if (!Write) {
      llvm::Expected<PendingMigration> Planned = planMigration(Project, Schema);
      if (!Planned)
        Result.emplace(Planned.takeError());
      else
        Result.emplace(report(*Planned));
      return;
    }
    llvm::Expected<std::string> Written = writeMigration(Project, Schema, M);
    if (!Written) {
      Result.emplace(Written.takeError());
      return;
    }
    llvm::json::Object O = report(M);
    O["written"] = Written->empty() ? llvm::json::Value(nullptr) : llvm::json::Value(*Written);
    if (!Written->empty())
      O["uri"] = pathToUri(*Written);
    Result.emplace(std::move(O));
  });
  // The history changed on disk: its files' diagnostics may have too.
  if (Write && *Result)
    if (const llvm::json::Object *O = (**Result).getAsObject())
      if (llvm::Optional<llvm::StringRef> W = O->getString("written"))
        publish(Files.recheck(*W));
  return std::move(*Result);
}
