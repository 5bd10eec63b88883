//===- CachedHistory.cpp - The replayed history in the build cache --------===//
//
// An entry holds the history's leaves, its next number and the state after
// its leaf (without locations: makemigrations reports nothing inside the
// history's files once it has loaded cleanly). Its key is strata.sum's
// directory hash, which names every migration file and its SHA-256; the
// entry is used only once the files on disk match strata.sum.
//
//===----------------------------------------------------------------------===//
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

namespace {
constexpr uint64_t HistoryFormat = 1;

/// The first line of Dir's strata.sum (`h1:<hex>`), if there is one.
std::optional<std::string> sumKey(llvm::StringRef Dir) {
  auto Buffer = llvm::MemoryBuffer::getFile(sumFilePath(Dir), /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  llvm::StringRef First = (*Buffer)->getBuffer().split('\n').first;
  if (!First.startswith("h1:") || First.size() != 3 + 64)
    return std::nullopt;
  return First.str();
}

std::string entryName(llvm::StringRef SumKey) { return "history-" + shortHash(SumKey); }

std::string encode(const HistoryView &H) {
  BinaryWriter W;
  W.u64(HistoryFormat);
  W.u64(H.Leaves.size());
  for (const std::string &L : H.Leaves)
    W.str(L);
  W.u64(H.NextNumber);
  W.boolean(H.Empty);
  W.boolean(H.HasSquash);
  writeSchemaState(H.State, LocationEncoder(), W);
  return W.take();
}

std::optional<HistoryView> decode(llvm::StringRef Payload) {
  BinaryReader R(Payload);
  HistoryView H;
  if (R.u64() != HistoryFormat)
    return std::nullopt;
  for (uint64_t I = 0, N = R.count(); I < N && R.ok(); ++I)
    H.Leaves.push_back(R.str().str());
  H.NextNumber = unsigned(R.u64());
  H.Empty = R.boolean();
  H.HasSquash = R.boolean();
  if (!R.ok())
    return std::nullopt;
  std::optional<SchemaState> S = readSchemaState(R, LocationDecoder());
  if (!S || !R.ok() || !R.atEnd())
    return std::nullopt;
  H.State = std::move(*S);
  return H;
}
} // namespace

std::optional<HistoryView> BuildCache::history(llvm::StringRef MigrationsDir,
                                               DiagnosticEngine &Diags) {
  bool IsDir = llvm::sys::fs::is_directory(MigrationsDir);
  if (Enabled && IsDir)
    if (std::optional<HistoryView> H = cachedHistory(MigrationsDir)) {
      Report.History = "hit";
      return H;
    }

  size_t Before = Diags.size();
  std::optional<MigrationGraph> G = loadHistory(MigrationsDir, Diags);
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

  Report.History = "miss";
  std::optional<std::string> Key = IsDir ? sumKey(MigrationsDir) : std::nullopt;
  if (Enabled && Key && Diags.size() == Before && H.Leaves.size() == 1) {
    for (const Migration *M : Graph->order())
      Digests->remember(M->Path, M->Checksum);
    if (storeHistory(*Key, H))
      Report.History = "miss, stored";
  }
  return H;
}

std::optional<HistoryView> BuildCache::cachedHistory(llvm::StringRef MigrationsDir) {
  std::optional<std::string> Key = sumKey(MigrationsDir);
  if (!Key)
    return std::nullopt;
  std::optional<CacheEntry> E = Dir.load(entryName(*Key), *Key);
  if (!E)
    return std::nullopt;

  // The files must be the ones strata.sum records, as for every command;
  // any doubt and the full load reports it properly.
  llvm::SourceMgr SM;
  DiagnosticEngine Scratch(SM);
  std::optional<std::vector<std::string>> Names = listMigrationFiles(MigrationsDir, Scratch);
  if (!Names)
    return std::nullopt;
  std::vector<SumEntry> Entries;
  Entries.reserve(Names->size());
  for (const std::string &Name : *Names) {
    llvm::SmallString<256> Path(MigrationsDir);
    llvm::sys::path::append(Path, Name);
    std::optional<std::string> Digest = Digests->digest(Path);
    if (!Digest)
      return std::nullopt;
    Entries.push_back({Name, std::move(*Digest)});
  }
  if (!verifySumFile(MigrationsDir, Entries, Scratch) || Scratch.size() != 0)
    return std::nullopt;

  std::optional<HistoryView> H = decode(E->Payload);
  if (H)
    Report.Migrations = unsigned(Names->size());
  return H;
}

bool BuildCache::storeHistory(llvm::StringRef SumKey, const HistoryView &H) {
  if (!Dir.store(entryName(SumKey), SumKey, encode(H)))
    return false;
  // A branch switch brings an older history back: keep a few.
  Dir.prune("history-", 4);
  return true;
}

void BuildCache::addedMigration(llvm::StringRef MigrationsDir, const HistoryView &Before,
                                const Migration &M) {
  // With squashes, which migrations are leaves takes the whole graph.
  if (!Enabled || Before.HasSquash || Before.Leaves.size() > 1)
    return;
  std::optional<std::string> Key = sumKey(MigrationsDir);
  if (!Key)
    return;
  // Replay M as the next load would, on the state it was written against.
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
  Digests->remember(M.Path, M.Checksum);
  storeHistory(*Key, H);
}
