//===- SymbolIndex.cpp - The public front: files in, queries out ----------===//
#include "IndexImpl.h"
#include "strata/Parse/Parser.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace strata;
using namespace strata::index;

SymbolIndex::SymbolIndex() : P(std::make_unique<Impl>()) {}
SymbolIndex::~SymbolIndex() = default;
SymbolIndex::SymbolIndex(SymbolIndex &&) noexcept = default;
SymbolIndex &SymbolIndex::operator=(SymbolIndex &&) noexcept = default;

void SymbolIndex::update(llvm::StringRef Path, ast::SourceFile File, const llvm::SourceMgr &SM) {
  auto E = std::make_unique<FileEntry>();
  E->Path = Path.str();
  if (File.BufferID >= 1 && File.BufferID <= SM.getNumBuffers()) {
    const llvm::MemoryBuffer *Buf = SM.getMemoryBuffer(File.BufferID);
    E->Text = Buf->getBuffer().str();
    E->Base = reinterpret_cast<uintptr_t>(Buf->getBufferStart());
  }
  E->AST = std::move(File);
  collectOccurrences(*E, P->Table);
  P->Files[E->Path] = std::move(E);
}

void SymbolIndex::updateText(llvm::StringRef Path, llvm::StringRef Text) {
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(Text, Path), {});
  DiagnosticEngine Diags(SM);
  ast::SourceFile File = parseBuffer(ID, fileKindForPath(Path), Diags);
  update(Path, std::move(File), SM);
}

void SymbolIndex::remove(llvm::StringRef Path) {
  auto It = P->Files.find(Path);
  if (It != P->Files.end())
    P->Files.erase(It);
}

std::vector<std::string> SymbolIndex::files() const {
  std::vector<std::string> Out;
  for (const auto &Entry : P->Files)
    Out.push_back(Entry.first);
  return Out;
}

std::optional<llvm::StringRef> SymbolIndex::text(llvm::StringRef Path) const {
  const FileEntry *E = P->file(Path);
  if (!E)
    return std::nullopt;
  return llvm::StringRef(E->Text);
}

std::optional<SymbolAt> SymbolIndex::symbolAt(llvm::StringRef Path, size_t Offset) const {
  const FileEntry *E = P->file(Path);
  const Occ *O = E ? P->occAt(*E, Offset) : nullptr;
  if (!O)
    return std::nullopt;
  return SymbolAt{P->symbol(O->Sym), {E->location(*O), O->TheRole}};
}

std::vector<Location> SymbolIndex::definition(llvm::StringRef Path, size_t Offset) const {
  const FileEntry *E = P->file(Path);
  const Occ *At = E ? P->occAt(*E, Offset) : nullptr;
  std::vector<Location> Out;
  if (!At)
    return Out;
  const FileEntry *Only = P->isLocal(At->Sym) ? E : nullptr;
  P->forEach(At->Sym, Only, [&](const FileEntry &F, const Occ &O) {
    bool Local = Only && O.Clause == At->Clause && O.Op == At->Op;
    bool Declares = O.TheRole == Role::Declaration && (Only ? Local : !F.isMigration());
    if (Declares || O.TheRole == Role::HistoryDefinition)
      Out.push_back(F.location(O));
  });
  return Out;
}

std::vector<Occurrence> SymbolIndex::references(llvm::StringRef Path, size_t Offset,
                                                bool IncludeDeclaration) const {
  const FileEntry *E = P->file(Path);
  const Occ *At = E ? P->occAt(*E, Offset) : nullptr;
  std::vector<Occurrence> Out;
  if (!At)
    return Out;
  const FileEntry *Only = P->isLocal(At->Sym) ? E : nullptr;
  P->forEach(At->Sym, Only, [&](const FileEntry &F, const Occ &O) {
    if (Only && (O.Clause != At->Clause || O.Op != At->Op))
      return;
    if (O.TheRole == Role::Declaration && !IncludeDeclaration)
      return;
    Out.push_back({F.location(O), O.TheRole});
  });
  return Out;
}

std::vector<std::pair<Symbol, Occurrence>> SymbolIndex::occurrencesIn(llvm::StringRef Path) const {
  std::vector<std::pair<Symbol, Occurrence>> Out;
  if (const FileEntry *E = P->file(Path))
    for (const Occ &O : E->Occs)
      Out.push_back({P->symbol(O.Sym), {E->location(O), O.TheRole}});
  return Out;
}

std::optional<Hover> SymbolIndex::hover(llvm::StringRef Path, size_t Offset) const {
  const FileEntry *E = P->file(Path);
  return E ? hoverAt(*P, *E, Offset) : std::nullopt;
}

llvm::Expected<WorkspaceEdit> SymbolIndex::rename(llvm::StringRef Path, size_t Offset,
                                                  llvm::StringRef NewName) const {
  static const FileEntry Empty;
  const FileEntry *E = P->file(Path);
  return renameAt(*P, E ? *E : Empty, Offset, NewName);
}

Completion SymbolIndex::completion(llvm::StringRef Path, size_t Offset) const {
  const FileEntry *E = P->file(Path);
  if (!E)
    return {Offset, Offset, {}};
  return completeAt(*P, *E, Offset);
}
