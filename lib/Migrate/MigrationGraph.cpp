//===- MigrationGraph.cpp - Loading, checking and replaying history -------===//
//
// load() runs in stages and stops after a stage that reported: files
// (names, syntax), migrations (header names, operations), then the graph
// (distinct names, edges, cycles). Numbers may repeat and only break ties
// in the order: two branches can both write `0002_...`; a merge joins them. Nothing needs
// recursion: the topological order is Kahn's algorithm with a priority queue, a cycle is found by
// walking the migrations Kahn could not place.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/MigrationGraph.h"
#include "strata/IQL/Names.h"
#include "strata/Parse/Parser.h"
#include "strata/Sema/Suggest.h"
#include "strata/Support/FileDigests.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
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

/// A migration built from its file, with what the graph's checks read of
/// its header (the file's syntax tree is gone by then).
struct Loaded {
  Migration *M;
  std::vector<ast::Ident> Depends, Replaces;
};

bool lessByNumber(const Migration *A, const Migration *B) {
  return A->Number != B->Number ? A->Number < B->Number : A->Name < B->Name;
}
} // namespace

const Migration *MigrationGraph::find(llvm::StringRef Name) const {
  auto It = ByName.find(Name);
  return It == ByName.end() ? nullptr : It->second;
}

const Migration *MigrationGraph::resolve(llvm::StringRef Name) const {
  if (const Migration *M = find(Name))
    return M;
  auto It = GoneOriginals.find(Name);
  return It == GoneOriginals.end() ? nullptr : It->second;
}

const Migration *MigrationGraph::replacedBy(const Migration *M) const {
  auto It = ReplacedBy.find(M);
  return It == ReplacedBy.end() ? nullptr : It->second;
}

std::vector<const Migration *> MigrationGraph::effectiveDepends(const Migration *M) const {
  std::vector<const Migration *> Out;
  for (const std::string &D : M->Depends) {
    const Migration *Dep = resolve(D);
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

namespace {
/// A parsed `.mig` file and where it came from.
struct ParsedFile {
  ast::SourceFile Syntax;
  std::string Path, FileName;
};

/// Path's buffer: a view of the bytes the feed hands over, or the file
/// (or the overlay's text) read now.
std::optional<unsigned> migrationBuffer(llvm::StringRef Path, const SourceOverlay *Overlay,
                                        const MigrationFileFeed *Feed, DiagnosticEngine &Diags) {
  if (Feed) {
    if (std::optional<llvm::MemoryBufferRef> Bytes = Feed->take(Path))
      return Diags.sourceMgr().AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(*Bytes),
                                                  llvm::SMLoc());
    if (Feed->failed())
      return std::nullopt;
  }
  return loadSourceFileOrOverlay(Path, Overlay, Diags);
}

/// The From and To of a rename of a relation or a rule, or null.
std::pair<const ast::Ident *, const ast::Ident *> renameNames(const ast::Operation &Op) {
  if (auto *R = std::get_if<ast::RenameRelationOp>(&Op.Body))
    return {&R->From, &R->To};
  if (auto *R = std::get_if<ast::RenameRuleOp>(&Op.Body))
    return {&R->From, &R->To};
  return {nullptr, nullptr};
}

/// A rename may go to a temporary name (`*_strata_tmp`) only on the way
/// through a swap, as makemigrations writes one: a later rename of the
/// same migration takes it away again. A temporary name left behind would
/// be a user relation under a name Strata owns.
void checkTemporaryRenames(const ast::MigrationDecl &Decl, DiagnosticEngine &Diags) {
  const std::vector<ast::Operation> &Ops = Decl.Operations;
  for (size_t I = 0; I < Ops.size(); ++I) {
    auto [From, To] = renameNames(Ops[I]);
    if (!To || iql::ownedNameForm(To->Name) != iql::OwnedForm::Temporary)
      continue;
    bool RenamedAway = false;
    for (size_t J = I + 1; J < Ops.size() && !RenamedAway; ++J)
      if (const ast::Ident *Later = renameNames(Ops[J]).first)
        RenamedAway = Later->Name == To->Name;
    if (!RenamedAway)
      Diags.reportAt(DiagKind::OwnedName, To->Range,
                     std::holds_alternative<ast::RenameRuleOp>(Ops[I].Body) ? "derived relation"
                                                                            : "relation",
                     To->Name,
                     iql::ownedNameRule(iql::OwnedForm::Temporary) +
                         ", and a rename may go through one only when a later rename of the "
                         "same migration takes it away");
  }
}

/// The migration F declares, its operations built; null when F holds no
/// migration (the parser reported it). Reports a header name that is not
/// the file's and operations that do not build. Takes the operations out
/// of F's syntax tree.
std::unique_ptr<Migration> buildMigration(ParsedFile &F, const ast::MigrationDecl *&Decl,
                                          DiagnosticEngine &Diags) {
  ast::MigrationDecl *Found = nullptr;
  for (ast::Item &Item : F.Syntax.Items)
    if (auto *D = std::get_if<ast::MigrationDecl>(&Item))
      Found = D;
  Decl = Found;
  if (!Decl)
    return nullptr;
  auto M = std::make_unique<Migration>();
  llvm::StringRef Stem = llvm::StringRef(F.FileName).drop_back(4);
  M->Name = Stem.str();
  Stem.take_until([](char C) { return C == '_'; }).getAsInteger(10, M->Number);
  M->Path = F.Path;
  M->NameLoc = Decl->Name.Range;
  M->Checksum = sha256Hex(Diags.sourceMgr().getMemoryBuffer(F.Syntax.BufferID)->getBuffer());
  if (Decl->Name.Name != M->Name)
    Diags.reportAt(DiagKind::MigrationNameMismatch, Decl->Name.Range, Decl->Name.Name, M->Name)
        .fixIt(Decl->Name.Range, M->Name);
  for (const ast::Ident &D : Decl->Depends)
    M->Depends.push_back(D.Name);
  for (const ast::Ident &R : Decl->Replaces)
    M->Replaces.push_back(R.Name);
  // Building takes the operations apart, so the renames are checked
  // first; what that finds is reported after what building does.
  DiagnosticEngine Renames(Diags.sourceMgr());
  Renames.setWarningsAsErrors(Diags.warningsAsErrors());
  checkTemporaryRenames(*Decl, Renames);
  for (ast::Operation &Op : Found->Operations)
    if (OperationPtr P = buildOperation(std::move(Op), Diags))
      M->Operations.push_back(std::move(P));
  Diags.append(std::move(Renames));
  for (const ast::Comment &C : F.Syntax.Comments)
    if (llvm::StringRef(C.Text).contains("strata:allow"))
      M->AllowComments.push_back(C);
  return M;
}

/// The `.mig` files Names of Dir with a valid name, each parsed and then
/// built into a migration (buildMigration) before the next is read, so
/// that only one file's syntax tree is alive at a time. The stages stay
/// those of load(): nullopt after reporting a bad file name or a syntax
/// error (and nothing of building, which reports into a held engine until
/// every file has parsed); then what building reported follows.
std::optional<std::vector<std::unique_ptr<Migration>>>
parseAndBuild(llvm::StringRef Dir, llvm::ArrayRef<std::string> Names, const SourceOverlay *Overlay,
              const MigrationFileFeed *Feed, std::vector<Loaded> &All, DiagnosticEngine &Diags) {
  unsigned Before = Diags.errorCount();
  DiagnosticEngine Building(Diags.sourceMgr());
  std::vector<std::unique_ptr<Migration>> Built;
  Built.reserve(Names.size());
  for (const std::string &FileName : Names) {
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, FileName);
    if (std::string Reason = badFileNameReason(FileName); !Reason.empty()) {
      Diags.reportFile(DiagKind::MigrationBadFileName, Path, FileName, Reason);
      continue;
    }
    std::optional<unsigned> ID = migrationBuffer(Path, Overlay, Feed, Diags);
    if (!ID)
      continue;
    ParsedFile F{parseBuffer(*ID, ast::FileKind::Migration, Diags), Path.str().str(), FileName};
    if (Diags.errorCount() != Before)
      continue; // the load stops after parsing: nothing more is built
    const ast::MigrationDecl *Decl = nullptr;
    std::unique_ptr<Migration> M = buildMigration(F, Decl, Building);
    if (!M)
      continue;
    All.push_back({M.get(), Decl->Depends, Decl->Replaces});
    Built.push_back(std::move(M));
  }
  if (Diags.errorCount() != Before)
    return std::nullopt;
  Diags.append(std::move(Building));
  return Built;
}

/// The part of a migration's name after its number: `add_b` for
/// `0002_add_b`.
llvm::StringRef namePart(const Migration &M) { return llvm::StringRef(M.Name).split('_').second; }

/// Numbers are for people and may repeat (two branches both wrote
/// `0002_...`); the name is the identity. Two names that differ only in
/// the zeros of their number (`0002_add_b`, `00002_add_b`) would read as
/// one migration, so they are refused.
/// Known: the names of migrations loaded before (MigrationGraph::loadPart),
/// which a clash is reported against without a note.
void checkDistinctNames(const std::vector<Loaded> &All, llvm::ArrayRef<std::string> Known,
                        DiagnosticEngine &Diags) {
  std::map<std::pair<unsigned, std::string>, std::pair<std::string, const Migration *>> Seen;
  for (const std::string &Name : Known) {
    auto [Number, Part] = llvm::StringRef(Name).split('_');
    unsigned N = 0;
    Number.getAsInteger(10, N);
    Seen.try_emplace({N, Part.str()}, Name, nullptr);
  }
  for (const Loaded &L : All) {
    auto [It, Inserted] = Seen.try_emplace({L.M->Number, namePart(*L.M).str()}, L.M->Name, L.M);
    if (Inserted)
      continue;
    auto D =
        Diags.reportAt(DiagKind::DuplicateMigrationName, L.M->NameLoc, It->second.first, L.M->Name);
    if (const Migration *Other = It->second.second)
      D.noteAt(DiagKind::NoteOtherMigration, Other->NameLoc, Other->Name);
  }
}

/// Reports every `depends` that names no migration. A name in a
/// `replaces` needs no file: once no target needs a squash's originals
/// they may be deleted, and a `depends` on one then means the squash. Nor
/// does a Known one (loaded before: MigrationGraph::loadPart).
void checkReferences(const std::vector<Loaded> &All,
                     const llvm::StringMap<const Migration *> &ByName,
                     llvm::ArrayRef<std::string> Known, DiagnosticEngine &Diags) {
  llvm::StringSet<> WithoutFile;
  for (const std::string &K : Known)
    WithoutFile.insert(K);
  for (const Loaded &L : All)
    for (const ast::Ident &R : L.Replaces)
      WithoutFile.insert(R.Name);
  auto Check = [&](const Loaded &L, const std::vector<ast::Ident> &Refs, const char *Verb) {
    for (const ast::Ident &R : Refs) {
      if (ByName.count(R.Name) || WithoutFile.count(R.Name))
        continue;
      sema::NameSuggester S(R.Name);
      for (const auto &Entry : ByName)
        S.offer(Entry.first());
      sema::addSuggestion(
          Diags.reportAt(DiagKind::UnknownMigration, R.Range, L.M->Name, std::string(Verb), R.Name),
          R.Range, S.best());
    }
  };
  for (const Loaded &L : All) {
    Check(L, L.Depends, "depends on");
  }
}

/// What a migration waits for: its effective dependencies and the
/// written ones, which a squash may have mapped away.
std::vector<const Migration *> orderingDepends(const MigrationGraph &G, const Migration *M) {
  std::vector<const Migration *> Deps = G.effectiveDepends(M);
  for (const std::string &D : M->Depends)
    if (const Migration *Dep = G.resolve(D); Dep && Dep != M && !llvm::is_contained(Deps, Dep))
      Deps.push_back(Dep);
  return Deps;
}

/// Reports the cycle among the migrations Kahn's algorithm left with
/// pending dependencies: every one of them waits on another, so walking
/// those edges from the smallest repeats a migration.
void reportCycle(const MigrationGraph &G, const std::vector<Loaded> &All,
                 const llvm::DenseMap<const Migration *, unsigned> &Pending,
                 DiagnosticEngine &Diags) {
  std::vector<const Migration *> Left;
  for (const Loaded &L : All)
    if (Pending.lookup(L.M) != 0)
      Left.push_back(L.M);
  std::sort(Left.begin(), Left.end(), lessByNumber);
  llvm::DenseMap<const Migration *, size_t> OnPath;
  std::vector<const Migration *> Path;
  const Migration *M = Left.front();
  while (!OnPath.count(M)) {
    OnPath[M] = Path.size();
    Path.push_back(M);
    std::vector<const Migration *> Deps = orderingDepends(G, M);
    std::sort(Deps.begin(), Deps.end(), lessByNumber);
    const Migration *Next = nullptr;
    for (const Migration *D : Deps)
      if (Pending.lookup(D) != 0) {
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
}

/// The migrations in dependency order (Kahn's algorithm; among those
/// ready, the smallest number, then name, first: numbers may repeat, the
/// graph decides). Reports a cycle and returns nullopt.
std::optional<std::vector<const Migration *>> orderByDependencies(const MigrationGraph &G,
                                                                  const std::vector<Loaded> &All,
                                                                  DiagnosticEngine &Diags) {
  llvm::DenseMap<const Migration *, unsigned> Pending;
  llvm::DenseMap<const Migration *, std::vector<const Migration *>> Dependents;
  for (const Loaded &L : All) {
    std::vector<const Migration *> Deps = orderingDepends(G, L.M);
    Pending[L.M] = Deps.size();
    for (const Migration *D : Deps)
      Dependents[D].push_back(L.M);
  }
  auto Greater = [](const Migration *A, const Migration *B) { return lessByNumber(B, A); };
  std::priority_queue<const Migration *, std::vector<const Migration *>, decltype(Greater)> Ready(
      Greater);
  for (const Loaded &L : All)
    if (Pending[L.M] == 0)
      Ready.push(L.M);
  std::vector<const Migration *> Order;
  while (!Ready.empty()) {
    const Migration *M = Ready.top();
    Ready.pop();
    Order.push_back(M);
    for (const Migration *Next : Dependents[M])
      if (--Pending[Next] == 0)
        Ready.push(Next);
  }
  if (Order.size() == All.size())
    return Order;
  reportCycle(G, All, Pending, Diags);
  return std::nullopt;
}
} // namespace

std::optional<MigrationGraph> MigrationGraph::load(llvm::StringRef Dir, DiagnosticEngine &Diags,
                                                   const SourceOverlay *Overlay,
                                                   const MigrationFileFeed *Feed) {
  if (!llvm::sys::fs::is_directory(Dir))
    return MigrationGraph();
  std::optional<std::vector<std::string>> Names = listMigrationFiles(Dir, Diags);
  if (!Names)
    return std::nullopt;
  return loadFiles(Dir, *Names, {}, Overlay, Feed, Diags);
}

std::optional<MigrationGraph> MigrationGraph::loadPart(llvm::StringRef Dir,
                                                       llvm::ArrayRef<std::string> FileNames,
                                                       llvm::ArrayRef<std::string> Known,
                                                       DiagnosticEngine &Diags) {
  return loadFiles(Dir, FileNames, Known, nullptr, nullptr, Diags);
}

std::optional<MigrationGraph>
MigrationGraph::loadFiles(llvm::StringRef Dir, llvm::ArrayRef<std::string> FileNames,
                          llvm::ArrayRef<std::string> Known, const SourceOverlay *Overlay,
                          const MigrationFileFeed *Feed, DiagnosticEngine &Diags) {
  MigrationGraph G;
  // Operations copy what they keep; their locations point into the
  // SourceMgr's buffers, which outlive the syntax trees.
  unsigned Before = Diags.errorCount();
  std::vector<Loaded> All;
  std::optional<std::vector<std::unique_ptr<Migration>>> Built =
      parseAndBuild(Dir, FileNames, Overlay, Feed, All, Diags);
  if (!Built)
    return std::nullopt;
  for (std::unique_ptr<Migration> &M : *Built) {
    G.ByName[M->Name] = M.get();
    G.Storage.push_back(std::move(M));
  }
  if (Diags.errorCount() != Before)
    return std::nullopt;

  checkDistinctNames(All, Known, Diags);
  checkReferences(All, G.ByName, Known, Diags);
  if (Diags.errorCount() != Before)
    return std::nullopt;
  for (const Loaded &L : All)
    for (const std::string &R : L.M->Replaces) {
      const Migration *Old = G.find(R);
      if (!Old)
        G.GoneOriginals.try_emplace(R, L.M);
      else if (Old != L.M)
        G.ReplacedBy.try_emplace(Old, L.M);
    }

  std::optional<std::vector<const Migration *>> Order = orderByDependencies(G, All, Diags);
  if (!Order)
    return std::nullopt;
  G.Order = std::move(*Order);
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
