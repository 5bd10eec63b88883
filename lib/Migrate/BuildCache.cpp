//===- BuildCache.cpp - The cache object and its report -------------------===//
#include "strata/Migrate/BuildCache.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

using namespace strata;

namespace {
std::string cachePath(llvm::StringRef ProjectRoot) {
  llvm::SmallString<256> Path(ProjectRoot);
  llvm::sys::path::append(Path, ".strata", "cache");
  return Path.str().str();
}
} // namespace

BuildCache::BuildCache(llvm::StringRef ProjectRoot, bool Enabled, FileStatuses Seen)
    : Enabled(Enabled), Store(cachePath(ProjectRoot)) {
  Report.Enabled = Enabled;
  if (Enabled) {
    Digests = std::make_unique<FileDigests>(Store);
    Digests->useStatuses(std::move(Seen));
  }
}

BuildCache::~BuildCache() {
  if (Prefetch.joinable())
    Prefetch.join();
  if (HistoryThread.joinable())
    HistoryThread.join();
}

void BuildCache::save() {
  // Nothing may run on another thread once the program begins to exit.
  if (Prefetch.joinable())
    Prefetch.join();
  finishHistoryStore();
  if (Digests)
    Digests->save();
}

const CacheReport &BuildCache::report() const {
  if (Digests) {
    Report.DigestsReused = Digests->reused();
    Report.DigestsComputed = Digests->hashed();
  }
  return Report;
}

void CacheReport::print(llvm::raw_ostream &OS) const {
  if (!Enabled) {
    OS << "cache: disabled\n";
    return;
  }
  OS << "cache: history: " << History;
  if (Migrations)
    OS << " (" << Migrations << " migration files; hashes: " << DigestsReused << " remembered, "
       << DigestsComputed << " computed)";
  OS << "\ncache: schema: " << Schema << " (" << SchemaFiles << " files";
  if (FilesUnchanged + FilesReparsed + FilesParsed)
    OS << ": " << FilesUnchanged << " unchanged, " << FilesReparsed << " reparsed in part, "
       << FilesParsed << " parsed whole";
  OS << ")\n";
  if (FilesReparsed)
    OS << "cache: items of the files reparsed in part: " << ItemsReused << " reused, "
       << ItemsParsed << " parsed\n";
}
