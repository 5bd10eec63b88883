//===- StateFile.cpp - The engine's persistent state, as text --------------===//
//
// The body is deterministic, line-oriented IQL-like text: graphs in name
// order, each with its schemas, facts (sorted), rules (clauses in order)
// and indexes. The file puts a header in front of it:
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
//===----------------------------------------------------------------------===//
#include "strata/IQL/Parser.h"
#include "strata/IQL/Printer.h"
#include "Store.h"
#include "strata/Engine/Engine.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace strata::engine;
using llvm::StringRef;

static const char Magic[] = "STRATA-ENGINE-STATE";
static const unsigned FormatVersion = 1;

static llvm::Error failure(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static std::string schemaText(const std::string &Name, const Schema &S) {
  std::string T = "+" + Name + "(";
  for (size_t I = 0; I < S.size(); ++I)
    T += (I ? ", " : "") + S[I].Name + ": " + S[I].Type.text();
  return T + ")";
}

std::string Engine::serialize() const {
  std::string Out;
  for (const auto &GEntry : TheStore->Graphs) {
    const Graph &G = GEntry.second;
    Out += "graph " + GEntry.first + "\n";
    for (const auto &REntry : G.Relations) {
      const std::string &Name = REntry.first;
      const BaseRelation &R = REntry.second;
      if (R.Columns)
        Out += "schema " + schemaText(Name, *R.Columns) + "\n";
      else
        Out += "rel " + Name + "\n";
      for (const Tuple &T : sortedTuples(R.Tuples)) {
        Out += "fact +" + Name + "(";
        for (size_t I = 0; I < T.size(); ++I)
          Out += (I ? ", " : "") + T[I].literal();
        Out += ")\n";
      }
    }
    for (const auto &Rule : G.Rules) {
      if (Rule.second.empty())
        Out += "cleared " + Rule.first + "\n";
      for (const Clause &C : Rule.second)
        Out += "rule +" + iql::printClause(C) + "\n";
    }
    for (const auto &I : G.Indexes)
      Out += "index " + I.second.text() + "\n";
  }
  return Out;
}

llvm::Expected<Engine> Engine::deserialize(StringRef Text) {
  Engine E;
  Store &S = E.store();
  S.Graphs.clear();
  Graph *Current = nullptr;
  unsigned LineNo = 0;
  iql::ParseOptions Options;
  Options.AllowNull = true;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    if (Line.empty())
      continue;
    auto [Keyword, Payload] = Line.split(' ');
    auto Bad = [&](const std::string &Why) {
      return failure("line " + std::to_string(LineNo) + ": " + Why);
    };
    if (Keyword == "graph") {
      if (Payload.empty())
        return Bad("a graph needs a name");
      Current = &S.Graphs[Payload.str()];
      continue;
    }
    if (!Current)
      return Bad("`" + Keyword.str() + "` before any `graph` line");
    if (Keyword == "rel" || Keyword == "cleared") {
      if (Payload.empty() || Payload.contains(' '))
        return Bad("expected one name after `" + Keyword.str() + "`");
      if (Keyword == "rel")
        Current->Relations[Payload.str()];
      else
        Current->Rules[Payload.str()];
      continue;
    }
    llvm::Expected<Statement> Parsed = iql::parseStatement(Payload, Options);
    if (!Parsed)
      return Bad(llvm::toString(Parsed.takeError()));
    Statement &St = *Parsed;
    if (Keyword == "schema" && St.K == Statement::Kind::SchemaDecl) {
      Current->Relations[St.Relation].Columns = St.Columns;
    } else if (Keyword == "fact" && St.K == Statement::Kind::Insert && St.Rows.size() == 1) {
      Tuple T;
      for (const Expr &X : St.Rows[0]) {
        if (X.K != Expr::Kind::Constant)
          return Bad("a fact may only hold constants");
        T.push_back(X.Constant);
      }
      Current->Relations[St.Relation].Tuples.insert(std::move(T));
    } else if (Keyword == "rule" && St.K == Statement::Kind::PersistentRule) {
      Current->Rules[St.Rule.Head.Relation].push_back(St.Rule);
    } else if (Keyword == "index" && St.K == Statement::Kind::Meta && St.Words.size() > 1 &&
               St.Words[1] == "create") {
      Current->Indexes[St.Index.Name] = St.Index;
    } else {
      return Bad("unexpected `" + Keyword.str() + "` line");
    }
  }
  S.Graphs["default"];
  return E;
}

static std::string digest(StringRef Body) {
  std::array<uint8_t, 32> Hash = llvm::SHA256::hash(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Body.data()), Body.size()));
  return llvm::toHex(Hash, /*LowerCase=*/true);
}

llvm::Expected<Engine> strata::engine::loadStateFile(StringRef Path) {
  auto Fail = [&](const std::string &Why) {
    return failure("state file `" + Path.str() + "`: " + Why);
  };
  if (!llvm::sys::fs::exists(Path))
    return Engine();
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return Fail("cannot read it: " + Buffer.getError().message());
  StringRef Text = (*Buffer)->getBuffer();
  if (Text.empty())
    return Fail("the file is empty (a write was interrupted, or it is not a state file)");
  auto Next = [&](StringRef &Line) {
    if (!Text.contains('\n'))
      return false;
    std::tie(Line, Text) = Text.split('\n');
    return true;
  };
  StringRef MagicLine, LengthLine, DigestLine, Blank;
  if (!Next(MagicLine) || !MagicLine.startswith(Magic))
    return Fail("not a strata engine state file (no `" + std::string(Magic) + "` header)");
  unsigned Version = 0;
  if (MagicLine.drop_front(sizeof(Magic) - 1).trim().getAsInteger(10, Version))
    return Fail("the header's format version is unreadable");
  if (Version != FormatVersion)
    return Fail("format version " + std::to_string(Version) + " is not supported (this strata "
                "reads version " + std::to_string(FormatVersion) + ")");
  size_t Length = 0;
  if (!Next(LengthLine) || !LengthLine.consume_front("length ") ||
      LengthLine.getAsInteger(10, Length))
    return Fail("the header's `length` line is missing or unreadable (the file is truncated?)");
  if (!Next(DigestLine) || !DigestLine.consume_front("sha256 ") || DigestLine.size() != 64)
    return Fail("the header's `sha256` line is missing or unreadable (the file is truncated?)");
  if (!Next(Blank) || !Blank.empty())
    return Fail("the header does not end with an empty line");
  if (Text.size() != Length)
    return Fail("the body is " + std::to_string(Text.size()) + " bytes but the header says " +
                std::to_string(Length) + ": the file was truncated or edited");
  if (digest(Text) != DigestLine)
    return Fail("the checksum does not match the contents: the file was edited or corrupted");
  llvm::Expected<Engine> E = Engine::deserialize(Text);
  if (!E)
    return Fail(llvm::toString(E.takeError()));
  return E;
}

static llvm::Error writeAll(int Fd, StringRef Data, const std::string &Path) {
  while (!Data.empty()) {
    ssize_t N = ::write(Fd, Data.data(), Data.size());
    if (N < 0) {
      if (errno == EINTR)
        continue;
      return failure("cannot write `" + Path + "`: " + std::strerror(errno));
    }
    Data = Data.drop_front(size_t(N));
  }
  return llvm::Error::success();
}

llvm::Error strata::engine::saveStateFile(const Engine &E, StringRef Path) {
  std::string Body = E.serialize();
  std::string Text = std::string(Magic) + " " + std::to_string(FormatVersion) + "\nlength " +
                     std::to_string(Body.size()) + "\nsha256 " + digest(Body) + "\n\n" + Body;
  std::string Temp = Path.str() + ".tmp";
  int Fd = ::open(Temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (Fd < 0)
    return failure("cannot create `" + Temp + "`: " + std::strerror(errno));
  llvm::Error W = writeAll(Fd, Text, Temp);
  if (!W && ::fsync(Fd) != 0)
    W = failure("cannot flush `" + Temp + "` to disk: " + std::strerror(errno));
  ::close(Fd);
  if (W) {
    ::unlink(Temp.c_str());
    return W;
  }
  if (::rename(Temp.c_str(), Path.str().c_str()) != 0) {
    std::string Why = std::strerror(errno);
    ::unlink(Temp.c_str());
    return failure("cannot replace `" + Path.str() + "`: " + Why);
  }
  // The rename is durable only once the directory entry is.
  StringRef Dir = llvm::sys::path::parent_path(Path);
  std::string DirPath = Dir.empty() ? "." : Dir.str();
  int DirFd = ::open(DirPath.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (DirFd >= 0) {
    ::fsync(DirFd);
    ::close(DirFd);
  }
  return llvm::Error::success();
}
