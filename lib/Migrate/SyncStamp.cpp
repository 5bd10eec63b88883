//===- SyncStamp.cpp ------------------------------------------------------===//
#include "strata/Migrate/SyncStamp.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <chrono>
#include <vector>

using namespace strata;
namespace fs = llvm::sys::fs;

namespace {
constexpr llvm::StringLiteral StampVersion = "strata-sync 2";

/// Appends one `path size mtime ctime device inode` line and records the
/// status in Seen; false when Path cannot be examined or is racily clean.
bool describe(llvm::StringRef Path, llvm::raw_ostream &OS, FileStatuses *Seen) {
  std::optional<FileStatus> St = statFile(Path);
  if (!St)
    return false;
  int64_t Now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  if (Now - St->ModifiedNs < 1000000000)
    return false;
  OS << Path << ' ' << St->Size << ' ' << St->ModifiedNs << ' ' << St->ChangedNs << ' '
     << St->Device << ' ' << St->Inode << '\n';
  if (Seen)
    (*Seen)[Path] = *St;
  return true;
}

/// Files under Dir (recursively when Recursive), sorted; Suffix filters
/// unless empty. False on a directory error; a missing directory is empty.
bool listFiles(llvm::StringRef Dir, llvm::StringRef Suffix, bool Recursive,
               std::vector<std::string> &Out) {
  if (!fs::exists(Dir))
    return true;
  std::error_code EC;
  auto Take = [&](const fs::directory_entry &E) {
    if (E.type() != fs::file_type::directory_file &&
        (Suffix.empty() || llvm::StringRef(E.path()).endswith(Suffix)))
      Out.push_back(E.path());
  };
  if (Recursive) {
    for (fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
      Take(*It);
  } else {
    for (fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
      Take(*It);
  }
  std::sort(Out.begin(), Out.end());
  return !EC;
}
} // namespace

std::optional<std::string> strata::syncFingerprint(llvm::StringRef SchemaDir,
                                                   llvm::StringRef MigrationsDir,
                                                   FileStatuses *Seen) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << StampVersion << '\n'
     << "schema " << SchemaDir << '\n'
     << "migrations " << MigrationsDir << '\n';
  std::string Self = fs::getMainExecutable(nullptr, nullptr);
  std::vector<std::string> Files;
  if (Self.empty() || !describe(Self, OS, nullptr) ||
      !listFiles(SchemaDir, ".strata", /*Recursive=*/true, Files) ||
      !listFiles(MigrationsDir, "", /*Recursive=*/false, Files))
    return std::nullopt;
  for (const std::string &F : Files)
    if (!describe(F, OS, Seen))
      return std::nullopt;
  return OS.str();
}

bool strata::syncStampMatches(llvm::StringRef StampPath, llvm::StringRef Fingerprint) {
  auto Stamp = llvm::MemoryBuffer::getFile(StampPath);
  return Stamp && (*Stamp)->getBuffer() == Fingerprint;
}

void strata::writeSyncStamp(llvm::StringRef StampPath, llvm::StringRef Fingerprint) {
  fs::create_directories(llvm::sys::path::parent_path(StampPath));
  std::string Temp = (StampPath + ".tmp").str();
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Temp, EC);
    if (EC)
      return;
    OS << Fingerprint;
    if (OS.has_error()) {
      OS.clear_error();
      fs::remove(Temp);
      return;
    }
  }
  if (fs::rename(Temp, StampPath))
    fs::remove(Temp);
}
