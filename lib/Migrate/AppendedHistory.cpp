//===- AppendedHistory.cpp - Replaying only what a pull added -------------===//
//
// After a `git pull` the history holds new migrations, so strata.sum and
// the key of the cached history change, but the state the old migrations
// reach is still in the cache. When every migration of a kept history is
// still there, unchanged, and every migration added since descends from
// its leaf, a full replay would run through the old migrations exactly as
// they ran when the state was kept (in the history's order, every one of
// them comes before anything that descends from their leaf), then through
// the new ones: so the new ones are loaded, checked and replayed onto the
// kept state, and nothing else is read but the files' statuses.
//
// This is a shortcut only: anything it does not expect (a squash, a new
// migration beside the leaf rather than after it, divergent leaves, a
// single diagnostic of any kind) and the full load runs instead and reports
// what it reports.
//
//===----------------------------------------------------------------------===//
#include "HistoryEntry.h"
#include "strata/Migrate/BuildCache.h"
#include "strata/Migrate/SumFile.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace strata;
using namespace strata::historyentry;

namespace {
/// The `NAME h1:HASH` lines of a sum file's text, without its first line.
llvm::SmallVector<llvm::StringRef, 0> sumLines(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split('\n').second.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  return Lines;
}

/// A kept history the current one extends: its entry, where its state
/// begins, its view, and which migrations it holds.
struct Parent {
  CacheEntry Entry;
  size_t StateAt = 0;
  HistoryView View;
  llvm::StringSet<> Lines;
};

/// Whether every migration of G descends from Leaf (which G does not hold)
/// and G has one leaf: then the whole history's single leaf is G's.
bool extendsLeaf(const MigrationGraph &G, llvm::StringRef Leaf) {
  llvm::DenseSet<const Migration *> Descends;
  for (const Migration *M : G.order()) {
    if (!M->Replaces.empty())
      return false;
    bool FromLeaf = false;
    for (const std::string &D : M->Depends) {
      const Migration *Dep = G.find(D);
      FromLeaf |= Dep ? Descends.count(Dep) != 0 : D == Leaf;
    }
    if (!FromLeaf)
      return false;
    Descends.insert(M);
  }
  return G.leaves().size() == 1;
}
} // namespace

/// The kept history with the most migrations among those whose every
/// migration (name and hash) the current sum file lists.
static std::optional<Parent> findParent(const CacheDir &Store, llvm::StringRef CurrentSum) {
  std::vector<std::string> Names = Store.entryNames("lineage-");
  if (Names.empty())
    return std::nullopt;
  llvm::StringSet<> Current;
  for (llvm::StringRef Line : sumLines(CurrentSum))
    Current.insert(Line);
  std::optional<Parent> Best;
  for (const std::string &Name : Names) {
    std::string Key;
    std::optional<CacheEntry> Lineage = Store.loadAnyKey(Name, Key);
    if (!Lineage)
      continue;
    llvm::StringRef Text = Lineage->Payload;
    llvm::SmallVector<llvm::StringRef, 0> Lines = sumLines(Text);
    if (Text.split('\n').first != Key || (Best && Lines.size() <= Best->Lines.size()) ||
        !llvm::all_of(Lines, [&](llvm::StringRef L) { return Current.count(L) != 0; }))
      continue;
    std::optional<CacheEntry> E = Store.load(historyEntryName(Key), Key);
    if (!E)
      continue;
    auto Head = decodeHead(E->Payload, sha256Hex(Text));
    if (!Head || Head->first.Leaves.size() != 1 || Head->first.HasSquash)
      continue;
    Best = Parent{std::move(*E), Head->second, std::move(Head->first), {}};
    for (llvm::StringRef L : Lines)
      Best->Lines.insert(L);
  }
  return Best;
}

std::optional<HistoryView> BuildCache::appendedHistory(llvm::StringRef Dir,
                                                       DiagnosticEngine &Diags) {
  std::optional<SumFile> Sum = readSum(Dir);
  if (!Sum)
    return std::nullopt;
  llvm::StringRef SumText = Sum->Buffer->getBuffer();
  std::optional<Parent> P = findParent(Store, SumText);
  if (!P)
    return std::nullopt;

  // strata.sum is checked against every file as a full load checks it
  // (the old files' hashes are remembered by their statuses).
  DiagnosticEngine Scratch(Diags.sourceMgr());
  std::optional<std::vector<std::string>> Names = listMigrationFiles(Dir, Scratch);
  if (!Names)
    return std::nullopt;
  std::vector<SumEntry> Entries;
  std::vector<std::string> Added, Known;
  for (const std::string &Name : *Names) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, Name);
    std::optional<std::string> Digest = Digests->digest(Path);
    if (!Digest)
      return std::nullopt;
    std::string Line = Name + " h1:" + *Digest;
    if (P->Lines.count(Line))
      Known.push_back(llvm::StringRef(Name).drop_back(4).str());
    else
      Added.push_back(Name);
    Entries.push_back({Name, std::move(*Digest)});
  }
  if (Known.size() != P->Lines.size() || !verifySumFile(Dir, Entries, Scratch) ||
      Scratch.size() != 0)
    return std::nullopt;

  std::optional<MigrationGraph> Part = MigrationGraph::loadPart(Dir, Added, Known, Scratch);
  if (!Part || Scratch.size() != 0 || !extendsLeaf(*Part, P->View.Leaves.front()))
    return std::nullopt;
  // A file that changed between its hash and its parse is left to the
  // full load.
  llvm::StringMap<std::string> Checked;
  for (const SumEntry &E : Entries)
    Checked[E.File] = E.Checksum;
  for (const Migration *M : Part->order())
    if (Checked.lookup(M->Name + ".mig") != M->Checksum)
      return std::nullopt;

  std::optional<SchemaState> State = readState(P->Entry.Payload.drop_front(P->StateAt));
  if (!State)
    return std::nullopt;
  HistoryView H;
  H.State = std::move(*State);
  RuleReaders Readers(H.State);
  for (const Migration *M : Part->order())
    for (const OperationPtr &Op : M->Operations)
      if (!Op->applyTo(H.State, Scratch, &Readers) || Scratch.size() != 0)
        return std::nullopt;
  H.StateLoaded = true;
  H.Leaves = {Part->leaves().front()->Name};
  H.NextNumber = std::max(P->View.NextNumber, Part->nextNumber());
  H.Empty = false;
  Report.Migrations = unsigned(Names->size());
  Report.History =
      "miss, " + std::to_string(Added.size()) + " added migrations replayed on a " + "kept state";
  for (const Migration *M : Part->order())
    Digests->remember(M->Path, M->Checksum);
  storeHistoryMeanwhile(Dir, H);
  Appended = std::make_unique<MigrationGraph>(std::move(*Part));
  return H;
}
