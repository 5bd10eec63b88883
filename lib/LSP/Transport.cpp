//===- Transport.cpp - JSON-RPC 2.0 framing -------------------------------===//
#include "strata/LSP/Transport.h"
#include "llvm/ADT/StringExtras.h"
#include <cerrno>
#include <optional>
#include <poll.h>
#include <unistd.h>

using namespace strata::lsp;

ByteSource::~ByteSource() = default;

size_t FdSource::read(char *Buf, size_t Max) {
  while (true) {
    ssize_t N = ::read(FD, Buf, Max);
    if (N >= 0)
      return size_t(N);
    if (errno != EINTR)
      return 0;
  }
}

bool FdSource::readyNow() {
  pollfd P{FD, POLLIN, 0};
  return ::poll(&P, 1, 0) > 0;
}

size_t StringSource::read(char *Buf, size_t Max) {
  size_t N = std::min(Max, Bytes.size());
  std::copy(Bytes.begin(), Bytes.begin() + N, Buf);
  Bytes = Bytes.drop_front(N);
  return N;
}

bool MessageReader::fill() {
  if (Ended)
    return false;
  // Drop what was consumed, so the buffer holds at most one chunk and the
  // part of a message not yet read.
  if (Pos > 0) {
    Buffer.erase(0, Pos);
    Pos = 0;
  }
  char Chunk[65536];
  size_t N = Source.read(Chunk, sizeof(Chunk));
  if (N == 0) {
    Ended = true;
    return false;
  }
  Buffer.append(Chunk, N);
  return true;
}

bool MessageReader::readyNow() { return Pos < Buffer.size() || Ended || Source.readyNow(); }

bool MessageReader::readLine(std::string &Line, bool &TooLong) {
  Line.clear();
  TooLong = false;
  while (true) {
    while (Pos < Buffer.size()) {
      char C = Buffer[Pos++];
      if (C == '\n') {
        if (!Line.empty() && Line.back() == '\r')
          Line.pop_back();
        return true;
      }
      if (Line.size() < Limits.MaxHeaderLine)
        Line.push_back(C);
      else
        TooLong = true;
    }
    if (!fill())
      return false;
  }
}

bool MessageReader::readBody(size_t N, std::string *Out) {
  while (N > 0) {
    if (Pos == Buffer.size() && !fill())
      return false;
    size_t Take = std::min(N, Buffer.size() - Pos);
    if (Out)
      Out->append(Buffer, Pos, Take);
    Pos += Take;
    N -= Take;
  }
  return true;
}

namespace {
/// The value of a Content-Length header line, if Line is one.
bool contentLength(llvm::StringRef Line, std::optional<size_t> &Length, bool &Bad) {
  auto [Name, Value] = Line.split(':');
  if (!Name.trim().equals_insensitive("content-length"))
    return false;
  unsigned long long N = 0;
  if (Value.trim().getAsInteger(10, N) || Length)
    Bad = true; // not a number, or a second Content-Length
  else
    Length = size_t(N);
  return true;
}
} // namespace

ReadResult MessageReader::next() {
  ReadResult R;
  std::optional<size_t> Length;
  bool Bad = false;
  std::string Line;
  unsigned Lines = 0;
  // Header lines up to an empty one. Empty lines before any header are
  // stray line breaks between messages: skipped.
  while (true) {
    bool TooLong = false;
    if (!readLine(Line, TooLong))
      return R; // End
    if (Line.empty() && !TooLong) {
      if (Lines == 0)
        continue;
      break;
    }
    if (++Lines > Limits.MaxHeaders || TooLong || !llvm::StringRef(Line).contains(':'))
      Bad = true;
    else
      contentLength(Line, Length, Bad);
  }
  if (Bad || !Length) {
    R.TheKind = ReadResult::Kind::Malformed;
    R.Problem = Bad ? "malformed message header" : "message header without Content-Length";
    return R;
  }
  if (*Length > Limits.MaxBody) {
    if (!readBody(*Length, nullptr))
      return ReadResult();
    R.TheKind = ReadResult::Kind::Malformed;
    R.Problem = "message body of " + std::to_string(*Length) + " bytes is larger than the limit";
    return R;
  }
  if (!readBody(*Length, &R.Body))
    return ReadResult();
  R.TheKind = ReadResult::Kind::Message;
  return R;
}

void strata::lsp::writeMessage(llvm::raw_ostream &OS, const llvm::json::Value &V) {
  std::string Body;
  llvm::raw_string_ostream S(Body);
  S << V;
  S.flush();
  OS << "Content-Length: " << Body.size() << "\r\n\r\n" << Body;
  OS.flush();
}
