//===- CachedHistory.cpp - The replayed history in the build cache --------===//
//
// An entry holds the history's leaves, its next number and the state after
// its leaf (without locations: makemigrations reports nothing inside the
// history's files once it has loaded cleanly). Its key is strata.sum's
// directory hash, which names every migration file and its SHA-256; the
// entry also records the SHA-256 of the sum file that verified cleanly when
// it was stored, and is used only while the sum file is that one and the
// files on disk are those it lists.
//
//===----------------------------------------------------------------------===//
#include "HistoryEntry.h"
#include "strata/Migrate/BuildCache.h"
#include "strata/Migrate/Squash.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Serialize/Serialize.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace strata;
using namespace strata::serialize;
using namespace strata::historyentry;

namespace {
/// Whether the `.mig` files of Dir are exactly those Sum lists, with the
/// hashes it records. Sum is known to be a sum file that verified cleanly;
/// the check walks its lines and the sorted file names in step (a sum file
/// not in name order, which `strata hash` never writes, fails it).
bool filesMatchSum(llvm::StringRef Dir, llvm::StringRef Sum, const std::vector<std::string> &Names,
                   FileDigests &Digests) {
  llvm::StringRef Rest = Sum.split('\n').second;
  for (const std::string &Name : Names) {
    auto [Line, Next] = Rest.split('\n');
    Rest = Next;
    auto [File, Hash] = Line.split(' ');
    if (File != Name || !Hash.consume_front("h1:"))
      return false;
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, Name);
    std::optional<std::string> Digest = Digests.digest(Path);
    if (!Digest || *Digest != Hash)
      return false;
  }
  return Rest.empty();
}
} // namespace

std::optional<HistoryView> BuildCache::history(llvm::StringRef Dir, DiagnosticEngine &Diags) {
  MigrationsDir = Dir.str();
  if (Enabled && llvm::sys::fs::is_directory(Dir))
    if (std::optional<HistoryView> H = cachedHistory(Dir)) {
      Report.History = "hit";
      return H;
    }
  if (Enabled && llvm::sys::fs::is_directory(Dir))
    if (std::optional<HistoryView> H = appendedHistory(Dir, Diags))
      return H;
  return fullHistory(Dir, Diags);
}

std::optional<HistoryView> BuildCache::fullHistory(llvm::StringRef Dir, DiagnosticEngine &Diags) {
  bool IsDirectory = llvm::sys::fs::is_directory(Dir);
  if (ReplayMeanwhile && IsDirectory)
    if (std::optional<HistoryView> H = loadMeanwhile(Dir, Enabled, Diags))
      return H;
  size_t Before = Diags.size();
  std::optional<MigrationGraph> G = loadHistory(Dir, Diags);
  if (!G)
    return std::nullopt;
  Graph = std::make_unique<MigrationGraph>(std::move(*G));
  HistoryView H;
  H.Graph = Graph.get();
  for (const Migration *L : effectiveLeaves(*Graph))
    H.Leaves.push_back(L->Name);
  H.NextNumber = Graph->nextNumber();
  H.Empty = Graph->empty();
  for (const Migration *M : Graph->order())
    H.HasSquash |= !M->Replaces.empty();
  Report.Migrations = unsigned(Graph->order().size());
  Report.History = "miss";
  bool Storable = Enabled && IsDirectory && H.Leaves.size() == 1;
  if (H.Leaves.size() == 1 && ReplayMeanwhile && Diags.size() == Before) {
    replayMeanwhile(Dir, H, Storable);
    return H;
  }
  if (H.Leaves.size() == 1) {
    std::optional<SchemaState> S = Graph->stateAfter(Graph->find(H.Leaves.front()), Diags);
    if (!S)
      return std::nullopt;
    H.State = std::move(*S);
  }
  H.StateLoaded = true;
  if (Storable && Diags.size() == Before) {
    for (const Migration *M : Graph->order())
      Digests->remember(M->Path, M->Checksum);
    storeHistoryMeanwhile(Dir, H);
  }
  return H;
}

std::optional<HistoryView> BuildCache::cachedHistory(llvm::StringRef Dir) {
  std::optional<SumFile> Sum = readSum(Dir);
  if (!Sum)
    return std::nullopt;
  std::optional<CacheEntry> E = Store.load(historyEntryName(Sum->Key), Sum->Key);
  if (!E)
    return std::nullopt;

  // The entry was stored when this very sum file verified cleanly; the
  // files must still be the ones it lists, as every command checks. Any
  // doubt, and the full load reports it properly.
  std::optional<std::string> SumDigest =
      Digests->digest(sumFilePath(Dir), Sum->Buffer->getBuffer());
  llvm::SourceMgr SM;
  DiagnosticEngine Scratch(SM);
  std::optional<std::vector<std::string>> Names = listMigrationFiles(Dir, Scratch);
  if (!SumDigest || !Names || !filesMatchSum(Dir, Sum->Buffer->getBuffer(), *Names, *Digests))
    return std::nullopt;

  auto Head = decodeHead(E->Payload, *SumDigest);
  if (!Head)
    return std::nullopt;
  Report.Migrations = unsigned(Names->size());
  HistoryEntry = std::move(*E);
  HistoryStateAt = Head->second;
  return std::move(Head->first);
}

void BuildCache::prefetch() {
  // Well-formed schema files never reach ANTLR, whose tables are built on
  // the first file that does: nothing to prepare for a parse, and a cold
  // run's other core is busy with the history.
  if (Prefetch.joinable() || !HistoryEntry)
    return;
  llvm::StringRef Bytes = HistoryEntry->Payload.drop_front(HistoryStateAt);
  Prefetch = std::thread([this, Bytes] { Prefetched = readState(Bytes); });
}

std::optional<SchemaState> BuildCache::cachedHistoryState() {
  if (!HistoryEntry)
    return std::nullopt;
  if (Prefetch.joinable()) {
    Prefetch.join();
    if (Prefetched)
      return std::move(Prefetched);
  }
  return readState(HistoryEntry->Payload.drop_front(HistoryStateAt));
}

bool BuildCache::loadState(HistoryView &H, DiagnosticEngine &Diags) {
  if (H.StateLoaded || ReplayedState.valid() || LoadedMeanwhile.valid())
    return settle(H, Diags);
  if (std::optional<SchemaState> S = cachedHistoryState()) {
    H.State = std::move(*S);
    H.StateLoaded = true;
    Report.History = "hit, state read back";
    return true;
  }
  Report.History = "miss (the entry did not read back)";
  std::optional<HistoryView> Full = fullHistory(MigrationsDir, Diags);
  if (!Full)
    return false;
  H = std::move(*Full);
  return settle(H, Diags);
}

bool BuildCache::storeHistory(llvm::StringRef Dir, const HistoryView &H) {
  std::optional<SumFile> Sum = readSum(Dir);
  if (!Sum)
    return false;
  std::optional<std::string> SumDigest =
      Digests->digest(sumFilePath(Dir), Sum->Buffer->getBuffer());
  return SumDigest && writeHistoryEntry(Store, *Sum, *SumDigest, H);
}

void BuildCache::addedMigration(llvm::StringRef Dir, HistoryView &Before, const Migration &M) {
  llvm::SourceMgr ScratchSM;
  DiagnosticEngine Unused(ScratchSM);
  if (!settle(Before, Unused))
    return;
  finishHistoryStore();
  // With squashes, which migrations are leaves takes the whole graph.
  if (!Enabled || Before.HasSquash || Before.Leaves.size() > 1)
    return;
  // Replay M as the next load would, on the state it was written against
  // (read back from the cache if it was not yet: an --empty migration).
  if (!Before.StateLoaded) {
    std::optional<SchemaState> S = cachedHistoryState();
    if (!S)
      return;
    Before.State = std::move(*S);
    Before.StateLoaded = true;
  }
  llvm::SourceMgr SM;
  DiagnosticEngine Scratch(SM);
  HistoryView H;
  H.State = Before.State;
  RuleReaders Readers(H.State);
  for (const OperationPtr &Op : M.Operations)
    if (!Op->applyTo(H.State, Scratch, &Readers))
      return;
  if (Scratch.size() != 0)
    return;
  H.Leaves = {M.Name};
  H.NextNumber = M.Number + 1;
  H.Empty = false;
  H.Fingerprint = schemaFingerprint(H.State);
  Digests->remember(M.Path, M.Checksum);
  storeHistory(Dir, H);
}
