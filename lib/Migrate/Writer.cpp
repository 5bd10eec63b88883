//===- Writer.cpp - Migration files from operations -----------------------===//
#include "strata/Migrate/Writer.h"
#include "strata/Format/Formatter.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <fmt/format.h>
#include <set>

using namespace strata;

std::string strata::migrationNumber(unsigned Number) { return fmt::format("{:04}", Number); }

bool strata::isValidMigrationName(llvm::StringRef Name) {
  if (Name.empty() || Name.size() > MaxMigrationNameLength)
    return false;
  for (char C : Name)
    if (!(llvm::isAlnum(C) || C == '_'))
      return false;
  return true;
}

namespace {
/// The index or rule an operation drops or creates, if that is what it does.
std::optional<std::pair<bool, std::string>> droppedOrCreated(const Operation &Op) {
  if (auto *D = llvm::dyn_cast<DropIndex>(&Op))
    return std::make_pair(true, "index " + D->Index.Name);
  if (auto *C = llvm::dyn_cast<CreateIndex>(&Op))
    return std::make_pair(false, "index " + C->Index.Name);
  if (auto *D = llvm::dyn_cast<DropRule>(&Op))
    return std::make_pair(true, "rule " + D->Name);
  if (auto *C = llvm::dyn_cast<CreateRule>(&Op))
    return std::make_pair(false, "rule " + C->Name);
  return std::nullopt;
}

/// The operations that say what the migration is about: an index or rule
/// dropped and re-created around a change is bookkeeping, not the change.
std::vector<const Operation *> leadingOperations(llvm::ArrayRef<OperationPtr> Ops) {
  std::set<std::string> Dropped, Created;
  for (const OperationPtr &Op : Ops)
    if (auto DC = droppedOrCreated(*Op))
      (DC->first ? Dropped : Created).insert(DC->second);
  std::vector<const Operation *> Lead;
  for (const OperationPtr &Op : Ops) {
    auto DC = droppedOrCreated(*Op);
    if (!DC || !Dropped.count(DC->second) || !Created.count(DC->second))
      Lead.push_back(Op.get());
  }
  if (Lead.empty())
    Lead.push_back(Ops.front().get());
  return Lead;
}
} // namespace

std::string strata::suggestMigrationName(llvm::ArrayRef<OperationPtr> Ops, bool Initial) {
  if (Initial)
    return "initial";
  if (Ops.empty())
    return "auto";
  std::vector<const Operation *> Lead = leadingOperations(Ops);
  std::string Name = Lead.front()->nameFragment();
  const std::string More = "_and_more";
  bool Several = Lead.size() > 1;
  size_t Limit = MaxMigrationNameLength - (Several ? More.size() : 0);
  if (Name.size() > Limit) {
    Name.resize(Limit);
    while (!Name.empty() && Name.back() == '_')
      Name.pop_back();
  }
  if (Several)
    Name += More;
  return Name;
}

std::string strata::renderMigrationRaw(const MigrationSpec &M) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << "migration " << M.Name << " {\n";
  bool Header = false;
  if (!M.Depends.empty()) {
    OS << "  depends " << llvm::join(M.Depends, ", ") << "\n";
    Header = true;
  }
  if (!M.Replaces.empty()) {
    OS << "  replaces " << llvm::join(M.Replaces, ", ") << "\n";
    Header = true;
  }
  if (Header && !M.Operations.empty())
    OS << "\n";
  for (const OperationPtr &Op : M.Operations) {
    std::string Text = Op->str();
    llvm::StringRef Rest(Text);
    while (!Rest.empty()) {
      auto [Line, Tail] = Rest.split('\n');
      if (!Line.empty())
        OS << "  " << Line;
      OS << "\n";
      Rest = Tail;
    }
  }
  OS << "}\n";
  return OS.str();
}

std::optional<std::string> strata::renderMigration(const MigrationSpec &M,
                                                   DiagnosticEngine &Diags) {
  std::string Raw = renderMigrationRaw(M);
  std::optional<unsigned> ID = addSourceText(Raw, M.Name + ".mig", Diags);
  if (!ID)
    return std::nullopt;
  return format::formatBuffer(*ID, ast::FileKind::Migration, Diags);
}

std::optional<std::string> strata::writeMigrationFile(llvm::StringRef Dir, llvm::StringRef Name,
                                                      llvm::StringRef Text,
                                                      DiagnosticEngine &Diags) {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Name + ".mig");
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir)) {
    Diags.reportFile(DiagKind::MigrationCannotWrite, Path, Path.str(), EC.message());
    return std::nullopt;
  }
  int FD;
  std::error_code EC = llvm::sys::fs::openFileForWrite(Path, FD, llvm::sys::fs::CD_CreateNew,
                                                       llvm::sys::fs::OF_None);
  if (EC == std::errc::file_exists) {
    Diags.reportFile(DiagKind::MigrationFileExists, Path, Path.str());
    return std::nullopt;
  }
  if (EC) {
    Diags.reportFile(DiagKind::MigrationCannotWrite, Path, Path.str(), EC.message());
    return std::nullopt;
  }
  llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
  OS << Text;
  OS.close();
  if (OS.has_error()) {
    Diags.reportFile(DiagKind::MigrationCannotWrite, Path, Path.str(), OS.error().message());
    OS.clear_error();
    return std::nullopt;
  }
  return std::string(Path);
}
