//===- CacheDir.cpp - Cache entries: header, checks, atomic writes --------===//
//
// An entry file:
//   "STRATA-CACHE-1\n"
//   u64 length + bytes   the executable identity
//   u64 length + bytes   the key
//   u64                  payload length
//   u64                  xxHash64 of the payload
//   payload
// Integers are little-endian.
//
//===----------------------------------------------------------------------===//
#include "strata/Support/CacheDir.h"
#include "strata/Support/Sha256.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>
#include <ctime>
#include <sys/stat.h>
#include <vector>

using namespace strata;
namespace fs = llvm::sys::fs;

namespace {
constexpr llvm::StringLiteral Magic = "STRATA-CACHE-1\n";

void putU64(std::string &Out, uint64_t V) {
  for (int I = 0; I < 8; ++I)
    Out += char((V >> (8 * I)) & 0xff);
}

/// Reads a u64 at Pos, advancing it; false when the data is too short.
bool getU64(llvm::StringRef Data, size_t &Pos, uint64_t &V) {
  if (Data.size() - Pos < 8)
    return false;
  V = 0;
  for (int I = 0; I < 8; ++I)
    V |= uint64_t(uint8_t(Data[Pos + I])) << (8 * I);
  Pos += 8;
  return true;
}

bool getString(llvm::StringRef Data, size_t &Pos, llvm::StringRef &S) {
  uint64_t Len;
  if (!getU64(Data, Pos, Len) || Data.size() - Pos < Len)
    return false;
  S = Data.substr(Pos, Len);
  Pos += Len;
  return true;
}
} // namespace

std::string strata::shortHash(llvm::StringRef Text) {
  return llvm::toHex(llvm::ArrayRef<uint8_t>(sha256(Text)).take_front(8), /*LowerCase=*/true);
}

const std::string &CacheDir::executableIdentity() {
  static const std::string Identity = [] {
    std::string Self = fs::getMainExecutable(nullptr, nullptr);
    struct stat St;
    if (Self.empty() || ::stat(Self.c_str(), &St) != 0)
      return std::string("unknown executable");
    return Self + " " + std::to_string(St.st_size) + " " + std::to_string(St.st_mtim.tv_sec) + "." +
           std::to_string(St.st_mtim.tv_nsec) + " " + std::to_string(St.st_ino);
  }();
  return Identity;
}

std::string CacheDir::entryPath(llvm::StringRef Name) const {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Name);
  return Path.str().str();
}

std::optional<CacheEntry> CacheDir::load(llvm::StringRef Name, llvm::StringRef Key) const {
  std::string Stored;
  std::optional<CacheEntry> E = loadAnyKey(Name, Stored);
  if (!E || Stored != Key)
    return std::nullopt;
  return E;
}

std::optional<CacheEntry> CacheDir::loadAnyKey(llvm::StringRef Name, std::string &Key) const {
  auto Buffer = llvm::MemoryBuffer::getFile(entryPath(Name), /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  llvm::StringRef Data = (*Buffer)->getBuffer();
  if (!Data.startswith(Magic))
    return std::nullopt;
  size_t Pos = Magic.size();
  llvm::StringRef Identity, StoredKey;
  uint64_t Length, Hash;
  if (!getString(Data, Pos, Identity) || Identity != executableIdentity() ||
      !getString(Data, Pos, StoredKey) || !getU64(Data, Pos, Length) || !getU64(Data, Pos, Hash) ||
      Data.size() - Pos != Length)
    return std::nullopt;
  llvm::StringRef Payload = Data.substr(Pos);
  if (llvm::xxHash64(Payload) != Hash)
    return std::nullopt;
  Key = StoredKey.str();
  return CacheEntry{std::move(*Buffer), Payload};
}

bool CacheDir::store(llvm::StringRef Name, llvm::StringRef Key, llvm::StringRef Payload) const {
  if (fs::create_directories(Dir))
    return false;
  std::string Header(Magic);
  putU64(Header, executableIdentity().size());
  Header += executableIdentity();
  putU64(Header, Key.size());
  Header += Key;
  putU64(Header, Payload.size());
  putU64(Header, llvm::xxHash64(Payload));

  // A unique temporary name: two processes may store the same entry.
  llvm::SmallString<256> Temp;
  int FD;
  if (fs::createUniqueFile(entryPath(Name) + ".tmp-%%%%%%%%", FD, Temp))
    return false;
  bool Ok;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Header << Payload;
    OS.close();
    Ok = !OS.has_error();
    OS.clear_error();
  }
  if (Ok && !fs::rename(Temp, entryPath(Name)))
    return true;
  fs::remove(Temp);
  return false;
}

std::vector<CacheDir::Found> CacheDir::entries(llvm::StringRef Prefix) const {
  std::vector<Found> Entries;
  std::error_code EC;
  for (fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    struct stat St;
    if (!Name.startswith(Prefix) || ::stat(It->path().c_str(), &St) != 0)
      continue;
    if (Name.contains(".tmp-")) {
      // Left by a process that died while storing: gone after an hour.
      if (time(nullptr) - St.st_mtim.tv_sec > 3600)
        fs::remove(It->path());
      continue;
    }
    Entries.push_back({It->path(), int64_t(St.st_mtim.tv_sec) * 1000000000 + St.st_mtim.tv_nsec});
  }
  std::sort(Entries.begin(), Entries.end(), [](const Found &A, const Found &B) {
    return A.Time != B.Time ? A.Time > B.Time : A.Path < B.Path;
  });
  return Entries;
}

std::vector<std::string> CacheDir::entryNames(llvm::StringRef Prefix) const {
  std::vector<std::string> Names;
  for (const Found &F : entries(Prefix))
    Names.push_back(llvm::sys::path::filename(F.Path).str());
  return Names;
}

void CacheDir::prune(llvm::StringRef Prefix, size_t Keep) const {
  std::vector<Found> Entries = entries(Prefix);
  for (size_t I = Keep; I < Entries.size(); ++I)
    fs::remove(Entries[I].Path);
}
