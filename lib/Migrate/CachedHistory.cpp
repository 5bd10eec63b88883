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
#include "strata/Migrate/BuildCache.h"
#include "strata/Migrate/Squash.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Parse/Parser.h"
#include "strata/Serialize/Serialize.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace strata;
using namespace strata::serialize;

namespace {
constexpr uint64_t HistoryFormat = 2;

/// Dir's strata.sum and its first line (`h1:<hex>`), if there is one.
struct SumFile {
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  std::string Key;
};
std::optional<SumFile> readSum(llvm::StringRef Dir) {
  auto Buffer = llvm::MemoryBuffer::getFile(sumFilePath(Dir), /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  llvm::StringRef First = (*Buffer)->getBuffer().split('\n').first;
  if (!First.startswith("h1:") || First.size() != 3 + 64)
    return std::nullopt;
  return SumFile{std::move(*Buffer), First.str()};
}

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

std::string entryName(llvm::StringRef SumKey) { return "history-" + shortHash(SumKey); }

/// The entry: the sum file's digest, the view's fingerprint and shape, then
/// its state (read only when needed).
std::string encode(const HistoryView &H, llvm::StringRef SumDigest) {
  BinaryWriter W;
  W.u64(HistoryFormat);
  W.str(SumDigest);
  W.str(H.Fingerprint);
  W.u64(H.Leaves.size());
  for (const std::string &L : H.Leaves)
    W.str(L);
  W.u64(H.NextNumber);
  W.boolean(H.Empty);
  W.boolean(H.HasSquash);
  writeSchemaState(H.State, LocationEncoder(), W);
  return W.take();
}

/// The view without its state, and where the state begins.
std::optional<std::pair<HistoryView, size_t>> decodeHead(llvm::StringRef Payload,
                                                         llvm::StringRef SumDigest) {
  BinaryReader R(Payload);
  HistoryView H;
  if (R.u64() != HistoryFormat || R.str() != SumDigest)
    return std::nullopt;
  H.Fingerprint = R.str().str();
  for (uint64_t I = 0, N = R.count(); I < N && R.ok(); ++I)
    H.Leaves.push_back(R.str().str());
  H.NextNumber = unsigned(R.u64());
  H.Empty = R.boolean();
  H.HasSquash = R.boolean();
  if (!R.ok() || H.Leaves.size() > 1)
    return std::nullopt;
  return std::make_pair(std::move(H), Payload.size() - R.remaining());
}
} // namespace

std::optional<HistoryView> BuildCache::history(llvm::StringRef Dir, DiagnosticEngine &Diags) {
  MigrationsDir = Dir.str();
  if (Enabled && llvm::sys::fs::is_directory(Dir))
    if (std::optional<HistoryView> H = cachedHistory(Dir)) {
      Report.History = "hit";
      return H;
    }
  return fullHistory(Dir, Diags);
}

std::optional<HistoryView> BuildCache::fullHistory(llvm::StringRef Dir, DiagnosticEngine &Diags) {
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
  if (H.Leaves.size() == 1) {
    std::optional<SchemaState> S = Graph->stateAfter(Graph->find(H.Leaves.front()), Diags);
    if (!S)
      return std::nullopt;
    H.State = std::move(*S);
  }
  H.StateLoaded = true;

  Report.History = "miss";
  if (Enabled && llvm::sys::fs::is_directory(Dir) && Diags.size() == Before &&
      H.Leaves.size() == 1) {
    for (const Migration *M : Graph->order())
      Digests->remember(M->Path, M->Checksum);
    H.Fingerprint = schemaFingerprint(H.State);
    if (storeHistory(Dir, H))
      Report.History = "miss, stored";
  }
  return H;
}

std::optional<HistoryView> BuildCache::cachedHistory(llvm::StringRef Dir) {
  std::optional<SumFile> Sum = readSum(Dir);
  if (!Sum)
    return std::nullopt;
  std::optional<CacheEntry> E = Store.load(entryName(Sum->Key), Sum->Key);
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

namespace {
std::optional<SchemaState> readState(llvm::StringRef Bytes) {
  BinaryReader R(Bytes);
  std::optional<SchemaState> S = readSchemaState(R, LocationDecoder());
  if (!S || !R.ok() || !R.atEnd())
    return std::nullopt;
  return S;
}
} // namespace

void BuildCache::prefetch() {
  if (Prefetch.joinable())
    return;
  llvm::StringRef Bytes;
  if (HistoryEntry)
    Bytes = HistoryEntry->Payload.drop_front(HistoryStateAt);
  bool WithState = HistoryEntry.has_value();
  Prefetch = std::thread([this, Bytes, WithState] {
    prepareParser();
    if (WithState)
      Prefetched = readState(Bytes);
  });
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
  if (H.StateLoaded)
    return true;
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
  return true;
}

bool BuildCache::storeHistory(llvm::StringRef Dir, const HistoryView &H) {
  std::optional<SumFile> Sum = readSum(Dir);
  if (!Sum)
    return false;
  std::optional<std::string> SumDigest =
      Digests->digest(sumFilePath(Dir), Sum->Buffer->getBuffer());
  if (!SumDigest || !Store.store(entryName(Sum->Key), Sum->Key, encode(H, *SumDigest)))
    return false;
  // A branch switch brings an older history back: keep a few.
  Store.prune("history-", 4);
  return true;
}

void BuildCache::addedMigration(llvm::StringRef Dir, HistoryView &Before, const Migration &M) {
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
