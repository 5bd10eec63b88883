//===- WebSocketFuzzer.cpp - libFuzzer target for WebSocket framing -------===//
//
// Arbitrary bytes as they arrive on a WebSocket connection (lib/Exec/
// WebSocket.cpp), read three ways:
//  1. decodeFrame over the bytes, frame after frame, as a server (masked
//     frames expected) and as a client, with a small payload limit so that
//     oversized frames are refused: every decoded frame must take bytes
//     from the input, respect the limit and the control-frame rules, and
//     encode back (encodeFrame) to bytes that decode to the same frame;
//  2. a server's Connection reading whole messages from the bytes through
//     an in-process socket pair (no network; the peer's end is closed after
//     the bytes, so every read ends): fragments joined, pings answered,
//     close frames and protocol errors turned into errors. Input that
//     starts like an HTTP request (`GET `) first goes through the server's
//     upgrade request reader and checks, as `strata serve` reads it;
//  3. a client's Connection reading the same bytes as a server's frames.
// A violated property traps.
//
//===----------------------------------------------------------------------===//
#include "WebSocket.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace strata::exec;
using namespace strata::exec::ws;

namespace {
[[noreturn]] void violation(llvm::StringRef What) {
  llvm::errs() << What << "\n";
  __builtin_trap();
}

constexpr size_t SmallLimit = 1024;

bool sameFrame(const Frame &A, const Frame &B) {
  return A.Fin == B.Fin && A.Op == B.Op && A.Payload == B.Payload;
}

void decodeAll(llvm::StringRef Bytes, bool ExpectMasked) {
  while (!Bytes.empty()) {
    Frame F;
    llvm::Expected<size_t> Used = decodeFrame(Bytes, ExpectMasked, SmallLimit, F);
    if (!Used) {
      llvm::consumeError(Used.takeError());
      return;
    }
    if (*Used == 0)
      return; // an incomplete frame: a reader waits for more bytes
    if (*Used < 2 || *Used > Bytes.size())
      violation("decodeFrame took a number of bytes it was not given");
    if (F.Payload.size() > SmallLimit)
      violation("decodeFrame accepted a payload over the limit");
    if (uint8_t(F.Op) >= 0x8 && (!F.Fin || F.Payload.size() > 125))
      violation("decodeFrame accepted a fragmented or long control frame");
    llvm::Optional<std::array<uint8_t, 4>> Mask;
    if (ExpectMasked)
      Mask = std::array<uint8_t, 4>{0x12, 0x34, 0x56, 0x78};
    std::string Again = encodeFrame(F.Op, F.Payload, F.Fin, Mask);
    Frame G;
    llvm::Expected<size_t> UsedAgain = decodeFrame(Again, ExpectMasked, SmallLimit, G);
    if (!UsedAgain)
      violation("an encoded frame does not decode: " + llvm::toString(UsedAgain.takeError()));
    if (*UsedAgain != Again.size() || !sameFrame(F, G))
      violation("a frame changed through encodeFrame and decodeFrame");
    Bytes = Bytes.drop_front(*Used);
  }
}

/// Our end of a socket pair whose other end has sent Bytes and then shut
/// down its writing side. Both ends are non-blocking, so a reply that
/// fills the buffer times out instead of hanging. PeerFd is closed by the
/// caller once the connection is done.
llvm::Optional<Socket> feedingSocket(llvm::StringRef Bytes, int &PeerFd) {
  int Fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, Fds) != 0)
    return llvm::None;
  for (int Fd : Fds)
    ::fcntl(Fd, F_SETFL, ::fcntl(Fd, F_GETFL) | O_NONBLOCK);
  size_t Sent = 0;
  while (Sent < Bytes.size()) {
    ssize_t N = ::send(Fds[1], Bytes.data() + Sent, Bytes.size() - Sent, MSG_NOSIGNAL);
    if (N <= 0)
      break; // more than the buffer holds: the rest is not sent
    Sent += size_t(N);
  }
  ::shutdown(Fds[1], SHUT_WR);
  PeerFd = Fds[1];
  return Socket(Fds[0]);
}

void readMessages(Connection &C) {
  for (unsigned I = 0; I < 10000; ++I) {
    llvm::Expected<std::string> M = C.readMessage(deadlineIn(std::chrono::seconds(2)));
    if (!M) {
      llvm::consumeError(M.takeError());
      return;
    }
    if (M->size() > MaxMessageBytes)
      violation("readMessage returned a message over the limit");
  }
}

void serve(llvm::StringRef Bytes) {
  int PeerFd = -1;
  llvm::Optional<Socket> S = feedingSocket(Bytes, PeerFd);
  if (!S)
    return;
  if (Bytes.startswith("GET ")) {
    llvm::Expected<UpgradeRequest> Req =
        readUpgradeRequest(*S, deadlineIn(std::chrono::seconds(2)));
    if (!Req) {
      llvm::consumeError(Req.takeError());
    } else if (!checkUpgrade(*Req)) {
      llvm::Expected<Connection> C =
          acceptUpgrade(std::move(*S), std::move(*Req), deadlineIn(std::chrono::seconds(2)));
      if (C)
        readMessages(*C);
      else
        llvm::consumeError(C.takeError());
    }
  } else {
    Connection C(std::move(*S), Connection::Role::Server);
    readMessages(C);
  }
  ::close(PeerFd);
}

void readAsClient(llvm::StringRef Bytes) {
  int PeerFd = -1;
  llvm::Optional<Socket> S = feedingSocket(Bytes, PeerFd);
  if (!S)
    return;
  {
    Connection C(std::move(*S), Connection::Role::Client);
    readMessages(C);
  }
  ::close(PeerFd);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Bytes(reinterpret_cast<const char *>(Data), Size);
  decodeAll(Bytes, /*ExpectMasked=*/true);
  decodeAll(Bytes, /*ExpectMasked=*/false);
  serve(Bytes);
  readAsClient(Bytes);
  return 0;
}
