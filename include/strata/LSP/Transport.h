//===- Transport.h - JSON-RPC 2.0 framing for the language server -*- C++ -*-===//
//
// The Language Server Protocol frames each JSON-RPC message with HTTP-like
// headers: `Content-Length: N\r\n`, optional other headers, `\r\n`, then N
// bytes of JSON. MessageReader cuts a byte stream into message bodies and
// survives any input: headers and bodies are bounded, a malformed header
// block is reported and skipped, and the end of the stream (even inside a
// message) ends the reading. Bodies are not parsed here; the server does
// that with llvm/Support/JSON.h.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LSP_TRANSPORT_H
#define STRATA_LSP_TRANSPORT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <string>

namespace strata::lsp {

/// Where the bytes come from: standard input, or memory for tests and the
/// fuzzer.
class ByteSource {
public:
  virtual ~ByteSource();
  /// Reads up to Max bytes into Buf, blocking until at least one is there.
  /// Returns 0 at the end of the stream (or on an error).
  virtual size_t read(char *Buf, size_t Max) = 0;
  /// True when read() would return at once (bytes are waiting, or the
  /// stream has ended). Lets the server see a cancellation that arrived
  /// behind the request it cancels before starting that request.
  virtual bool readyNow() = 0;
};

/// A file descriptor (standard input).
class FdSource : public ByteSource {
public:
  explicit FdSource(int FD) : FD(FD) {}
  size_t read(char *Buf, size_t Max) override;
  bool readyNow() override;

private:
  int FD;
};

/// Bytes in memory; the end of them is the end of the stream.
class StringSource : public ByteSource {
public:
  explicit StringSource(llvm::StringRef Bytes) : Bytes(Bytes) {}
  size_t read(char *Buf, size_t Max) override;
  bool readyNow() override { return true; }

private:
  llvm::StringRef Bytes;
};

struct TransportLimits {
  /// A header line longer than this is malformed (the rest of the line is
  /// skipped).
  size_t MaxHeaderLine = 1024;
  /// Header lines of one message.
  unsigned MaxHeaders = 16;
  /// A larger body is skipped unread and reported.
  size_t MaxBody = 64u << 20;
};

struct ReadResult {
  enum class Kind {
    Message,   // Body holds one message's bytes
    Malformed, // a header block or body was unusable; Problem says why
    End,       // the stream ended (any partial message is dropped)
  } TheKind = Kind::End;
  std::string Body;
  std::string Problem;
};

class MessageReader {
public:
  explicit MessageReader(ByteSource &Source, TransportLimits Limits = {})
      : Source(Source), Limits(Limits) {}

  /// The next message, or why there is none. After End, always End.
  ReadResult next();
  /// True when next() would not block: a whole message, or more bytes, or
  /// the end is there.
  bool readyNow();

private:
  /// Fills the buffer; false at the end of the stream.
  bool fill();
  /// Reads one header line (without its line break) into Line. False at
  /// the end of the stream; TooLong when it exceeded the limit.
  bool readLine(std::string &Line, bool &TooLong);
  /// Moves N body bytes into Out (or drops them when Out is null).
  bool readBody(size_t N, std::string *Out);

  ByteSource &Source;
  TransportLimits Limits;
  std::string Buffer;
  size_t Pos = 0;
  bool Ended = false;
};

/// Writes V as one framed message and flushes.
void writeMessage(llvm::raw_ostream &OS, const llvm::json::Value &V);

} // namespace strata::lsp

#endif
