//===- HistoryEntry.cpp - The history's entries in the build cache --------===//
//
// An entry holds the history's leaves, its next number and the state after
// its leaf (without locations: makemigrations reports nothing inside the
// history's files once it has loaded cleanly).
//
//===----------------------------------------------------------------------===//
#include "HistoryEntry.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Serialize/Serialize.h"

using namespace strata;
using namespace strata::serialize;

namespace {
constexpr uint64_t HistoryFormat = 2;
} // namespace

namespace strata::historyentry {

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

std::string historyEntryName(llvm::StringRef SumKey) { return "history-" + shortHash(SumKey); }
std::string lineageEntryName(llvm::StringRef SumKey) { return "lineage-" + shortHash(SumKey); }

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
bool writeHistoryEntry(const CacheDir &Store, const SumFile &Sum, llvm::StringRef SumDigest,
                       const HistoryView &H) {
  if (!Store.store(historyEntryName(Sum.Key), Sum.Key, encode(H, SumDigest)) ||
      !Store.store(lineageEntryName(Sum.Key), Sum.Key, Sum.Buffer->getBuffer()))
    return false;
  Store.prune("history-", KeptHistories);
  Store.prune("lineage-", KeptHistories);
  return true;
}

std::optional<SchemaState> readState(llvm::StringRef Bytes) {
  BinaryReader R(Bytes);
  std::optional<SchemaState> S = readSchemaState(R, LocationDecoder());
  if (!S || !R.ok() || !R.atEnd())
    return std::nullopt;
  return S;
}

} // namespace strata::historyentry
