//===- SchemaSet.cpp - Schema files checked together ----------------------===//
#include "SchemaSet.h"
#include "DiagnosticsJson.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace strata;
using namespace strata::lsp;

llvm::StringRef SchemaSet::File::text() const {
  if (!SM || SM->getNumBuffers() == 0)
    return {};
  return SM->getMemoryBuffer(1)->getBuffer();
}

void SchemaSet::refresh(const std::vector<std::string> &Paths, const OpenText &Open) {
  // Keep the entries of paths still in the set, in the new order.
  std::map<std::string, std::pair<File, ast::SourceFile>> Old;
  for (size_t I = 0; I < Files.size(); ++I) {
    std::string Path = Files[I].Path; // before the entry is moved from
    Old.emplace(std::move(Path), std::make_pair(std::move(Files[I]), std::move(Syntax[I])));
  }
  Files.clear();
  Syntax.clear();
  Files.reserve(Paths.size());
  Syntax.reserve(Paths.size());
  for (const std::string &Path : Paths) {
    auto It = Old.find(Path);
    if (It != Old.end()) {
      Files.push_back(std::move(It->second.first));
      Syntax.push_back(std::move(It->second.second));
    } else {
      Files.emplace_back();
      Files.back().Path = Path;
      Syntax.emplace_back();
    }
    size_t I = Files.size() - 1;
    if (const std::string *T = Open(Path)) {
      Files[I].OnDisk = false;
      if (!Files[I].SM || Files[I].text() != *T)
        setText(I, *T);
    } else {
      refreshFromDisk(I);
    }
  }
}

void SchemaSet::refreshFromDisk(size_t I) {
  File &F = Files[I];
  llvm::sys::fs::file_status St;
  bool Exists = !llvm::sys::fs::status(F.Path, St);
  if (F.OnDisk && F.SM && Exists && St.getLastModificationTime() == F.MTime &&
      St.getSize() == F.Size)
    return;
  F.OnDisk = true;
  F.MTime = Exists ? St.getLastModificationTime() : llvm::sys::TimePoint<>();
  F.Size = Exists ? St.getSize() : 0;
  auto Buffer = llvm::MemoryBuffer::getFile(F.Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  setText(I, Buffer ? (*Buffer)->getBuffer().str() : std::string());
}

void SchemaSet::setText(size_t I, const std::string &Text) {
  File &F = Files[I];
  auto SM = std::make_unique<llvm::SourceMgr>();
  DiagnosticEngine Diags(*SM);
  std::optional<unsigned> ID = addSourceText(Text, F.Path, Diags);
  ast::SourceFile Tree;
  bool Done = false;
  if (ID && F.SM && F.ParseDiags.empty()) {
    if (!F.Pieces)
      F.Pieces = cutPieces(Syntax[I], F.text());
    if (std::optional<Reparsed> R = reparseFromPieces(*F.Pieces, *SM, *ID)) {
      Tree = std::move(R->File);
      F.Pieces = std::move(R->Pieces);
      Done = true;
    }
  }
  if (!Done) {
    F.Pieces.reset();
    Tree.Path = F.Path;
    if (ID)
      Tree = parseBuffer(*ID, ast::FileKind::Schema, Diags);
  }
  F.ParseDiags = Diags.diagnostics();
  F.SM = std::move(SM);
  F.Stamp = ++LastStamp;
  Syntax[I] = std::move(Tree);
}

void SchemaSet::check(std::map<std::string, FileDiagnostics> &Out) {
  LocationMap Where;
  std::vector<Diagnostic> All;
  for (const File &F : Files) {
    Where.add(F.text(), F.Path);
    Out[F.Path]; // every file gets an entry, empty when clean
    llvm::append_range(All, F.ParseDiags);
  }
  if (!Files.empty()) {
    llvm::SourceMgr Unused; // Sema reports by address, never through it
    DiagnosticEngine Diags(Unused);
    std::vector<uint64_t> Stamps;
    for (const File &F : Files)
      Stamps.push_back(F.Stamp);
    Checker.check(Syntax, Stamps, Diags);
    llvm::append_range(All, Diags.diagnostics());
  }
  collectDiagnostics(All, Where, Files.empty() ? std::string() : Files.front().Path, Out);
}

const ast::SourceFile *SchemaSet::syntax(llvm::StringRef Path) const {
  for (size_t I = 0; I < Files.size(); ++I)
    if (Files[I].Path == Path)
      return &Syntax[I];
  return nullptr;
}

std::optional<llvm::StringRef> SchemaSet::text(llvm::StringRef Path) const {
  for (const File &F : Files)
    if (F.Path == Path)
      return F.text();
  return std::nullopt;
}

std::vector<std::string> SchemaSet::paths() const {
  std::vector<std::string> Out;
  for (const File &F : Files)
    Out.push_back(F.Path);
  return Out;
}
