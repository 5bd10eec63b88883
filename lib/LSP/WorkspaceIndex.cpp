//===- WorkspaceIndex.cpp - The symbol index kept at the current texts ---===//
//
// The index is brought up to date when it is asked, not on every edit: a
// keystroke only marks its document (Workspace::update), and the first
// query after it reparses that one file. Files that are not open are
// reindexed when their size or time on disk changes, so a migration that
// makemigrations writes, or a `git checkout`, is seen by the next query.
//
//===----------------------------------------------------------------------===//
#include "strata/LSP/Workspace.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/FileSystem.h"

using namespace strata;
using namespace strata::lsp;

std::set<std::string> Workspace::indexedPaths() {
  ProjectConfig P = project();
  std::set<std::string> Paths;
  llvm::SourceMgr SM;
  DiagnosticEngine Ignored(SM); // a missing directory just has no files
  for (auto [Dir, Ext] :
       {std::make_pair(P.SchemaDir, ".strata"), std::make_pair(P.MigrationsDir, ".mig")})
    if (auto Found = listSourceFiles(Dir, Ext, Ignored))
      Paths.insert(Found->begin(), Found->end());
  for (const auto &E : Documents)
    if (E.second.Kind != DocumentKind::Config)
      Paths.insert(E.second.Path);
  return Paths;
}

void Workspace::reindex(const std::string &Path) {
  auto Known = Indexed.find(Path);
  bool Stale = IndexStale.count(Path) || Known == Indexed.end();
  if (const Document *D = document(Path)) {
    if (Stale || !Known->second.FromEditor)
      Index.updateText(Path, D->Text);
    Indexed[Path] = IndexedFile{true, {}, 0};
    return;
  }
  llvm::sys::fs::file_status St;
  if (llvm::sys::fs::status(Path, St)) {
    Index.remove(Path);
    Indexed.erase(Path);
    return;
  }
  IndexedFile Now{false, St.getLastModificationTime(), St.getSize()};
  if (!Stale && !Known->second.FromEditor && Known->second.MTime == Now.MTime &&
      Known->second.Size == Now.Size)
    return;
  std::optional<std::string> Text = text(Path);
  Index.updateText(Path, Text ? *Text : std::string());
  Indexed[Path] = Now;
}

const index::SymbolIndex &Workspace::symbols() {
  std::set<std::string> Paths = indexedPaths();
  for (auto It = Indexed.begin(); It != Indexed.end();) {
    if (Paths.count(It->first)) {
      ++It;
      continue;
    }
    Index.remove(It->first);
    It = Indexed.erase(It);
  }
  for (const std::string &Path : Paths)
    reindex(Path);
  IndexStale.clear();
  return Index;
}
