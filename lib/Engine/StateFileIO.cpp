//===- StateFileIO.cpp - Reading and writing a state file safely -----------===//
//
// The file puts a header in front of the body that StateFile.cpp writes:
//
//   STRATA-ENGINE-STATE <version>
//   length <bytes of body>
//   sha256 <hex digest of body>
//   <empty line>
//   <body>
//
// so that a torn write (short body), an edit or bit rot (digest mismatch)
// and a future format (version) are all reported, never read as a reset.
//
// The path is distrusted: a symbolic link is followed once and must lead
// to a regular file (a dangling link is an error, not an empty graph);
// FIFOs, devices and directories are refused before anything is read
// (a FIFO would hang the command, /dev/zero exhaust memory); files are
// opened without following links, and the new state is written to a
// fresh O_EXCL temporary beside the file, so a planted `.tmp` link
// cannot redirect the write.
//
//===----------------------------------------------------------------------===//
#include "StateFileIO.h"
#include "strata/Engine/StateFile.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata::engine;
using namespace strata::engine::io;
using llvm::StringRef;

static const char Magic[] = "STRATA-ENGINE-STATE";
static const unsigned FormatVersion = 1;

llvm::Error io::failure(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static std::string digest(StringRef Body) { return sha256Hex(Body); }

static const char *fileKind(mode_t Mode) {
  if (S_ISFIFO(Mode))
    return "a FIFO";
  if (S_ISCHR(Mode) || S_ISBLK(Mode))
    return "a device";
  if (S_ISDIR(Mode))
    return "a directory";
  if (S_ISSOCK(Mode))
    return "a socket";
  return "not a regular file";
}

llvm::Expected<std::string> strata::engine::resolveStatePath(StringRef Path) {
  std::string P = Path.str();
  struct stat St;
  if (::lstat(P.c_str(), &St) != 0)
    return errno == ENOENT ? llvm::Expected<std::string>(P)
                           : failure("state file `" + P + "`: " + std::strerror(errno));
  if (S_ISLNK(St.st_mode)) {
    char Real[PATH_MAX];
    if (!::realpath(P.c_str(), Real))
      return failure("state file `" + P + "` is a symbolic link that leads nowhere (" +
                     std::strerror(errno) + "); remove the link or point it at a state file");
    P = Real;
    if (::stat(P.c_str(), &St) != 0)
      return failure("state file `" + P + "`: " + std::strerror(errno));
  }
  if (!S_ISREG(St.st_mode))
    return failure("state file `" + P + "` is " + fileKind(St.st_mode) + ", not a regular file");
  return P;
}

llvm::Expected<std::string> io::readRegularFile(const std::string &Path, uint64_t Limit,
                                                bool &Missing, StringRef What) {
  Missing = false;
  int Fd = ::open(Path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (Fd < 0) {
    if (errno == ENOENT) {
      Missing = true;
      return std::string();
    }
    return failure(What.str() + " `" + Path + "`: cannot read it: " + std::strerror(errno));
  }
  struct stat St;
  if (::fstat(Fd, &St) != 0 || !S_ISREG(St.st_mode)) {
    ::close(Fd);
    return failure(What.str() + " `" + Path + "` is not a regular file");
  }
  if (uint64_t(St.st_size) > MaxStateFileBytes && Limit == MaxStateFileBytes) {
    ::close(Fd);
    return failure(What.str() + " `" + Path + "` is " + std::to_string(St.st_size) +
                   " bytes, more than the " + std::to_string(MaxStateFileBytes) +
                   "-byte limit (docs/engine.md, \"Limits\")");
  }
  std::string Out;
  Out.resize(size_t(std::min<uint64_t>(uint64_t(St.st_size), Limit)));
  size_t Done = 0;
  while (Done < Out.size()) {
    ssize_t N = ::read(Fd, &Out[Done], Out.size() - Done);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    Done += size_t(N);
  }
  ::close(Fd);
  Out.resize(Done);
  return Out;
}

llvm::Error io::checkNotLinkOrSpecial(const std::string &Path, StringRef What) {
  struct stat St;
  if (::lstat(Path.c_str(), &St) != 0)
    return errno == ENOENT ? llvm::Error::success()
                           : failure(What.str() + " `" + Path + "`: " + std::strerror(errno));
  if (S_ISLNK(St.st_mode))
    return failure(What.str() + " `" + Path +
                   "` is a symbolic link; strata never makes one there: remove it");
  if (!S_ISREG(St.st_mode))
    return failure(What.str() + " `" + Path + "` is " + fileKind(St.st_mode) +
                   ", not a regular file");
  return llvm::Error::success();
}

namespace {
struct Header {
  std::string Digest;
  size_t Length = 0;
  size_t BodyOffset = 0;
};
} // namespace

/// Reads the header at the start of Text; Fail makes the error.
template <typename FailFn> static llvm::Expected<Header> readHeader(StringRef Text, FailFn Fail) {
  StringRef Rest = Text;
  auto Next = [&](StringRef &Line) {
    if (!Rest.contains('\n'))
      return false;
    std::tie(Line, Rest) = Rest.split('\n');
    return true;
  };
  StringRef MagicLine, LengthLine, DigestLine, Blank;
  if (!Next(MagicLine) || !MagicLine.startswith(Magic))
    return Fail("not a strata engine state file (no `" + std::string(Magic) + "` header)");
  unsigned Version = 0;
  if (MagicLine.drop_front(sizeof(Magic) - 1).trim().getAsInteger(10, Version))
    return Fail("the header's format version is unreadable");
  if (Version != FormatVersion)
    return Fail("format version " + std::to_string(Version) +
                " is not supported (this strata "
                "reads version " +
                std::to_string(FormatVersion) + ")");
  Header H;
  if (!Next(LengthLine) || !LengthLine.consume_front("length ") ||
      LengthLine.getAsInteger(10, H.Length))
    return Fail("the header's `length` line is missing or unreadable (the file is truncated?)");
  if (!Next(DigestLine) || !DigestLine.consume_front("sha256 ") || DigestLine.size() != 64)
    return Fail("the header's `sha256` line is missing or unreadable (the file is truncated?)");
  if (!Next(Blank) || !Blank.empty())
    return Fail("the header does not end with an empty line");
  H.Digest = DigestLine.str();
  H.BodyOffset = Text.size() - Rest.size();
  return H;
}

std::string io::snapshotText(StringRef Body, StringRef BodyDigest) {
  return std::string(Magic) + " " + std::to_string(FormatVersion) + "\nlength " +
         std::to_string(Body.size()) + "\nsha256 " + BodyDigest.str() + "\n\n" + Body.str();
}

std::string strata::engine::stateFileText(StringRef Body) {
  return snapshotText(Body, digest(Body));
}

llvm::Expected<Engine> strata::engine::parseStateFile(StringRef Text, StringRef Path,
                                                      std::string *Digest) {
  auto Fail = [&](const std::string &Why) {
    return failure("state file `" + Path.str() + "`: " + Why);
  };
  if (Text.empty())
    return Fail("the file is empty (a write was interrupted, or it is not a state file)");
  llvm::Expected<Header> H = readHeader(Text, Fail);
  if (!H)
    return H.takeError();
  StringRef Body = Text.drop_front(H->BodyOffset);
  if (Body.size() != H->Length)
    return Fail("the body is " + std::to_string(Body.size()) + " bytes but the header says " +
                std::to_string(H->Length) + ": the file was truncated or edited");
  if (digest(Body) != H->Digest)
    return Fail("the checksum does not match the contents: the file was edited or corrupted");
  llvm::Expected<Engine> E = Engine::deserialize(Body);
  if (!E)
    return Fail(llvm::toString(E.takeError()));
  if (Digest)
    *Digest = H->Digest;
  return E;
}

llvm::Expected<std::string> strata::engine::readStateDigest(StringRef Path) {
  llvm::Expected<std::string> Resolved = resolveStatePath(Path);
  if (!Resolved)
    return Resolved.takeError();
  auto Fail = [&](const std::string &Why) {
    return failure("state file `" + Path.str() + "`: " + Why);
  };
  bool Missing = false;
  // The header is far shorter than this; only the header is read.
  llvm::Expected<std::string> Start = readRegularFile(*Resolved, 512, Missing, "state file");
  if (!Start)
    return Start.takeError();
  if (Missing)
    return std::string();
  llvm::Expected<Header> H = readHeader(*Start, Fail);
  if (!H)
    return H.takeError();
  return H->Digest;
}

llvm::Error io::writeAllAt(int Fd, StringRef Data, uint64_t Offset, const std::string &Path) {
  while (!Data.empty()) {
    ssize_t N = ::pwrite(Fd, Data.data(), Data.size(), off_t(Offset));
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return failure("cannot write `" + Path + "`: " + std::strerror(errno));
    }
    Data = Data.drop_front(size_t(N));
    Offset += uint64_t(N);
  }
  return llvm::Error::success();
}

void io::syncDirectoryOf(const std::string &Path) {
  StringRef Dir = llvm::sys::path::parent_path(Path);
  std::string DirPath = Dir.empty() ? "." : Dir.str();
  int DirFd = ::open(DirPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (DirFd >= 0) {
    ::fsync(DirFd);
    ::close(DirFd);
  }
}

llvm::Error io::replaceFile(const std::string &Path, StringRef Text) {
  std::string Temp = Path + ".tmp.XXXXXX";
  int Fd = ::mkstemp(&Temp[0]);
  if (Fd < 0)
    return failure("cannot create a temporary file beside `" + Path + "`: " + std::strerror(errno));
  ::fchmod(Fd, 0644);
  llvm::Error W = writeAllAt(Fd, Text, 0, Temp);
  if (!W && ::fsync(Fd) != 0)
    W = failure("cannot flush `" + Temp + "` to disk: " + std::strerror(errno));
  ::close(Fd);
  if (!W && ::rename(Temp.c_str(), Path.c_str()) != 0)
    W = failure("cannot replace `" + Path + "`: " + std::strerror(errno));
  if (W) {
    ::unlink(Temp.c_str());
    return W;
  }
  // The rename is durable only once the directory entry is.
  syncDirectoryOf(Path);
  return llvm::Error::success();
}
