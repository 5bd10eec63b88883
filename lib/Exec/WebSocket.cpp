//===- WebSocket.cpp - RFC 6455 over POSIX TCP sockets --------------------===//
#include "WebSocket.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SHA1.h"
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

using namespace strata::exec;
using namespace strata::exec::ws;
using llvm::StringRef;

char WireError::ID = 0;

llvm::Error ws::wireError(FailureKind Kind, std::string Message) {
  return llvm::make_error<WireError>(Kind, std::move(Message));
}

llvm::Optional<FailureKind> ws::failureKind(llvm::Error &E) {
  llvm::Optional<FailureKind> Kind;
  E = llvm::handleErrors(std::move(E), [&](std::unique_ptr<WireError> W) -> llvm::Error {
    Kind = W->Kind;
    return llvm::Error(std::move(W));
  });
  return Kind;
}

namespace {
std::string systemMessage(int Errno) { return std::strerror(Errno); }

/// Milliseconds left until D for poll(): -1 for no deadline, 0 when past.
int pollTimeout(Deadline D) {
  if (!D)
    return -1;
  auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(*D - Clock::now());
  if (Left.count() <= 0)
    return 0;
  return Left.count() > 1000000000 ? 1000000000 : int(Left.count());
}

/// Waits until Fd is ready for Events; a Timeout error when D passes, an
/// Interrupted one when InterruptFd (if any) becomes readable, a Woken one
/// when WakeFd (if any) does.
llvm::Error waitFor(int Fd, short Events, Deadline D, const char *Doing, int InterruptFd = -1,
                    int WakeFd = -1) {
  for (;;) {
    // A descriptor of -1 is ignored by poll.
    pollfd P[3] = {{Fd, Events, 0}, {InterruptFd, POLLIN, 0}, {WakeFd, POLLIN, 0}};
    int N = ::poll(P, 3, pollTimeout(D));
    if (N > 0 && InterruptFd >= 0 && (P[1].revents & POLLIN))
      return wireError(FailureKind::Interrupted, fmt::format("interrupted while {}", Doing));
    if (N > 0 && WakeFd >= 0 && (P[2].revents & POLLIN))
      return wireError(FailureKind::Woken, fmt::format("woken while {}", Doing));
    if (N > 0)
      return llvm::Error::success();
    if (N == 0)
      return wireError(FailureKind::Timeout, fmt::format("timed out while {}", Doing));
    if (errno != EINTR)
      return wireError(FailureKind::Io,
                       fmt::format("poll failed while {}: {}", Doing, systemMessage(errno)));
  }
}

bool setNonBlocking(int Fd) {
  int Flags = ::fcntl(Fd, F_GETFL, 0);
  return Flags >= 0 && ::fcntl(Fd, F_SETFL, Flags | O_NONBLOCK) == 0;
}

void setNoDelay(int Fd) {
  int One = 1;
  ::setsockopt(Fd, IPPROTO_TCP, TCP_NODELAY, &One, sizeof(One));
}

/// Connects Fd to Addr, waiting at most until D.
llvm::Error connectOne(int Fd, const addrinfo &Addr, Deadline D) {
  if (::connect(Fd, Addr.ai_addr, Addr.ai_addrlen) == 0)
    return llvm::Error::success();
  if (errno != EINPROGRESS && errno != EINTR) {
    int Err = errno;
    return wireError(Err == ECONNREFUSED ? FailureKind::Refused : FailureKind::Io,
                     Err == ECONNREFUSED ? "connection refused (is the server running?)"
                                         : "cannot connect: " + systemMessage(Err));
  }
  if (llvm::Error E = waitFor(Fd, POLLOUT, D, "connecting"))
    return E;
  int Err = 0;
  socklen_t Len = sizeof(Err);
  if (::getsockopt(Fd, SOL_SOCKET, SO_ERROR, &Err, &Len) != 0)
    Err = errno;
  if (Err == 0)
    return llvm::Error::success();
  if (Err == ECONNREFUSED)
    return wireError(FailureKind::Refused, "connection refused (is the server running?)");
  return wireError(FailureKind::Io, "cannot connect: " + systemMessage(Err));
}

std::mt19937_64 &randomEngine() {
  thread_local std::mt19937_64 Engine{[] {
    std::random_device Device;
    return (uint64_t(Device()) << 32) ^ Device();
  }()};
  return Engine;
}

std::array<uint8_t, 4> randomMask() {
  uint64_t R = randomEngine()();
  return {uint8_t(R), uint8_t(R >> 8), uint8_t(R >> 16), uint8_t(R >> 24)};
}
} // namespace

//===-- Socket ------------------------------------------------------------===//

Socket &Socket::operator=(Socket &&O) noexcept {
  if (this != &O) {
    if (Fd >= 0)
      ::close(Fd);
    Fd = std::exchange(O.Fd, -1);
    InterruptFd = std::exchange(O.InterruptFd, -1);
    WakeFd = std::exchange(O.WakeFd, -1);
  }
  return *this;
}

Socket::~Socket() {
  if (Fd >= 0)
    ::close(Fd);
}

llvm::Expected<Socket> Socket::connect(StringRef Host, unsigned Port, Deadline D) {
  addrinfo Hints{};
  Hints.ai_family = AF_UNSPEC;
  Hints.ai_socktype = SOCK_STREAM;
  addrinfo *List = nullptr;
  std::string PortText = std::to_string(Port);
  int Status = ::getaddrinfo(Host.str().c_str(), PortText.c_str(), &Hints, &List);
  if (Status != 0) {
    bool Unknown = Status == EAI_NONAME || Status == EAI_NODATA || Status == EAI_FAIL;
    return wireError(
        Unknown ? FailureKind::UnknownHost : FailureKind::Io,
        Unknown ? fmt::format("unknown host `{}`", Host.str())
                : fmt::format("cannot resolve `{}`: {}", Host.str(), ::gai_strerror(Status)));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> Owner(List, ::freeaddrinfo);
  llvm::Error Last =
      wireError(FailureKind::UnknownHost, fmt::format("no address for `{}`", Host.str()));
  for (const addrinfo *A = List; A; A = A->ai_next) {
    Socket S(::socket(A->ai_family, A->ai_socktype | SOCK_CLOEXEC, A->ai_protocol));
    if (!S.valid() || !setNonBlocking(S.fd()))
      continue;
    llvm::Error E = connectOne(S.fd(), *A, D);
    if (!E) {
      llvm::consumeError(std::move(Last));
      setNoDelay(S.fd());
      return S;
    }
    llvm::consumeError(std::move(Last));
    Last = std::move(E);
    if (failureKind(Last) == FailureKind::Timeout)
      break; // the deadline covers all addresses
  }
  return Last;
}

llvm::Error Socket::readSome(std::string &Out, Deadline D) {
  char Buffer[64 * 1024];
  for (;;) {
    ssize_t N = ::recv(Fd, Buffer, sizeof(Buffer), 0);
    if (N > 0) {
      Out.append(Buffer, size_t(N));
      return llvm::Error::success();
    }
    if (N == 0)
      return wireError(FailureKind::Closed, "closed by the peer");
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (llvm::Error E = waitFor(Fd, POLLIN, D, "waiting for data", InterruptFd, WakeFd))
        return E;
      continue;
    }
    if (errno == ECONNRESET || errno == EPIPE || errno == ENOTCONN)
      return wireError(FailureKind::Closed, "reset by the peer");
    return wireError(FailureKind::Io, "read failed: " + systemMessage(errno));
  }
}

llvm::Error Socket::writeAll(StringRef Data, Deadline D) {
  while (!Data.empty()) {
    ssize_t N = ::send(Fd, Data.data(), Data.size(), MSG_NOSIGNAL);
    if (N > 0) {
      Data = Data.drop_front(size_t(N));
      continue;
    }
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (llvm::Error E = waitFor(Fd, POLLOUT, D, "sending", InterruptFd))
        return E;
      continue;
    }
    if (N < 0 && (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN))
      return wireError(FailureKind::Closed, "closed by the peer");
    return wireError(FailureKind::Io, "write failed: " + systemMessage(errno));
  }
  return llvm::Error::success();
}

void Socket::shutdown() {
  if (Fd >= 0)
    ::shutdown(Fd, SHUT_RDWR);
}

std::string Socket::peerAddress() const {
  sockaddr_storage Addr{};
  socklen_t Len = sizeof(Addr);
  if (Fd < 0 || ::getpeername(Fd, reinterpret_cast<sockaddr *>(&Addr), &Len) != 0)
    return "unknown";
  char Text[INET6_ADDRSTRLEN] = {};
  const void *Raw =
      Addr.ss_family == AF_INET6
          ? static_cast<const void *>(&reinterpret_cast<sockaddr_in6 &>(Addr).sin6_addr)
          : static_cast<const void *>(&reinterpret_cast<sockaddr_in &>(Addr).sin_addr);
  if (!::inet_ntop(Addr.ss_family, Raw, Text, sizeof(Text)))
    return "unknown";
  return Text;
}

llvm::Expected<Listener> Listener::listen(StringRef Host, unsigned Port) {
  addrinfo Hints{};
  Hints.ai_family = AF_UNSPEC;
  Hints.ai_socktype = SOCK_STREAM;
  Hints.ai_flags = AI_PASSIVE;
  addrinfo *List = nullptr;
  std::string PortText = std::to_string(Port);
  int Status =
      ::getaddrinfo(Host.empty() ? nullptr : Host.str().c_str(), PortText.c_str(), &Hints, &List);
  if (Status != 0)
    return wireError(FailureKind::UnknownHost,
                     fmt::format("cannot listen on `{}`: {}", Host.str(), ::gai_strerror(Status)));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> Owner(List, ::freeaddrinfo);
  std::string Why = "no address";
  for (const addrinfo *A = List; A; A = A->ai_next) {
    Socket S(::socket(A->ai_family, A->ai_socktype | SOCK_CLOEXEC, A->ai_protocol));
    if (!S.valid()) {
      Why = systemMessage(errno);
      continue;
    }
    int One = 1;
    ::setsockopt(S.fd(), SOL_SOCKET, SO_REUSEADDR, &One, sizeof(One));
    if (::bind(S.fd(), A->ai_addr, A->ai_addrlen) != 0 || ::listen(S.fd(), 64) != 0 ||
        !setNonBlocking(S.fd())) {
      Why = systemMessage(errno);
      continue;
    }
    sockaddr_storage Bound{};
    socklen_t Len = sizeof(Bound);
    ::getsockname(S.fd(), reinterpret_cast<sockaddr *>(&Bound), &Len);
    Listener L;
    L.Port = Bound.ss_family == AF_INET6
                 ? ntohs(reinterpret_cast<sockaddr_in6 *>(&Bound)->sin6_port)
                 : ntohs(reinterpret_cast<sockaddr_in *>(&Bound)->sin_port);
    L.Sock = std::move(S);
    return L;
  }
  return wireError(FailureKind::Io,
                   fmt::format("cannot listen on {}:{}: {}", Host.str(), Port, Why));
}

llvm::Expected<Socket> Listener::accept() {
  for (;;) {
    int Fd = ::accept4(Sock.fd(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (Fd >= 0) {
      setNoDelay(Fd);
      return Socket(Fd);
    }
    if (errno == EINTR)
      continue;
    return wireError(errno == EAGAIN || errno == EWOULDBLOCK ? FailureKind::Timeout
                                                             : FailureKind::Io,
                     "accept failed: " + systemMessage(errno));
  }
}

//===-- Handshake ---------------------------------------------------------===//

std::string ws::acceptKey(StringRef ClientKey) {
  std::string Input = ClientKey.trim().str() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::array<uint8_t, 20> Digest = llvm::SHA1::hash(llvm::arrayRefFromStringRef(Input));
  return llvm::encodeBase64(Digest);
}

std::string ws::randomKey() {
  std::array<uint8_t, 16> Bytes;
  for (size_t I = 0; I < Bytes.size(); I += 8) {
    uint64_t R = randomEngine()();
    for (size_t J = 0; J < 8; ++J)
      Bytes[I + J] = uint8_t(R >> (8 * J));
  }
  return llvm::encodeBase64(Bytes);
}

llvm::Optional<StringRef> HttpHead::header(StringRef Name) const {
  for (const auto &[Key, Value] : Headers)
    if (StringRef(Key).equals_insensitive(Name))
      return StringRef(Value);
  return llvm::None;
}

bool HttpHead::headerHasToken(StringRef Name, StringRef Token) const {
  for (const auto &[Key, Value] : Headers) {
    if (!StringRef(Key).equals_insensitive(Name))
      continue;
    llvm::SmallVector<StringRef, 4> Parts;
    StringRef(Value).split(Parts, ',');
    for (StringRef P : Parts)
      if (P.trim().equals_insensitive(Token))
        return true;
  }
  return false;
}

llvm::Expected<HttpHead> ws::parseHttpHead(StringRef Text) {
  HttpHead Head;
  llvm::SmallVector<StringRef, 16> Lines;
  Text.split(Lines, "\r\n");
  if (Lines.empty() || Lines[0].empty())
    return wireError(FailureKind::Protocol, "empty HTTP head");
  Head.StartLine = Lines[0].str();
  for (StringRef Line : llvm::makeArrayRef(Lines).drop_front()) {
    if (Line.empty())
      continue;
    size_t Colon = Line.find(':');
    if (Colon == StringRef::npos || Colon == 0)
      return wireError(FailureKind::Protocol,
                       fmt::format("malformed HTTP header line `{}`", Line.take_front(80).str()));
    Head.Headers.emplace_back(Line.take_front(Colon).trim().str(),
                              Line.drop_front(Colon + 1).trim().str());
  }
  return Head;
}

std::string ws::percentEncode(StringRef S) {
  std::string Out;
  for (unsigned char C : S) {
    if (llvm::isAlnum(C) || C == '-' || C == '.' || C == '_' || C == '~')
      Out += char(C);
    else
      Out += fmt::format("%{:02X}", C);
  }
  return Out;
}

std::string ws::percentDecode(StringRef S) {
  std::string Out;
  for (size_t I = 0; I < S.size(); ++I) {
    unsigned Hi, Lo;
    if (S[I] == '%' && I + 2 < S.size() && (Hi = llvm::hexDigitValue(S[I + 1])) != ~0U &&
        (Lo = llvm::hexDigitValue(S[I + 2])) != ~0U) {
      Out += char(Hi * 16 + Lo);
      I += 2;
    } else {
      Out += S[I] == '+' ? ' ' : S[I];
    }
  }
  return Out;
}

namespace {
/// Reads from S until a blank line ends the HTTP head; returns the head
/// text and leaves whatever followed it in Rest.
llvm::Expected<std::string> readHead(Socket &S, Deadline D, std::string &Rest, const char *Peer) {
  std::string Buffer = std::move(Rest);
  Rest.clear();
  for (;;) {
    size_t End = Buffer.find("\r\n\r\n");
    if (End != std::string::npos) {
      Rest = Buffer.substr(End + 4);
      Buffer.resize(End);
      return Buffer;
    }
    if (Buffer.size() > MaxHandshakeBytes)
      return wireError(FailureKind::Protocol, fmt::format("the {} sent an HTTP head over {} bytes",
                                                          Peer, MaxHandshakeBytes));
    if (llvm::Error E = S.readSome(Buffer, D)) {
      if (failureKind(E) == FailureKind::Closed) {
        llvm::consumeError(std::move(E));
        return wireError(FailureKind::Closed,
                         fmt::format("the {} closed the connection during the WebSocket "
                                     "handshake",
                                     Peer));
      }
      return E;
    }
  }
}

/// A printable excerpt of untrusted text for an error message.
std::string excerpt(StringRef S, size_t Max = 120) {
  std::string Out;
  for (char C : S.take_front(Max))
    Out += (C >= 0x20 && C < 0x7f) ? C : '?';
  if (S.size() > Max)
    Out += "...";
  return Out;
}
} // namespace

llvm::Expected<Connection> Connection::openClient(Socket S, StringRef HostHeader,
                                                  StringRef PathAndQuery, Deadline D) {
  std::string Key = randomKey();
  std::string Request = fmt::format("GET {} HTTP/1.1\r\n"
                                    "Host: {}\r\n"
                                    "Upgrade: websocket\r\n"
                                    "Connection: Upgrade\r\n"
                                    "Sec-WebSocket-Key: {}\r\n"
                                    "Sec-WebSocket-Version: 13\r\n"
                                    "User-Agent: strata\r\n"
                                    "\r\n",
                                    PathAndQuery.str(), HostHeader.str(), Key);
  if (llvm::Error E = S.writeAll(Request, D))
    return E;
  std::string Rest;
  llvm::Expected<std::string> HeadText = readHead(S, D, Rest, "server");
  if (!HeadText)
    return HeadText.takeError();
  llvm::Expected<HttpHead> Head = parseHttpHead(*HeadText);
  if (!Head)
    return wireError(FailureKind::Protocol, "not a WebSocket server: the reply is not HTTP (" +
                                                llvm::toString(Head.takeError()) + ")");
  StringRef Status = Head->StartLine;
  if (!Status.startswith("HTTP/1."))
    return wireError(FailureKind::Protocol,
                     fmt::format("not a WebSocket server: it answered `{}`", excerpt(Status)));
  if (!Status.substr(8).trim().startswith("101")) {
    // Servers explain a refusal in the body; show its start.
    std::string Body = Rest;
    return wireError(FailureKind::Protocol,
                     fmt::format("not a WebSocket server (or not at this path): it answered "
                                 "`{}` instead of `101 Switching Protocols`{}",
                                 excerpt(Status),
                                 Body.empty() ? "" : ": " + excerpt(StringRef(Body).trim())));
  }
  if (!Head->headerHasToken("Upgrade", "websocket"))
    return wireError(FailureKind::Protocol,
                     "the server answered 101 but not with `Upgrade: websocket`");
  llvm::Optional<StringRef> Accept = Head->header("Sec-WebSocket-Accept");
  if (!Accept || *Accept != acceptKey(Key))
    return wireError(FailureKind::Protocol,
                     "the server's Sec-WebSocket-Accept does not match the key sent");
  return Connection(std::move(S), Role::Client, std::move(Rest));
}

llvm::Expected<UpgradeRequest> ws::readUpgradeRequest(Socket &S, Deadline D) {
  UpgradeRequest Req;
  llvm::Expected<std::string> HeadText = readHead(S, D, Req.AlreadyRead, "client");
  if (!HeadText)
    return HeadText.takeError();
  llvm::Expected<HttpHead> Head = parseHttpHead(*HeadText);
  if (!Head)
    return Head.takeError();
  Req.Head = std::move(*Head);
  llvm::SmallVector<StringRef, 3> Parts;
  StringRef(Req.Head.StartLine).split(Parts, ' ', 2, false);
  if (Parts.size() != 3 || !Parts[2].startswith("HTTP/1."))
    return wireError(FailureKind::Protocol,
                     fmt::format("malformed HTTP request line `{}`", excerpt(Req.Head.StartLine)));
  Req.Method = Parts[0].str();
  Req.Target = Parts[1].str();
  return Req;
}

namespace {
llvm::Optional<std::pair<int, std::string>> refusal(int Status, const char *Why) {
  return std::make_pair(Status, std::string(Why));
}
} // namespace

llvm::Optional<std::pair<int, std::string>> ws::checkUpgrade(const UpgradeRequest &Req) {
  if (Req.Method != "GET")
    return refusal(405, "only GET can be upgraded to a WebSocket");
  if (!Req.Head.headerHasToken("Upgrade", "websocket") ||
      !Req.Head.headerHasToken("Connection", "upgrade"))
    return refusal(426, "this endpoint speaks WebSocket: send an Upgrade request");
  if (Req.Head.header("Sec-WebSocket-Version").getValueOr("") != "13")
    return refusal(426, "only WebSocket version 13 is supported");
  llvm::Optional<StringRef> Key = Req.Head.header("Sec-WebSocket-Key");
  if (!Key || Key->trim().empty())
    return refusal(400, "missing Sec-WebSocket-Key");
  return llvm::None;
}

llvm::Expected<Connection> ws::acceptUpgrade(Socket S, UpgradeRequest Req, Deadline D) {
  std::string Response = fmt::format("HTTP/1.1 101 Switching Protocols\r\n"
                                     "Upgrade: websocket\r\n"
                                     "Connection: Upgrade\r\n"
                                     "Sec-WebSocket-Accept: {}\r\n"
                                     "\r\n",
                                     acceptKey(*Req.Head.header("Sec-WebSocket-Key")));
  if (llvm::Error E = S.writeAll(Response, D))
    return E;
  return Connection(std::move(S), Connection::Role::Server, std::move(Req.AlreadyRead));
}

namespace {
const char *reasonPhrase(int Status) {
  switch (Status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 426:
    return "Upgrade Required";
  case 503:
    return "Service Unavailable";
  default:
    return "Error";
  }
}
} // namespace

llvm::Error ws::writeHttpResponse(Socket &S, int Status, StringRef ContentType, StringRef Body,
                                  Deadline D) {
  std::string Response = fmt::format("HTTP/1.1 {} {}\r\n"
                                     "Content-Type: {}\r\n"
                                     "Content-Length: {}\r\n"
                                     "{}"
                                     "Connection: close\r\n"
                                     "\r\n",
                                     Status, reasonPhrase(Status), ContentType.str(), Body.size(),
                                     Status == 426 ? "Upgrade: websocket\r\n" : "");
  return S.writeAll(Response + Body.str(), D);
}

//===-- Framing -----------------------------------------------------------===//

std::string ws::encodeFrame(Opcode Op, StringRef Payload, bool Fin,
                            llvm::Optional<std::array<uint8_t, 4>> Mask) {
  std::string Out;
  Out.reserve(Payload.size() + 14);
  Out += char((Fin ? 0x80 : 0x00) | uint8_t(Op));
  uint8_t MaskBit = Mask ? 0x80 : 0x00;
  uint64_t Len = Payload.size();
  if (Len < 126) {
    Out += char(MaskBit | Len);
  } else if (Len <= 0xFFFF) {
    Out += char(MaskBit | 126);
    Out += char(Len >> 8);
    Out += char(Len);
  } else {
    Out += char(MaskBit | 127);
    for (int Shift = 56; Shift >= 0; Shift -= 8)
      Out += char(Len >> Shift);
  }
  if (!Mask) {
    Out += Payload;
    return Out;
  }
  for (uint8_t B : *Mask)
    Out += char(B);
  size_t Start = Out.size();
  Out += Payload;
  for (size_t I = 0; I < Payload.size(); ++I)
    Out[Start + I] = char(uint8_t(Out[Start + I]) ^ (*Mask)[I % 4]);
  return Out;
}

namespace {
bool isKnownOpcode(uint8_t Op) { return Op <= 0x2 || (Op >= 0x8 && Op <= 0xA); }
bool isControl(Opcode Op) { return uint8_t(Op) >= 0x8; }
} // namespace

llvm::Expected<size_t> ws::decodeFrame(StringRef Bytes, bool ExpectMasked, size_t MaxPayload,
                                       Frame &Out) {
  if (Bytes.size() < 2)
    return 0;
  auto Byte = [&](size_t I) { return uint8_t(Bytes[I]); };
  uint8_t B0 = Byte(0), B1 = Byte(1);
  if (B0 & 0x70)
    return wireError(FailureKind::Protocol, "a frame sets reserved bits (no extension was "
                                            "negotiated)");
  if (!isKnownOpcode(B0 & 0x0F))
    return wireError(FailureKind::Protocol,
                     fmt::format("a frame has the unknown opcode {:#x}", B0 & 0x0F));
  Opcode Op = Opcode(B0 & 0x0F);
  bool Fin = B0 & 0x80;
  bool Masked = B1 & 0x80;
  if (Masked != ExpectMasked)
    return wireError(FailureKind::Protocol,
                     ExpectMasked ? "a client frame is not masked" : "a server frame is masked");
  uint64_t Len = B1 & 0x7F;
  size_t Pos = 2;
  if (Len == 126) {
    if (Bytes.size() < 4)
      return 0;
    Len = (uint64_t(Byte(2)) << 8) | Byte(3);
    Pos = 4;
  } else if (Len == 127) {
    if (Bytes.size() < 10)
      return 0;
    Len = 0;
    for (size_t I = 2; I < 10; ++I)
      Len = (Len << 8) | Byte(I);
    if (Len >> 63)
      return wireError(FailureKind::Protocol, "a frame length has its top bit set");
    Pos = 10;
  }
  if (isControl(Op) && (!Fin || Len > 125))
    return wireError(FailureKind::Protocol,
                     "a control frame is fragmented or longer than 125 bytes");
  if (Len > MaxPayload)
    return wireError(FailureKind::TooBig,
                     fmt::format("a message of {} bytes exceeds the {} MiB limit", Len,
                                 MaxPayload / (1024 * 1024)));
  std::array<uint8_t, 4> Mask{};
  if (Masked) {
    if (Bytes.size() < Pos + 4)
      return 0;
    for (size_t I = 0; I < 4; ++I)
      Mask[I] = Byte(Pos + I);
    Pos += 4;
  }
  if (Bytes.size() - Pos < Len)
    return 0;
  Out.Fin = Fin;
  Out.Op = Op;
  Out.Payload.assign(Bytes.data() + Pos, size_t(Len));
  if (Masked)
    for (size_t I = 0; I < Out.Payload.size(); ++I)
      Out.Payload[I] = char(uint8_t(Out.Payload[I]) ^ Mask[I % 4]);
  return Pos + size_t(Len);
}

std::string ws::closePayload(uint16_t Status, StringRef Reason) {
  std::string Out;
  Out += char(Status >> 8);
  Out += char(Status & 0xFF);
  Out += Reason.take_front(123);
  return Out;
}

//===-- Connection --------------------------------------------------------===//

llvm::Error Connection::sendFrame(Opcode Op, StringRef Payload, Deadline D) {
  llvm::Optional<std::array<uint8_t, 4>> Mask;
  if (TheRole == Role::Client)
    Mask = randomMask();
  return Sock.writeAll(encodeFrame(Op, Payload, /*Fin=*/true, Mask), D);
}

llvm::Error Connection::sendText(StringRef Text, Deadline D) {
  if (CloseSent)
    return wireError(FailureKind::Closed, "the connection is closing");
  if (Text.size() > MaxMessageBytes)
    return wireError(FailureKind::TooBig,
                     fmt::format("a message of {} bytes exceeds the {} MiB limit", Text.size(),
                                 MaxMessageBytes / (1024 * 1024)));
  return sendFrame(Opcode::Text, Text, D);
}

llvm::Error Connection::sendPing(StringRef Payload, Deadline D) {
  return sendFrame(Opcode::Ping, Payload.take_front(125), D);
}

void Connection::close(uint16_t Status, StringRef Reason, Deadline D) {
  if (CloseSent || !Sock.valid())
    return;
  CloseSent = true;
  llvm::consumeError(sendFrame(Opcode::Close, closePayload(Status, Reason), D));
}

llvm::Error Connection::fail(uint16_t Status, std::string Message, Deadline D) {
  close(Status, "", D);
  return wireError(FailureKind::Protocol, std::move(Message));
}

llvm::Expected<Frame> Connection::readFrame(Deadline D) {
  for (;;) {
    Frame F;
    llvm::Expected<size_t> Used =
        decodeFrame(In, /*ExpectMasked=*/TheRole == Role::Server, MaxMessageBytes, F);
    if (!Used) {
      llvm::Error E = Used.takeError();
      uint16_t Status = failureKind(E) == FailureKind::TooBig ? CloseTooBig : CloseProtocolError;
      close(Status, "", D);
      return E;
    }
    if (*Used) {
      In.erase(0, *Used);
      return F;
    }
    if (llvm::Error E = Sock.readSome(In, D))
      return E;
  }
}

llvm::Expected<std::string> Connection::readMessage(Deadline D) {
  for (;;) {
    llvm::Expected<Frame> F = readFrame(D);
    if (!F)
      return F.takeError();
    switch (F->Op) {
    case Opcode::Ping:
      if (!CloseSent)
        if (llvm::Error E = sendFrame(Opcode::Pong, F->Payload, D))
          return E;
      continue;
    case Opcode::Pong:
      ++Pongs;
      continue;
    case Opcode::Close: {
      if (F->Payload.size() == 1)
        return fail(CloseProtocolError, "a close frame has a 1-byte payload", D);
      uint16_t Status = F->Payload.size() >= 2
                            ? uint16_t((uint8_t(F->Payload[0]) << 8) | uint8_t(F->Payload[1]))
                            : 0;
      // Echo the status, as RFC 6455 section 5.5.1 asks.
      close(Status ? Status : uint16_t(CloseNormal), "", D);
      std::string Reason = F->Payload.size() > 2 ? excerpt(F->Payload.substr(2)) : "";
      std::string Text = "closed by the peer";
      if (Status)
        Text += fmt::format(" with status {}{}", Status, Reason.empty() ? "" : ": " + Reason);
      return wireError(FailureKind::Closed, std::move(Text));
    }
    case Opcode::Binary:
      return fail(CloseUnsupportedData, "received a binary message; the protocol is JSON text", D);
    case Opcode::Text:
      if (InMessage)
        return fail(CloseProtocolError,
                    "a new message started before the previous fragmented "
                    "message ended",
                    D);
      Pending = std::move(F->Payload);
      InMessage = true;
      break;
    case Opcode::Continuation:
      if (!InMessage)
        return fail(CloseProtocolError, "a continuation frame arrived outside a message", D);
      if (Pending.size() + F->Payload.size() > MaxMessageBytes)
        return fail(CloseTooBig,
                    fmt::format("a fragmented message exceeds the {} MiB limit",
                                MaxMessageBytes / (1024 * 1024)),
                    D);
      Pending += F->Payload;
      break;
    }
    if (F->Fin) {
      InMessage = false;
      // RFC 6455 section 8.1: a text message that is not UTF-8 fails the
      // connection (the server's WebSocket library closes it too).
      if (!llvm::json::isUTF8(Pending))
        return fail(CloseInvalidPayload, "a text message is not valid UTF-8", D);
      return std::exchange(Pending, std::string());
    }
  }
}
