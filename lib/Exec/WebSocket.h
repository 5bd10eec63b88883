//===- WebSocket.h - RFC 6455 over POSIX TCP sockets -------------*- C++ -*-===//
//
// Just enough WebSocket for the InputLayer protocol, both ends of it: a TCP
// socket whose every read and write has a deadline, the HTTP/1.1 upgrade
// handshake, and framing (text messages, client masking, fragmentation,
// ping/pong, close with a status). No extensions, no TLS.
//
// Nothing here prints; every failure is an llvm::Error whose message says
// what happened in words a user can act on (the caller adds which host).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_WEBSOCKET_H
#define STRATA_LIB_EXEC_WEBSOCKET_H

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace strata::exec::ws {

/// The largest message either end accepts (the server's own limit).
constexpr size_t MaxMessageBytes = 16 * 1024 * 1024;
/// The largest HTTP request or response head accepted during the handshake.
constexpr size_t MaxHandshakeBytes = 16 * 1024;

using Clock = std::chrono::steady_clock;
/// When an operation must be done by; nullopt waits for ever.
using Deadline = llvm::Optional<Clock::time_point>;
inline Deadline deadlineIn(std::chrono::milliseconds D) { return Clock::now() + D; }

//===-- Sockets -----------------------------------------------------------===//

/// What went wrong on the wire, so callers can phrase it for their context.
enum class FailureKind {
  Io,
  Timeout,
  Closed,
  Protocol,
  TooBig,
  Refused,
  UnknownHost,
  Interrupted, // the socket's interrupt descriptor became readable
  Woken,       // a read's wake descriptor became readable (Socket::setWake)
};

/// An error with a FailureKind; its message is complete on its own.
class WireError : public llvm::ErrorInfo<WireError> {
public:
  static char ID;
  WireError(FailureKind Kind, std::string Message) : Kind(Kind), Message(std::move(Message)) {}
  void log(llvm::raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }
  FailureKind Kind;
  std::string Message;
};

llvm::Error wireError(FailureKind Kind, std::string Message);
/// The kind of E when it is a WireError; E stays as it was.
llvm::Optional<FailureKind> failureKind(llvm::Error &E);

/// A connected, non-blocking TCP socket. Owns its descriptor.
class Socket {
public:
  Socket() = default;
  explicit Socket(int Fd) : Fd(Fd) {}
  Socket(Socket &&O) noexcept
      : Fd(std::exchange(O.Fd, -1)), InterruptFd(std::exchange(O.InterruptFd, -1)),
        WakeFd(std::exchange(O.WakeFd, -1)) {}
  Socket &operator=(Socket &&O) noexcept;
  ~Socket();

  /// Resolves Host and connects to the first address that answers.
  static llvm::Expected<Socket> connect(llvm::StringRef Host, unsigned Port, Deadline D);

  /// Reads at least one byte and appends what is available to Out. The
  /// peer closing the connection is a FailureKind::Closed error.
  llvm::Error readSome(std::string &Out, Deadline D);
  llvm::Error writeAll(llvm::StringRef Data, Deadline D);
  /// Wakes a reader blocked in another thread (it then sees Closed).
  void shutdown();
  /// Every wait also watches Fd (not owned): once it is readable, reads
  /// and writes that would block fail with FailureKind::Interrupted. A
  /// server stops all its connections through one such descriptor.
  void setInterrupt(int Fd) { InterruptFd = Fd; }
  /// A read waiting for data also watches Fd (not owned): once it is
  /// readable the read fails with FailureKind::Woken, so a thread blocked
  /// reading can be asked to write something (a server's pushes). Writes
  /// do not watch it. The caller drains Fd.
  void setWake(int Fd) { WakeFd = Fd; }
  /// The peer's IP address as text (`127.0.0.1`, `::1`), or `unknown`.
  std::string peerAddress() const;

  int fd() const { return Fd; }
  bool valid() const { return Fd >= 0; }

private:
  int Fd = -1;
  int InterruptFd = -1;
  int WakeFd = -1;
};

/// A listening TCP socket.
class Listener {
public:
  /// Binds Host:Port (0: any free port) and listens.
  static llvm::Expected<Listener> listen(llvm::StringRef Host, unsigned Port);
  /// The port actually bound.
  unsigned port() const { return Port; }
  int fd() const { return Sock.fd(); }
  /// Accepts one pending connection (call when fd() is readable).
  llvm::Expected<Socket> accept();

private:
  Socket Sock;
  unsigned Port = 0;
};

//===-- Handshake ---------------------------------------------------------===//

/// Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 section 4.2.2).
std::string acceptKey(llvm::StringRef ClientKey);

/// A fresh random Sec-WebSocket-Key (16 random bytes, base64).
std::string randomKey();

/// An HTTP request or response head (status line plus headers).
struct HttpHead {
  std::string StartLine;
  std::vector<std::pair<std::string, std::string>> Headers;
  /// The first value of a header, matched case-insensitively.
  llvm::Optional<llvm::StringRef> header(llvm::StringRef Name) const;
  /// Whether a comma-separated header lists Token (case-insensitively).
  bool headerHasToken(llvm::StringRef Name, llvm::StringRef Token) const;
};

/// Parses the head in Text (everything before the blank line).
llvm::Expected<HttpHead> parseHttpHead(llvm::StringRef Text);

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string percentEncode(llvm::StringRef S);
/// The inverse; malformed escapes are kept as they are.
std::string percentDecode(llvm::StringRef S);

//===-- Framing -----------------------------------------------------------===//

enum class Opcode : uint8_t {
  Continuation = 0x0,
  Text = 0x1,
  Binary = 0x2,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xA,
};

struct Frame {
  bool Fin = true;
  Opcode Op = Opcode::Text;
  std::string Payload; // unmasked
};

/// The wire bytes of one frame; masked with Mask when given (clients must
/// mask, servers must not).
std::string encodeFrame(Opcode Op, llvm::StringRef Payload, bool Fin,
                        llvm::Optional<std::array<uint8_t, 4>> Mask);

/// Decodes one frame from the front of Bytes. Returns the bytes it took, or
/// 0 when Bytes does not hold a whole frame yet. Errors: reserved bits or
/// opcodes, a control frame that is fragmented or over 125 bytes, masking
/// that does not match the role (ExpectMasked: we are the server), or a
/// payload over MaxPayload.
llvm::Expected<size_t> decodeFrame(llvm::StringRef Bytes, bool ExpectMasked, size_t MaxPayload,
                                   Frame &Out);

/// The payload of a close frame: status code then reason.
std::string closePayload(uint16_t Status, llvm::StringRef Reason);

/// Close status codes used here (RFC 6455 section 7.4.1).
enum CloseStatus : uint16_t {
  CloseNormal = 1000,
  CloseGoingAway = 1001,
  CloseProtocolError = 1002,
  CloseUnsupportedData = 1003,
  CloseInvalidPayload = 1007,
  ClosePolicyViolation = 1008,
  CloseTooBig = 1009,
};

//===-- Connections -------------------------------------------------------===//

/// One end of an established WebSocket connection.
class Connection {
public:
  enum class Role { Client, Server };

  Connection(Socket S, Role R, std::string AlreadyRead = {})
      : Sock(std::move(S)), TheRole(R), In(std::move(AlreadyRead)) {}

  /// Runs the client handshake: `GET PathAndQuery` with `Host: HostHeader`.
  /// A response other than 101 with the right accept key is an error that
  /// quotes the status line (FailureKind::Protocol).
  static llvm::Expected<Connection> openClient(Socket S, llvm::StringRef HostHeader,
                                               llvm::StringRef PathAndQuery, Deadline D);

  /// Reads the next whole text message. Pings are answered, pongs skipped,
  /// fragments joined; a close frame is answered and reported as a Closed
  /// error that carries the peer's status and reason. A protocol violation
  /// sends a close with the matching status and returns a Protocol error.
  /// A Woken or Timeout error loses nothing: the next call goes on with
  /// the bytes and fragments read so far.
  llvm::Expected<std::string> readMessage(Deadline D);

  llvm::Error sendText(llvm::StringRef Text, Deadline D);
  llvm::Error sendPing(llvm::StringRef Payload, Deadline D);
  /// Sends a close frame (once) and stops using the connection for output.
  void close(uint16_t Status, llvm::StringRef Reason, Deadline D);

  /// Pongs received so far (to observe that our pings were answered).
  unsigned pongsReceived() const { return Pongs; }
  Socket &socket() { return Sock; }

private:
  llvm::Expected<Frame> readFrame(Deadline D);
  llvm::Error sendFrame(Opcode Op, llvm::StringRef Payload, Deadline D);
  llvm::Error fail(uint16_t Status, std::string Message, Deadline D);

  Socket Sock;
  Role TheRole;
  std::string In;      // bytes read but not yet decoded
  std::string Pending; // the fragments of a message read so far
  bool InMessage = false;
  bool CloseSent = false;
  unsigned Pongs = 0;
};

/// The server side of the handshake, split so the server can look at the
/// request (path, query, method) before it answers.
struct UpgradeRequest {
  std::string Method, Target; // `GET`, `/ws?kg=x`
  HttpHead Head;
  std::string AlreadyRead; // bytes after the head
};

/// Reads an HTTP request head from S.
llvm::Expected<UpgradeRequest> readUpgradeRequest(Socket &S, Deadline D);

/// Why Req cannot be upgraded (as an HTTP status and message), or nullopt
/// when it is a valid WebSocket upgrade.
llvm::Optional<std::pair<int, std::string>> checkUpgrade(const UpgradeRequest &Req);

/// Writes the 101 response; the connection is then a WebSocket.
llvm::Expected<Connection> acceptUpgrade(Socket S, UpgradeRequest Req, Deadline D);

/// Writes a plain HTTP response (for requests that are not upgrades).
llvm::Error writeHttpResponse(Socket &S, int Status, llvm::StringRef ContentType,
                              llvm::StringRef Body, Deadline D);

} // namespace strata::exec::ws

#endif
