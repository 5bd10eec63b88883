//===- MigrationFileFeed.cpp - Migration files handed between threads -----===//
//
// A cold makemigrations run reads the history's files on its main thread
// (into the SourceMgr its diagnostics are rendered with) while another
// thread parses them: each file is handed over as soon as it is read, so
// the parse starts with the first file instead of after the last.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/MigrationGraph.h"

using namespace strata;

void MigrationFileFeed::add(llvm::StringRef Path, llvm::MemoryBufferRef Bytes,
                            std::optional<FileStatus> Status) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Files[Path] = File{Bytes, Status};
  }
  Added.notify_all();
}

void MigrationFileFeed::close(bool HasFailed) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Closed = true;
    Failed = HasFailed;
  }
  Added.notify_all();
}

std::optional<llvm::MemoryBufferRef> MigrationFileFeed::take(llvm::StringRef Path) const {
  std::unique_lock<std::mutex> Guard(Lock);
  for (;;) {
    if (Failed)
      return std::nullopt;
    if (auto It = Files.find(Path); It != Files.end())
      return It->second.Bytes;
    if (Closed)
      return std::nullopt;
    Added.wait(Guard);
  }
}

bool MigrationFileFeed::failed() const {
  std::lock_guard<std::mutex> Guard(Lock);
  return Failed;
}

std::optional<FileStatus> MigrationFileFeed::statusOf(llvm::StringRef Path) const {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Files.find(Path);
  return It == Files.end() ? std::nullopt : It->second.Status;
}
