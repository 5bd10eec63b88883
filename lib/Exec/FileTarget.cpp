//===- FileTarget.cpp - The embedded engine in a state file ---------------===//
//
// Everything runs in memory; commit() makes the changes durable, as a
// record in the state file's journal or a new state file (StateFile.h).
// The executor commits once per fully applied (or fully compensated)
// migration, so a process killed mid-migration leaves the files as they
// were before that migration: on a file: target a migration is all or
// nothing.
//
//===----------------------------------------------------------------------===//
#include "FileTarget.h"
#include "ExecError.h"
#include "StateFileLock.h"
#include "strata/Engine/Engine.h"
#include "strata/Engine/StateFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;

namespace {
class FileTarget final : public Target {
public:
  FileTarget(TargetUrl Url, engine::Engine E, engine::StateFile File)
      : Url(std::move(Url)), TheEngine(std::move(E)), File(std::move(File)) {
    startSession();
  }
  ~FileTarget() override { unlock(); }

  std::string describe() const override { return Url.Display; }

  llvm::Expected<Reply> execute(llvm::StringRef Program) override {
    Dirty = true;
    return TheSession->execute(Program);
  }

  llvm::Error commit() override {
    if (!Dirty)
      return llvm::Error::success();
    if (llvm::Error E = makeParentDirectory())
      return E;
    if (llvm::Error E = File.commit(TheEngine))
      return E;
    Dirty = false;
    return llvm::Error::success();
  }

  bool discardUncommitted() override {
    engine::Engine Saved;
    llvm::Expected<engine::StateFile> F = engine::StateFile::open(Url.Path, Saved);
    if (!F) {
      llvm::consumeError(F.takeError());
      return false;
    }
    TheEngine = std::move(Saved);
    File = std::move(*F);
    startSession();
    Dirty = false;
    return true;
  }

  llvm::Error lock(llvm::StringRef Holder, const LockOptions &LO) override;
  void unlock() override;
  const engine::Session *inProcessSession() const override { return TheSession.get(); }

private:
  llvm::Error reloadIfChanged();
  void startSession() {
    TheSession = std::make_unique<engine::Session>(
        TheEngine, Url.Graph.empty() ? llvm::StringRef("default") : llvm::StringRef(Url.Graph));
  }
  llvm::Error makeParentDirectory() const {
    llvm::StringRef Dir = llvm::sys::path::parent_path(Url.Path);
    if (Dir.empty())
      return llvm::Error::success();
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return execError(
          fmt::format("cannot create `{}` for the state file: {}", Dir.str(), EC.message()));
    return llvm::Error::success();
  }

  TargetUrl Url;
  engine::Engine TheEngine;
  /// The state file and journal as loaded or last written.
  engine::StateFile File;
  std::unique_ptr<engine::Session> TheSession;
  bool Dirty = false;
  StateFileLock Lock;
};

llvm::Error FileTarget::lock(llvm::StringRef Holder, const LockOptions &LO) {
  if (Lock.held())
    return llvm::Error::success();
  llvm::Expected<StateFileLock> L = StateFileLock::acquire(Url.Path, Holder, Url.Display);
  if (!L) {
    // The kernel drops an OS lock when its process exits, however it
    // exits: a lock that is held has a live holder, never broken.
    if (LO.Break)
      return execError(llvm::toString(L.takeError()) +
                       "; --break-lock does not break it: an OS lock is held only by a live "
                       "process");
    return L.takeError();
  }
  Lock = std::move(*L);
  return reloadIfChanged();
}

llvm::Error FileTarget::reloadIfChanged() {
  // The state was read when the target was opened, before the lock: a
  // process that wrote the file in between must not be undone by this
  // one's commit.
  llvm::Expected<std::string> Now = engine::StateFile::readVersion(Url.Path);
  if (!Now)
    return Now.takeError();
  if (*Now == File.version())
    return llvm::Error::success();
  if (Dirty)
    return execError(fmt::format("the state file `{}` was changed by another process while "
                                 "this one was running; nothing of this run was written",
                                 Url.Path));
  engine::Engine Fresh;
  llvm::Expected<engine::StateFile> F = engine::StateFile::open(Url.Path, Fresh);
  if (!F)
    return F.takeError();
  TheEngine = std::move(Fresh);
  File = std::move(*F);
  startSession();
  return llvm::Error::success();
}

void FileTarget::unlock() { Lock.release(); }
} // namespace

llvm::Expected<std::unique_ptr<Target>> exec::openFileTarget(const TargetUrl &Given) {
  // A link is followed once, here: the lock, reads and writes all use the
  // file it leads to.
  llvm::Expected<std::string> Path = engine::resolveStatePath(Given.Path);
  if (!Path)
    return Path.takeError();
  TargetUrl Url = Given;
  Url.Path = *Path;
  engine::Engine E;
  llvm::Expected<engine::StateFile> F = engine::StateFile::open(Url.Path, E);
  if (!F)
    return execError(fmt::format("{}\n  the target's state file is unusable; restore it from a "
                                 "backup, or move it away to start from an empty knowledge graph "
                                 "(all facts in it are then lost)",
                                 llvm::toString(F.takeError())));
  return std::make_unique<FileTarget>(Url, std::move(E), std::move(*F));
}
