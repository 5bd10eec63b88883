//===- MigrationGraph.cpp - Loading, checking and replaying history -------===//
//
// load() runs in stages and stops after a stage that reported: files
// (names, syntax, header names, operations), then the graph (numbers,
// edges, cycles). Nothing needs recursion: the topological order is Kahn's
// algorithm with a priority queue, a cycle is found by walking the
// migrations Kahn could not place.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Sema/Suggest.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/FileDigests.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <queue>

using namespace strata;

namespace {
/// Why FileName is not a valid migration file name, or empty when it is.
std::string badFileNameReason(llvm::StringRef FileName) {
  if (FileName.contains('/') || FileName.contains('\\'))
    return "it contains a path separator";
  if (FileName.contains(".."))
    return "it contains `..`";
  llvm::StringRef Stem = FileName.drop_back(4); // `.mig`
  size_t Digits = 0;
  while (Digits < Stem.size() && llvm::isDigit(Stem[Digits]))
    ++Digits;
  if (Digits < 4 || Digits >= Stem.size() || Stem[Digits] != '_' || Digits + 1 == Stem.size())
    return "names are `NNNN_name.mig`: at least four digits, `_`, then the name";
  for (char C : Stem.drop_front(Digits + 1))
    if (!(llvm::isDigit(C) || (C >= 'a' && C <= 'z') || C == '_'))
      return "after the number, a name holds only `a-z`, `0-9` and `_`";
  unsigned N = 0;
  if (Stem.take_front(Digits).getAsInteger(10, N))
    return "the number is too large";
  return "";
}

struct Loaded {
  Migration *M;
  const ast::MigrationDecl *Decl;
};

bool lessByNumber(const Migration *A, const Migration *B) {
  return A->Number != B->Number ? A->Number < B->Number : A->Name < B->Name;
}
} // namespace

const Migration *MigrationGraph::find(llvm::StringRef Name) const {
  auto It = ByName.find(Name);
  return It == ByName.end() ? nullptr : It->second;
}

const Migration *MigrationGraph::replacedBy(const Migration *M) const {
  auto It = ReplacedBy.find(M);
  return It == ReplacedBy.end() ? nullptr : It->second;
}

std::vector<const Migration *> MigrationGraph::effectiveDepends(const Migration *M) const {
  std::vector<const Migration *> Out;
  for (const std::string &D : M->Depends) {
    const Migration *Dep = find(D);
    if (!Dep)
      continue;
    if (const Migration *S = replacedBy(Dep); S && S != M && replacedBy(M) != S)
      Dep = S;
    Out.push_back(Dep);
  }
  std::sort(Out.begin(), Out.end(), lessByNumber);
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

std::vector<const Migration *> MigrationGraph::leaves() const {
  llvm::DenseSet<const Migration *> HasDependent;
  for (const Migration *M : Order)
    if (!replacedBy(M))
      for (const Migration *D : effectiveDepends(M))
        HasDependent.insert(D);
  std::vector<const Migration *> Out;
  for (const Migration *M : Order)
    if (!replacedBy(M) && !HasDependent.count(M))
      Out.push_back(M);
  std::sort(Out.begin(), Out.end(),
            [](const Migration *A, const Migration *B) { return A->Name < B->Name; });
  return Out;
}

unsigned MigrationGraph::nextNumber() const {
  unsigned Max = 0;
  for (const Migration *M : Order)
    Max = std::max(Max, M->Number);
  return Max + 1;
}

std::optional<std::vector<std::string>> strata::listMigrationFiles(llvm::StringRef Dir,
                                                                   DiagnosticEngine &Diags) {
  std::vector<std::string> Names;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    llvm::StringRef FileName = llvm::sys::path::filename(It->path());
    if (!FileName.endswith(".mig"))
      continue;
    // The directory entry says what it is; stat only when it does not.
    llvm::sys::fs::file_type Type = It->type();
    bool IsDirectory = Type == llvm::sys::fs::file_type::type_unknown
                           ? llvm::sys::fs::is_directory(It->path())
                           : Type == llvm::sys::fs::file_type::directory_file;
    if (!IsDirectory)
      Names.push_back(FileName.str());
  }
  if (EC) {
    Diags.reportFile(DiagKind::DirectoryUnreadable, Dir, Dir.str(), EC.message());
    return std::nullopt;
  }
  std::sort(Names.begin(), Names.end());
  return Names;
}

std::optional<MigrationGraph> MigrationGraph::load(llvm::StringRef Dir,
                                                   DiagnosticEngine &Diags) {
  MigrationGraph G;
  if (!llvm::sys::fs::is_directory(Dir))
    return G;

  // ---- Files: names, syntax, headers, operations.
  std::optional<std::vector<std::string>> Listed = listMigrationFiles(Dir, Diags);
  if (!Listed)
    return std::nullopt;
  std::vector<std::string> Names = std::move(*Listed);

  unsigned Before = Diags.errorCount();
  // Operations copy what they keep; their locations point into the
  // SourceMgr's buffers, which outlive the syntax trees.
  std::vector<ast::SourceFile> Files;
  Files.reserve(Names.size());
  std::vector<std::pair<std::string, std::string>> Paths; // path, file name
  for (const std::string &FileName : Names) {
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, FileName);
    if (std::string Reason = badFileNameReason(FileName); !Reason.empty()) {
      Diags.reportFile(DiagKind::MigrationBadFileName, Path, FileName, Reason);
      continue;
    }
    std::optional<ast::SourceFile> F = parseFile(Path, Diags);
    if (!F)
      continue;
    Paths.push_back({Path.str().str(), FileName});
    Files.push_back(std::move(*F));
  }
  if (Diags.errorCount() != Before)
    return std::nullopt;

  std::vector<Loaded> All;
  for (size_t I = 0; I < Files.size(); ++I) {
    const ast::SourceFile &F = Files[I];
    const ast::MigrationDecl *Decl = nullptr;
    for (const ast::Item &Item : F.Items)
      if (auto *D = std::get_if<ast::MigrationDecl>(&Item))
        Decl = D;
    if (!Decl)
      continue; // reported by the parser (NoMigrationInFile)
    auto M = std::make_unique<Migration>();
    llvm::StringRef Stem = llvm::StringRef(Paths[I].second).drop_back(4);
    M->Name = Stem.str();
    Stem.take_until([](char C) { return C == '_'; }).getAsInteger(10, M->Number);
    M->Path = Paths[I].first;
    M->NameLoc = Decl->Name.Range;
    M->Checksum =
        sha256Hex(Diags.sourceMgr().getMemoryBuffer(F.BufferID)->getBuffer());
    if (Decl->Name.Name != M->Name)
      Diags.reportAt(DiagKind::MigrationNameMismatch, Decl->Name.Range, Decl->Name.Name,
                     M->Name)
          .fixIt(Decl->Name.Range, M->Name);
    for (const ast::Ident &D : Decl->Depends)
      M->Depends.push_back(D.Name);
    for (const ast::Ident &R : Decl->Replaces)
      M->Replaces.push_back(R.Name);
    for (const ast::Operation &Op : Decl->Operations)
      if (OperationPtr P = buildOperation(Op, Diags))
        M->Operations.push_back(std::move(P));
    for (const ast::Comment &C : F.Comments)
      if (llvm::StringRef(C.Text).contains("strata:allow"))
        M->AllowComments.push_back(C);
    All.push_back({M.get(), Decl});
    G.ByName[M->Name] = M.get();
    G.Storage.push_back(std::move(M));
  }
  if (Diags.errorCount() != Before)
    return std::nullopt;

  // ---- Numbers and edges.
  std::map<unsigned, const Migration *> ByNumber;
  for (const Loaded &L : All) {
    auto [It, Inserted] = ByNumber.try_emplace(L.M->Number, L.M);
    if (Inserted)
      continue;
    Diags.reportAt(DiagKind::DuplicateMigrationNumber, L.M->NameLoc, It->second->Name,
                   L.M->Name, L.M->Number)
        .noteAt(DiagKind::NoteOtherMigration, It->second->NameLoc, It->second->Name);
  }
  auto CheckRefs = [&](const Loaded &L, const std::vector<ast::Ident> &Refs, const char *Verb) {
    for (const ast::Ident &R : Refs) {
      if (G.ByName.count(R.Name))
        continue;
      sema::NameSuggester S(R.Name);
      for (const auto &Entry : G.ByName)
        S.offer(Entry.first());
      sema::addSuggestion(
          Diags.reportAt(DiagKind::UnknownMigration, R.Range, L.M->Name, std::string(Verb), R.Name),
          R.Range, S.best());
    }
  };
  for (const Loaded &L : All) {
    CheckRefs(L, L.Decl->Depends, "depends on");
    CheckRefs(L, L.Decl->Replaces, "replaces");
  }
  if (Diags.errorCount() != Before)
    return std::nullopt;
  for (const Loaded &L : All)
    for (const std::string &R : L.M->Replaces)
      if (const Migration *Old = G.find(R); Old != L.M)
        G.ReplacedBy.try_emplace(Old, L.M);

  // ---- Order (Kahn, smallest number first) and cycles.
  llvm::DenseMap<const Migration *, unsigned> Pending;
  llvm::DenseMap<const Migration *, std::vector<const Migration *>> Dependents;
  for (const Loaded &L : All) {
    std::vector<const Migration *> Deps = G.effectiveDepends(L.M);
    for (const std::string &D : L.M->Depends) // keep the written edges too
      if (const Migration *Dep = G.find(D);
          std::find(Deps.begin(), Deps.end(), Dep) == Deps.end())
        Deps.push_back(Dep);
    Pending[L.M] = Deps.size();
    for (const Migration *D : Deps)
      Dependents[D].push_back(L.M);
  }
  auto Greater = [](const Migration *A, const Migration *B) { return lessByNumber(B, A); };
  std::priority_queue<const Migration *, std::vector<const Migration *>, decltype(Greater)>
      Ready(Greater);
  for (const Loaded &L : All)
    if (Pending[L.M] == 0)
      Ready.push(L.M);
  while (!Ready.empty()) {
    const Migration *M = Ready.top();
    Ready.pop();
    G.Order.push_back(M);
    for (const Migration *Next : Dependents[M])
      if (--Pending[Next] == 0)
        Ready.push(Next);
  }
  if (G.Order.size() != All.size()) {
    // Every unplaced migration waits on an unplaced dependency: walk those
    // edges from the smallest until a migration repeats.
    std::vector<const Migration *> Left;
    for (const Loaded &L : All)
      if (Pending[L.M] != 0)
        Left.push_back(L.M);
    std::sort(Left.begin(), Left.end(), lessByNumber);
    llvm::DenseMap<const Migration *, size_t> OnPath;
    std::vector<const Migration *> Path;
    const Migration *M = Left.front();
    while (!OnPath.count(M)) {
      OnPath[M] = Path.size();
      Path.push_back(M);
      const Migration *Next = nullptr;
      std::vector<const Migration *> Deps;
      for (const std::string &D : M->Depends)
        Deps.push_back(G.find(D));
      for (const Migration *D : G.effectiveDepends(M))
        Deps.push_back(D);
      std::sort(Deps.begin(), Deps.end(), lessByNumber);
      for (const Migration *D : Deps)
        if (Pending[D] != 0) {
          Next = D;
          break;
        }
      M = Next;
    }
    std::string Text;
    for (size_t I = OnPath[M]; I < Path.size(); ++I)
      Text += Path[I]->Name + " -> ";
    Text += M->Name;
    Diags.reportAt(DiagKind::MigrationCycle, M->NameLoc, Text);
    return std::nullopt;
  }
  return G;
}

std::optional<SchemaState> MigrationGraph::stateAfter(const Migration *Target,
                                                      DiagnosticEngine &Diags) const {
  // Which migrations to replay: all but the replaced ones, or what Target
  // needs. A replaced Target is reached through the originals.
  llvm::DenseSet<const Migration *> Wanted;
  if (Target) {
    bool ThroughOriginals = replacedBy(Target) != nullptr;
    std::vector<const Migration *> Work{Target};
    Wanted.insert(Target);
    while (!Work.empty()) {
      const Migration *M = Work.back();
      Work.pop_back();
      std::vector<const Migration *> Deps;
      if (ThroughOriginals)
        for (const std::string &D : M->Depends)
          Deps.push_back(find(D));
      else
        Deps = effectiveDepends(M);
      for (const Migration *D : Deps)
        if (Wanted.insert(D).second)
          Work.push_back(D);
    }
  }
  SchemaState State;
  RuleReaders Readers;
  for (const Migration *M : Order) {
    if (Target ? !Wanted.count(M) : replacedBy(M) != nullptr)
      continue;
    for (const OperationPtr &Op : M->Operations)
      if (!Op->applyTo(State, Diags, &Readers))
        return std::nullopt;
  }
  return State;
}
