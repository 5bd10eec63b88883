//===- HistoryEntry.h - The history's entries in the build cache -*- C++ -*-===//
//
// Private to lib/Migrate (CachedHistory.cpp, AppendedHistory.cpp). The
// replayed history is kept under the key of the strata.sum it was loaded
// with (its first line, the directory hash):
//
//   history-*  the state after the history's leaf, its leaves and next
//              number (BuildCache.h);
//   lineage-*  that strata.sum's text, so that a later run whose history
//              holds every migration it lists (a `git pull` added some)
//              can find the state and replay only what was added.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_MIGRATE_HISTORYENTRY_H
#define STRATA_LIB_MIGRATE_HISTORYENTRY_H

#include "strata/Migrate/BuildCache.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace strata::historyentry {

/// Dir's strata.sum and its first line (`h1:<hex>`), if there is one.
struct SumFile {
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  std::string Key;
};
std::optional<SumFile> readSum(llvm::StringRef Dir);

std::string historyEntryName(llvm::StringRef SumKey);
std::string lineageEntryName(llvm::StringRef SumKey);
/// How many entries of each kind are kept: a branch switch brings an older
/// history back.
constexpr size_t KeptHistories = 4;

/// The entry of H, loaded with the sum file whose SHA-256 is SumDigest:
/// the digest, the view's fingerprint and shape, then its state.
std::string encode(const HistoryView &H, llvm::StringRef SumDigest);
/// The view without its state, and where the state begins; nullopt when
/// the entry is not of this format or not for that sum file.
std::optional<std::pair<HistoryView, size_t>> decodeHead(llvm::StringRef Payload,
                                                         llvm::StringRef SumDigest);
/// Stores H, loaded with Sum (whose SHA-256 is SumDigest), as the entries
/// of Sum's key, and prunes the oldest; false when it could not.
bool writeHistoryEntry(const CacheDir &Store, const SumFile &Sum, llvm::StringRef SumDigest,
                       const HistoryView &H);
/// The state that begins where decodeHead said.
std::optional<SchemaState> readState(llvm::StringRef Bytes);

} // namespace strata::historyentry

#endif
