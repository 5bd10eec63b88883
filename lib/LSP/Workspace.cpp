//===- Workspace.cpp - The language server's documents and checks --------===//
#include "strata/LSP/Workspace.h"
#include "DiagnosticsJson.h"
#include "HistoryCheck.h"
#include "SchemaSet.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <set>

using namespace strata;
using namespace strata::lsp;

DocumentKind strata::lsp::documentKindForPath(llvm::StringRef Path) {
  if (Path.endswith(".mig"))
    return DocumentKind::Migration;
  if (llvm::sys::path::filename(Path) == "strata.toml")
    return DocumentKind::Config;
  return DocumentKind::Schema;
}

namespace {
bool isUnder(llvm::StringRef Path, llvm::StringRef Dir) {
  return !Dir.empty() && Path.startswith(Dir) && Path.drop_front(Dir.size()).startswith("/");
}
} // namespace

Workspace::Workspace() = default;
Workspace::~Workspace() = default;

void Workspace::setRoot(llvm::StringRef Dir) { Root = Dir.str(); }

void Workspace::setDirectories(std::string SchemaDir, std::string MigrationsDir) {
  SchemaDirOverride = std::move(SchemaDir);
  MigrationsDirOverride = std::move(MigrationsDir);
}

const Document *Workspace::document(llvm::StringRef Path) const {
  auto It = Documents.find(Path);
  return It == Documents.end() ? nullptr : &It->second;
}

void Workspace::open(llvm::StringRef Path, std::string Text, int64_t Version) {
  Document &D = Documents[Path];
  D.Path = Path.str();
  D.Text = std::move(Text);
  D.Version = Version;
  D.Kind = documentKindForPath(Path);
  IndexStale.insert(Path.str());
}

bool Workspace::update(llvm::StringRef Path, std::string Text, int64_t Version) {
  auto It = Documents.find(Path);
  if (It == Documents.end())
    return false;
  It->second.Text = std::move(Text);
  It->second.Version = Version;
  IndexStale.insert(Path.str());
  return true;
}

void Workspace::close(llvm::StringRef Path) {
  Documents.erase(Path);
  IndexStale.insert(Path.str()); // the disk's text stands for it again
}

std::optional<std::string> Workspace::text(llvm::StringRef Path) const {
  if (const Document *D = document(Path))
    return D->Text;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer || (*Buffer)->getBufferSize() > MaxSourceFileBytes)
    return std::nullopt;
  return (*Buffer)->getBuffer().str();
}

ProjectConfig Workspace::project() {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<ProjectConfig> P;
  for (const auto &E : Documents)
    if (E.second.Kind == DocumentKind::Config &&
        llvm::StringRef(E.second.Path).startswith(Root + "/")) {
      if (std::optional<unsigned> ID = addSourceText(E.second.Text, E.second.Path, Diags))
        P = parseProjectConfig(E.second.Path, *ID, Diags);
      break;
    }
  if (!P)
    P = loadProjectConfig(Root.empty() ? "." : Root, Diags);
  if (!P) {
    // A malformed strata.toml: its diagnostics say so; check with defaults.
    P.emplace();
    P->Root = Root;
    P->SchemaDir = Root + "/schema";
    P->MigrationsDir = Root + "/migrations";
  }
  if (!Sandbox.empty() && !(isUnder(P->SchemaDir, Sandbox) && isUnder(P->MigrationsDir, Sandbox))) {
    P->SchemaDir = Root + "/schema";
    P->MigrationsDir = Root + "/migrations";
  }
  if (!SchemaDirOverride.empty())
    P->SchemaDir = SchemaDirOverride;
  if (!MigrationsDirOverride.empty())
    P->MigrationsDir = MigrationsDirOverride;
  return *P;
}

SchemaSet &Workspace::setFor(llvm::StringRef Path) {
  ProjectConfig P = project();
  std::string Dir = P.SchemaDir;
  while (llvm::StringRef(Dir).endswith("/") && Dir.size() > 1)
    Dir.pop_back();
  if (!isUnder(Path, Dir)) {
    std::unique_ptr<SchemaSet> &S = LooseSets[Path.str()];
    if (!S)
      S = std::make_unique<SchemaSet>();
    S->refresh({Path.str()}, [&](llvm::StringRef P) -> const std::string * {
      const Document *D = document(P);
      return D ? &D->Text : nullptr;
    });
    return *S;
  }
  return projectSet(Dir);
}

SchemaSet &Workspace::projectSet(const std::string &Dir) {
  std::set<std::string> Paths;
  llvm::SourceMgr SM;
  DiagnosticEngine Ignored(SM);
  if (auto Found = listSourceFiles(Dir, ".strata", Ignored))
    Paths.insert(Found->begin(), Found->end());
  for (const auto &E : Documents)
    if (E.second.Kind == DocumentKind::Schema && isUnder(E.second.Path, Dir))
      Paths.insert(E.second.Path);
  if (!ProjectSet || ProjectSchemaDir != Dir)
    ProjectSet = std::make_unique<SchemaSet>();
  ProjectSchemaDir = Dir;
  ProjectSet->refresh(std::vector<std::string>(Paths.begin(), Paths.end()),
                      [&](llvm::StringRef P) -> const std::string * {
                        const Document *D = document(P);
                        return D ? &D->Text : nullptr;
                      });
  return *ProjectSet;
}

void Workspace::withProjectSchema(const std::function<void(llvm::ArrayRef<ast::SourceFile>)> &F) {
  std::string Dir = project().SchemaDir;
  while (llvm::StringRef(Dir).endswith("/") && Dir.size() > 1)
    Dir.pop_back();
  F(projectSet(Dir).trees());
}

std::vector<std::string> Workspace::unsavedSchemaFiles() const {
  std::vector<std::string> Out;
  for (const auto &E : Documents) {
    if (E.second.Kind != DocumentKind::Schema)
      continue;
    auto Buffer = llvm::MemoryBuffer::getFile(E.second.Path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!Buffer || (*Buffer)->getBuffer() != E.second.Text)
      Out.push_back(E.second.Path);
  }
  std::sort(Out.begin(), Out.end());
  return Out;
}

bool Workspace::store(const std::string &Path, FileDiagnostics D) {
  auto It = Diagnostics.find(Path);
  bool Changed =
      It == Diagnostics.end() || llvm::json::Value(llvm::json::Array(It->second.Diagnostics)) !=
                                     llvm::json::Value(llvm::json::Array(D.Diagnostics));
  Diagnostics[Path] = std::move(D);
  return Changed;
}

std::vector<std::string> Workspace::recheckSchema(SchemaSet &Set, llvm::StringRef Edited) {
  std::map<std::string, FileDiagnostics> Out;
  Set.check(Out);
  std::vector<std::string> Publish{Edited.str()};
  Out[Edited.str()];
  for (auto &[Path, D] : Out)
    if (store(Path, std::move(D)) && Path != Edited)
      Publish.push_back(Path);
  return Publish;
}

std::vector<std::string> Workspace::recheckHistory(llvm::StringRef Edited) {
  SourceOverlay Overlay;
  for (const auto &E : Documents)
    if (E.second.Kind == DocumentKind::Migration)
      Overlay[E.second.Path] = E.second.Text;
  std::map<std::string, FileDiagnostics> Out =
      checkHistory(project().MigrationsDir, Overlay, Edited.str());
  std::vector<std::string> Publish{Edited.str()};
  // strata.toml's own diagnostics are not the history's to replace.
  if (documentKindForPath(Edited) == DocumentKind::Migration)
    Out[Edited.str()];
  for (auto &[Path, D] : Out)
    if (store(Path, std::move(D)) && Path != Edited)
      Publish.push_back(Path);
  return Publish;
}

std::vector<std::string> Workspace::recheckConfig(llvm::StringRef Path) {
  std::map<std::string, FileDiagnostics> Out;
  std::optional<std::string> Text = text(Path);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  if (Text)
    if (std::optional<unsigned> ID = addSourceText(*Text, Path, Diags))
      parseProjectConfig(Path, *ID, Diags);
  LocationMap Where;
  for (unsigned ID = 1; ID <= SM.getNumBuffers(); ++ID)
    Where.add(SM.getMemoryBuffer(ID)->getBuffer(), Path.str());
  collectDiagnostics(Diags.diagnostics(), Where, Path.str(), Out);
  std::vector<std::string> Publish{Path.str()};
  store(Path.str(), std::move(Out[Path.str()]));
  // The directories may have moved: every check follows the new ones.
  std::vector<std::string> Schema = schemaFiles();
  if (!Schema.empty())
    for (const std::string &F : recheckSchema(setFor(Schema.front()), Schema.front()))
      Publish.push_back(F);
  for (const std::string &F : recheckHistory(Path))
    if (F != Path)
      Publish.push_back(F);
  std::sort(Publish.begin() + 1, Publish.end());
  Publish.erase(std::unique(Publish.begin() + 1, Publish.end()), Publish.end());
  return Publish;
}

std::vector<std::string> Workspace::recheck(llvm::StringRef Path) {
  switch (documentKindForPath(Path)) {
  case DocumentKind::Schema:
    return recheckSchema(setFor(Path), Path);
  case DocumentKind::Migration:
    return recheckHistory(Path);
  case DocumentKind::Config:
    return recheckConfig(Path);
  }
  return {};
}

const FileDiagnostics &Workspace::diagnostics(llvm::StringRef Path) const {
  static const FileDiagnostics None;
  auto It = Diagnostics.find(Path.str());
  return It == Diagnostics.end() ? None : It->second;
}

std::vector<std::string> Workspace::schemaFiles() {
  ProjectConfig P = project();
  std::set<std::string> Paths;
  llvm::SourceMgr SM;
  DiagnosticEngine Ignored(SM);
  if (auto Found = listSourceFiles(P.SchemaDir, ".strata", Ignored))
    Paths.insert(Found->begin(), Found->end());
  for (const auto &E : Documents)
    if (E.second.Kind == DocumentKind::Schema)
      Paths.insert(E.second.Path);
  return std::vector<std::string>(Paths.begin(), Paths.end());
}

bool Workspace::withSyntax(llvm::StringRef Path,
                           const std::function<void(const ast::SourceFile &, llvm::StringRef)> &F) {
  std::optional<std::string> Text = text(Path);
  if (!Text)
    return false;
  if (documentKindForPath(Path) == DocumentKind::Schema) {
    for (SchemaSet *S :
         {ProjectSet.get(), LooseSets.count(Path.str()) ? LooseSets[Path.str()].get() : nullptr})
      if (S)
        if (const ast::SourceFile *Tree = S->syntax(Path))
          if (std::optional<llvm::StringRef> T = S->text(Path); T && *T == *Text) {
            F(*Tree, *T);
            return true;
          }
  }
  if (documentKindForPath(Path) == DocumentKind::Config)
    return false;
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID = addSourceText(*Text, Path, Diags);
  if (!ID)
    return false;
  ast::SourceFile Tree = parseBuffer(*ID, fileKindForPath(Path), Diags);
  F(Tree, SM.getMemoryBuffer(*ID)->getBuffer());
  return true;
}
