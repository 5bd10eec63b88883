//===- StateFileCommit.cpp - Loading and committing a state and its journal ===//
//
// StateFile.h says what the two files are. This file decides, per commit,
// between appending a journal record and writing the snapshot whole, and
// keeps the order of writes that makes every crash recoverable:
//  - a new journal is written complete to a temporary and renamed into
//    place, so its header is never torn;
//  - a record is written in one piece after the last valid one (cutting
//    off a torn tail first) and fsync'ed before the commit returns;
//  - compaction renames the new snapshot into place first, then removes
//    the journal. A crash in between leaves a journal that names the old
//    snapshot: it is stale, ignored when read and replaced by the next
//    append, and the new snapshot already holds its records.
//
//===----------------------------------------------------------------------===//
#include "StateFileIO.h"
#include "strata/Engine/StateFile.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata::engine;
using namespace strata::engine::io;
using llvm::StringRef;

JournalPolicy &strata::engine::journalPolicy() {
  static JournalPolicy Policy;
  return Policy;
}

StateFile::StateFile(StateFile &&Other) noexcept { *this = std::move(Other); }

StateFile &StateFile::operator=(StateFile &&Other) noexcept {
  if (this == &Other)
    return *this;
  closeJournal();
  Path = std::move(Other.Path);
  JournalPath = std::move(Other.JournalPath);
  SnapshotDigest = std::move(Other.SnapshotDigest);
  SnapshotBytes = Other.SnapshotBytes;
  JournalCurrent = Other.JournalCurrent;
  Nonce = std::move(Other.Nonce);
  JournalBytes = Other.JournalBytes;
  Records = Other.Records;
  TornBytes = Other.TornBytes;
  NeedsWholeWrite = Other.NeedsWholeWrite;
  Fd = Other.Fd;
  Other.Fd = -1;
  Version = std::move(Other.Version);
  return *this;
}

StateFile::~StateFile() { closeJournal(); }

void StateFile::closeJournal() {
  if (Fd >= 0)
    ::close(Fd);
  Fd = -1;
}

/// The version names the snapshot and the journal file by content: the
/// body digest, and the journal's nonce and length (a journal only grows
/// until it is replaced, with a new nonce).
void StateFile::setVersion(bool JournalExists) {
  Version = SnapshotDigest + " " +
            (JournalExists ? Nonce + " " + std::to_string(JournalBytes + TornBytes) : "-");
}

/// Reads the journal beside a state file: its text, or "" with Missing.
static llvm::Expected<std::string> readJournalFile(const std::string &JournalPath, bool &Missing) {
  if (llvm::Error E = checkNotLinkOrSpecial(JournalPath, "journal"))
    return E;
  return readRegularFile(JournalPath, MaxStateFileBytes, Missing, "journal");
}

llvm::Expected<StateFile> StateFile::open(StringRef Given, Engine &E) {
  llvm::Expected<std::string> Resolved = resolveStatePath(Given);
  if (!Resolved)
    return Resolved.takeError();
  StateFile F;
  F.Path = *Resolved;
  F.JournalPath = F.Path + ".journal";
  bool Missing = false;
  llvm::Expected<std::string> Text =
      readRegularFile(F.Path, MaxStateFileBytes, Missing, "state file");
  if (!Text)
    return Text.takeError();
  if (Missing) {
    E = Engine();
  } else {
    llvm::Expected<Engine> Read = parseStateFile(*Text, Given, &F.SnapshotDigest);
    if (!Read)
      return Read.takeError();
    E = std::move(*Read);
    F.SnapshotBytes = Text->size();
  }
  bool NoJournal = false;
  llvm::Expected<std::string> Journal = readJournalFile(F.JournalPath, NoJournal);
  if (!Journal)
    return Journal.takeError();
  if (!NoJournal) {
    llvm::Expected<JournalText> J = parseJournal(*Journal, F.JournalPath, F.SnapshotDigest);
    if (!J)
      return J.takeError();
    for (size_t I = 0; I < J->Records.size(); ++I)
      if (llvm::Error Err = E.applyChanges(J->Records[I]))
        return failure("journal `" + F.JournalPath + "`: record " + std::to_string(I + 1) +
                       " cannot be applied: " + llvm::toString(std::move(Err)) +
                       "; nothing was written");
    F.JournalCurrent = J->Current;
    F.Nonce = J->Nonce;
    F.Records = J->Records.size();
    // A stale journal's length is only used to name it in the version.
    F.JournalBytes = J->Current ? J->ValidBytes : Journal->size();
    F.TornBytes = J->Current ? J->TornBytes : 0;
  }
  F.setVersion(!NoJournal);
  E.recordChanges();
  return F;
}

llvm::Expected<std::string> StateFile::readVersion(StringRef Given) {
  llvm::Expected<std::string> Resolved = resolveStatePath(Given);
  if (!Resolved)
    return Resolved.takeError();
  llvm::Expected<std::string> Digest = readStateDigest(*Resolved);
  if (!Digest)
    return Digest.takeError();
  std::string JournalPath = *Resolved + ".journal";
  if (llvm::Error E = checkNotLinkOrSpecial(JournalPath, "journal"))
    return E;
  bool Missing = false;
  // The header is far shorter than this; only the header is read.
  llvm::Expected<std::string> Start = readRegularFile(JournalPath, 512, Missing, "journal");
  if (!Start)
    return Start.takeError();
  if (Missing)
    return *Digest + " -";
  size_t NonceAt = Start->find("\nnonce ");
  size_t NonceEnd = NonceAt == std::string::npos ? NonceAt : Start->find('\n', NonceAt + 1);
  struct stat St;
  if (NonceEnd == std::string::npos || ::stat(JournalPath.c_str(), &St) != 0)
    return failure("journal `" + JournalPath + "`: its header is damaged");
  return *Digest + " " + Start->substr(NonceAt + 7, NonceEnd - NonceAt - 7) + " " +
         std::to_string(St.st_size);
}

llvm::Error StateFile::commit(Engine &E) {
  bool Everything = false;
  std::string Record = E.takeChanges(&Everything);
  if (Record.empty() && !Everything && !NeedsWholeWrite)
    return llvm::Error::success();
  const JournalPolicy &P = journalPolicy();
  uint64_t After = (JournalCurrent ? JournalBytes : 200) + Record.size() + 100;
  if (NeedsWholeWrite || Everything || SnapshotBytes < P.SmallStateBytes ||
      After > SnapshotBytes / 100 * P.CompactPercent ||
      Record.size() > SnapshotBytes / 100 * P.RecordPercent)
    return writeWhole(E);
  if (llvm::Error Err = append(Record)) {
    // E is ahead of the files and its changes are taken: only a whole
    // write can catch up now.
    NeedsWholeWrite = true;
    return Err;
  }
  return llvm::Error::success();
}

llvm::Error StateFile::compact(Engine &E) {
  bool Everything = false;
  std::string Record = E.takeChanges(&Everything);
  if (Record.empty() && !Everything && Records == 0 && !NeedsWholeWrite)
    return llvm::Error::success();
  return writeWhole(E);
}

llvm::Error StateFile::writeWhole(Engine &E) {
  closeJournal();
  std::string Body = E.serialize();
  std::string Digest = sha256Hex(Body);
  std::string Text = snapshotText(Body, Digest);
  if (llvm::Error Err = replaceFile(Path, Text)) {
    NeedsWholeWrite = true;
    return Err;
  }
  SnapshotDigest = std::move(Digest);
  SnapshotBytes = Text.size();
  NeedsWholeWrite = false;
  JournalCurrent = false;
  Records = JournalBytes = TornBytes = 0;
  // The snapshot holds everything now; a journal left behind would be
  // stale (it names the old snapshot), so failing to remove it is harmless.
  bool Gone = ::unlink(JournalPath.c_str()) == 0 || errno == ENOENT;
  if (Gone)
    syncDirectoryOf(JournalPath);
  setVersion(false);
  if (!Gone)
    Version += " ?"; // matches no version read from the files
  return llvm::Error::success();
}

llvm::Error StateFile::startJournal() {
  closeJournal();
  std::random_device Random;
  char Hex[17];
  std::snprintf(Hex, sizeof(Hex), "%08x%08x", unsigned(Random()), unsigned(Random()));
  std::string NewNonce = Hex;
  std::string Header = journalText(SnapshotDigest, NewNonce, {});
  if (llvm::Error Err = replaceFile(JournalPath, Header))
    return Err;
  Nonce = std::move(NewNonce);
  JournalCurrent = true;
  JournalBytes = Header.size();
  Records = TornBytes = 0;
  return llvm::Error::success();
}

llvm::Error StateFile::openForAppend() {
  if (llvm::Error E = checkNotLinkOrSpecial(JournalPath, "journal"))
    return E;
  int NewFd = ::open(JournalPath.c_str(), O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  struct stat St;
  if (NewFd < 0 || ::fstat(NewFd, &St) != 0 || !S_ISREG(St.st_mode)) {
    std::string Why = std::strerror(errno);
    if (NewFd >= 0)
      ::close(NewFd);
    return failure("cannot open the journal `" + JournalPath + "` to append to it: " + Why);
  }
  if (uint64_t(St.st_size) < JournalBytes) {
    ::close(NewFd);
    return failure("the journal `" + JournalPath + "` is shorter than when it was read");
  }
  // A record torn by a crash is cut off, or the next one would follow it.
  if (uint64_t(St.st_size) > JournalBytes && ::ftruncate(NewFd, off_t(JournalBytes)) != 0) {
    std::string Why = std::strerror(errno);
    ::close(NewFd);
    return failure("cannot cut the torn end off the journal `" + JournalPath + "`: " + Why);
  }
  TornBytes = 0;
  Fd = NewFd;
  return llvm::Error::success();
}

llvm::Error StateFile::append(StringRef Record) {
  if (!JournalCurrent)
    if (llvm::Error E = startJournal())
      return E;
  if (Fd < 0)
    if (llvm::Error E = openForAppend())
      return E;
  std::string Framed = "record " + std::to_string(Records + 1) + " " +
                       std::to_string(Record.size()) + " " + sha256Hex(Record) + "\n" +
                       Record.str();
  llvm::Error W = writeAllAt(Fd, Framed, JournalBytes, JournalPath);
  if (!W && ::fdatasync(Fd) != 0)
    W = failure("cannot flush the journal `" + JournalPath + "` to disk: " + std::strerror(errno));
  if (W) {
    // Best effort: a partial record at the end would be read as torn anyway.
    (void)!::ftruncate(Fd, off_t(JournalBytes));
    closeJournal();
    return W;
  }
  JournalBytes += Framed.size();
  ++Records;
  setVersion(true);
  return llvm::Error::success();
}

llvm::Expected<Engine> strata::engine::loadStateFile(StringRef Path, std::string *Digest) {
  Engine E;
  llvm::Expected<StateFile> F = StateFile::open(Path, E);
  if (!F)
    return F.takeError();
  if (Digest)
    *Digest = F->version().substr(0, F->version().find(' '));
  return E;
}

llvm::Error strata::engine::saveStateFile(const Engine &E, StringRef Path) {
  llvm::Expected<std::string> Resolved = resolveStatePath(Path);
  if (!Resolved)
    return Resolved.takeError();
  std::string Body = E.serialize();
  if (llvm::Error Err = replaceFile(*Resolved, snapshotText(Body, sha256Hex(Body))))
    return Err;
  if (::unlink((*Resolved + ".journal").c_str()) == 0)
    syncDirectoryOf(*Resolved);
  return llvm::Error::success();
}
