//===- FileDigests.cpp ----------------------------------------------------===//
//
// The table is one cache entry, a line per file:
//   <digest> <size> <mtime ns> <ctime ns> <device> <inode> <path>
// with the path last so it may hold spaces.
//
//===----------------------------------------------------------------------===//
#include "strata/Support/FileDigests.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <vector>

using namespace strata;

namespace {
constexpr llvm::StringLiteral EntryName = "digests";
constexpr llvm::StringLiteral EntryKey = "file digests 1";

std::string sha256Hex(llvm::StringRef Bytes) {
  llvm::SHA256 H;
  H.update(Bytes);
  return llvm::toHex(H.final(), /*LowerCase=*/true);
}

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
} // namespace

FileDigests::FileDigests(const CacheDir &Cache) : Cache(Cache), OpenedNs(nowNs()) {
  llvm::SmallString<256> Dir;
  if (!llvm::sys::fs::current_path(Dir))
    WorkingDir = Dir.str().str();
  std::optional<CacheEntry> E = Cache.load(EntryName, EntryKey);
  if (!E)
    return;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  E->Payload.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Line : Lines) {
    llvm::SmallVector<llvm::StringRef, 7> Fields;
    Line.split(Fields, ' ', /*MaxSplit=*/6);
    Entry En;
    if (Fields.size() != 7 || Fields[0].size() != 64 ||
        Fields[1].getAsInteger(10, En.Stat.Size) ||
        Fields[2].getAsInteger(10, En.Stat.ModifiedNs) ||
        Fields[3].getAsInteger(10, En.Stat.ChangedNs) ||
        Fields[4].getAsInteger(10, En.Stat.Device) || Fields[5].getAsInteger(10, En.Stat.Inode)) {
      Table.clear(); // damaged: trust nothing in it
      return;
    }
    En.Digest = Fields[0].str();
    Table[Fields[6]] = std::move(En);
  }
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
  if (llvm::StringRef(Key).contains('\n'))
    return;
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
  std::optional<FileStatus> St = statusOf(Path);
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

void FileDigests::save() {
  if (!Changed)
    return;
  std::vector<const llvm::StringMapEntry<Entry> *> Sorted;
  for (const auto &E : Table)
    Sorted.push_back(&E);
  std::sort(Sorted.begin(), Sorted.end(),
            [](const auto *A, const auto *B) { return A->getKey() < B->getKey(); });
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  for (const auto *E : Sorted) {
    const Entry &En = E->getValue();
    OS << En.Digest << ' ' << En.Stat.Size << ' ' << En.Stat.ModifiedNs << ' '
       << En.Stat.ChangedNs << ' ' << En.Stat.Device << ' ' << En.Stat.Inode << ' '
       << E->getKey() << '\n';
  }
  if (Cache.store(EntryName, EntryKey, OS.str()))
    Changed = false;
}
