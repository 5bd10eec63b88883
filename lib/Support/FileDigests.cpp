//===- FileDigests.cpp ----------------------------------------------------===//
//
// The table is one cache entry, an entry per file: the path's length (u32)
// and bytes, the SHA-256 in hex (64 bytes), then size, modification and
// change times, device and inode (u64 each); integers little-endian.
// Fixed widths make reading thousands of entries a matter of copies.
//
//===----------------------------------------------------------------------===//
#include "strata/Support/FileDigests.h"
#include "strata/Support/Sha256.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <chrono>
#include <vector>

using namespace strata;
namespace endian = llvm::support::endian;

namespace {
constexpr llvm::StringLiteral EntryName = "digests";
constexpr llvm::StringLiteral EntryKey = "file digests 2";
constexpr size_t HexLength = 64;

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void putU64(std::string &Out, uint64_t V) {
  char Buf[8];
  endian::write64le(Buf, V);
  Out.append(Buf, 8);
}
} // namespace

FileDigests::FileDigests(const CacheDir &Cache) : Cache(Cache), OpenedNs(nowNs()) {
  llvm::SmallString<256> Dir;
  if (!llvm::sys::fs::current_path(Dir))
    WorkingDir = Dir.str().str();
  std::optional<CacheEntry> E = Cache.load(EntryName, EntryKey);
  if (!E)
    return;
  llvm::StringRef Data = E->Payload;
  while (!Data.empty()) {
    if (Data.size() < 4)
      break;
    uint32_t PathLength = endian::read32le(Data.data());
    if (Data.size() - 4 < uint64_t(PathLength) + HexLength + 5 * 8)
      break;
    llvm::StringRef Path = Data.substr(4, PathLength);
    const char *P = Data.data() + 4 + PathLength;
    Entry En;
    En.Digest = std::string(P, HexLength);
    P += HexLength;
    En.Stat.Size = endian::read64le(P);
    En.Stat.ModifiedNs = int64_t(endian::read64le(P + 8));
    En.Stat.ChangedNs = int64_t(endian::read64le(P + 16));
    En.Stat.Device = endian::read64le(P + 24);
    En.Stat.Inode = endian::read64le(P + 32);
    Table[Path] = std::move(En);
    Data = Data.drop_front(4 + PathLength + HexLength + 5 * 8);
  }
  if (!Data.empty())
    Table.clear(); // damaged: trust nothing in it
}

std::optional<FileStatus> FileDigests::statusOf(llvm::StringRef Path) {
  auto It = Seen.find(Path);
  if (It != Seen.end())
    return It->second;
  return statFile(Path);
}

void FileDigests::useStatuses(FileStatuses Statuses) { Seen = std::move(Statuses); }

std::string FileDigests::keyOf(llvm::StringRef Path) const {
  if (llvm::sys::path::is_absolute(Path) || WorkingDir.empty())
    return Path.str();
  llvm::SmallString<256> Abs(WorkingDir);
  llvm::sys::path::append(Abs, Path);
  return Abs.str().str();
}

const std::string *FileDigests::lookup(llvm::StringRef Path, const FileStatus &St) const {
  auto It = Table.find(keyOf(Path));
  if (It == Table.end() || !(It->second.Stat == St))
    return nullptr;
  return &It->second.Digest;
}

void FileDigests::record(llvm::StringRef Path, const FileStatus &St, llvm::StringRef Digest) {
  // Every change to a file moves its ctime. A file last changed a second
  // before this table was opened, and statting the same now, held the
  // bytes a caller read since; anything newer may have changed under us.
  constexpr int64_t Second = 1000000000;
  int64_t Newest = St.newestNs();
  std::string Key = keyOf(Path);
  if (OpenedNs - Newest < Second) {
    // Racily clean: forget any older entry rather than keep a stale one.
    Changed |= Table.erase(Key);
    return;
  }
  Entry &E = Table[Key];
  if (E.Stat == St && E.Digest == Digest)
    return;
  E.Stat = St;
  E.Digest = Digest.str();
  Changed = true;
}

std::optional<std::string> FileDigests::digest(llvm::StringRef Path) {
  std::optional<FileStatus> St = statusOf(Path);
  if (!St)
    return std::nullopt;
  if (const std::string *D = lookup(Path, *St)) {
    ++Reused;
    return *D;
  }
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  std::optional<FileStatus> After = statFile(Path);
  std::string D = sha256Hex((*Buffer)->getBuffer());
  ++Hashed;
  // Remember it only when the file did not change while it was read.
  if (After && *After == *St)
    record(Path, *St, D);
  return D;
}

std::optional<std::string> FileDigests::digest(llvm::StringRef Path, llvm::StringRef Bytes) {
  // Bytes were read just now, so the file is statted now too: a status
  // taken earlier in the run (useStatuses) is stale for a file the run has
  // rewritten since (strata.sum after makemigrations writes a migration),
  // and would pair the new bytes with the old file's remembered hash.
  std::optional<FileStatus> St = statFile(Path);
  if (St)
    if (const std::string *D = lookup(Path, *St)) {
      ++Reused;
      return *D;
    }
  std::string D = sha256Hex(Bytes);
  ++Hashed;
  if (St)
    record(Path, *St, D);
  return D;
}

void FileDigests::remember(llvm::StringRef Path, llvm::StringRef Digest) {
  if (std::optional<FileStatus> St = statFile(Path))
    record(Path, *St, Digest);
}

void FileDigests::remember(llvm::StringRef Path, llvm::StringRef Digest, const FileStatus &St) {
  record(Path, St, Digest);
}

void FileDigests::save() {
  if (!Changed)
    return;
  std::vector<const llvm::StringMapEntry<Entry> *> Sorted;
  for (const auto &E : Table)
    Sorted.push_back(&E);
  std::sort(Sorted.begin(), Sorted.end(),
            [](const auto *A, const auto *B) { return A->getKey() < B->getKey(); });
  std::string Out;
  for (const auto *E : Sorted) {
    const Entry &En = E->getValue();
    if (En.Digest.size() != HexLength)
      continue;
    char Length[4];
    endian::write32le(Length, uint32_t(E->getKey().size()));
    Out.append(Length, 4);
    Out += E->getKey();
    Out += En.Digest;
    putU64(Out, En.Stat.Size);
    putU64(Out, uint64_t(En.Stat.ModifiedNs));
    putU64(Out, uint64_t(En.Stat.ChangedNs));
    putU64(Out, En.Stat.Device);
    putU64(Out, En.Stat.Inode);
  }
  if (Cache.store(EntryName, EntryKey, Out))
    Changed = false;
}
