//===- WebSocketTest.cpp - Framing, handshake, replies, the ws:// client ---===//
#include "../lib/Exec/WebSocket.h"
#include "../lib/Exec/ReplyStream.h"
#include "strata/Exec/Credentials.h"
#include "strata/Exec/WsTarget.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <poll.h>
#include <sys/socket.h>
#include <thread>

using namespace strata;
using namespace strata::exec;
using namespace strata::exec::ws;
using llvm::json::Object;
using llvm::json::Value;

namespace {
std::string bytes(std::initializer_list<int> List) {
  std::string S;
  for (int B : List)
    S += char(B);
  return S;
}

std::string errorText(llvm::Error E) { return llvm::toString(std::move(E)); }

Deadline soon() { return deadlineIn(std::chrono::seconds(5)); }

/// Decodes all of Bytes as exactly one frame.
Frame decodeWhole(llvm::StringRef Bytes, bool ExpectMasked) {
  Frame F;
  llvm::Expected<size_t> Used = decodeFrame(Bytes, ExpectMasked, MaxMessageBytes, F);
  EXPECT_TRUE(bool(Used)) << (Used ? "" : errorText(Used.takeError()));
  if (Used) {
    EXPECT_EQ(*Used, Bytes.size());
  }
  return F;
}

std::string decodeError(llvm::StringRef Bytes, bool ExpectMasked, size_t Max = MaxMessageBytes) {
  Frame F;
  llvm::Expected<size_t> Used = decodeFrame(Bytes, ExpectMasked, Max, F);
  if (Used)
    return "decoded " + std::to_string(*Used) + " bytes";
  return errorText(Used.takeError());
}

/// Two connected sockets (client end first).
std::pair<Socket, Socket> socketPair() {
  int Fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, Fds), 0);
  return {Socket(Fds[0]), Socket(Fds[1])};
}
} // namespace

//===-- Handshake -----------------------------------------------------------===//

TEST(WebSocketHandshake, AcceptKeyMatchesTheRfcExample) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, RandomKeysAreSixteenBytesOfBase64) {
  std::string A = randomKey(), B = randomKey();
  EXPECT_EQ(A.size(), 24u);
  EXPECT_TRUE(llvm::StringRef(A).endswith("=="));
  EXPECT_NE(A, B);
}

TEST(WebSocketHandshake, ParsesHeadsCaseInsensitively) {
  llvm::Expected<HttpHead> H = parseHttpHead("HTTP/1.1 101 Switching Protocols\r\n"
                                             "upgrade: WebSocket\r\n"
                                             "Connection: keep-alive, Upgrade\r\n");
  ASSERT_TRUE(bool(H));
  EXPECT_EQ(H->StartLine, "HTTP/1.1 101 Switching Protocols");
  EXPECT_TRUE(H->headerHasToken("Upgrade", "websocket"));
  EXPECT_TRUE(H->headerHasToken("connection", "upgrade"));
  EXPECT_FALSE(H->header("Sec-WebSocket-Accept").hasValue());
  EXPECT_NE(errorText(parseHttpHead("GET / HTTP/1.1\r\nno colon here").takeError())
                .find("malformed HTTP header"),
            std::string::npos);
}

TEST(WebSocketHandshake, PercentEncodingRoundTrips) {
  EXPECT_EQ(percentEncode("my_graph-1.x~"), "my_graph-1.x~");
  EXPECT_EQ(percentEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(percentDecode("a%20b%26c%3Dd%2F%C3%A9"), "a b&c=d/é");
  EXPECT_EQ(percentDecode("bad%zzend%4"), "bad%zzend%4");
}

TEST(WebSocketHandshake, ClientAndServerAgree) {
  auto [ClientEnd, ServerEnd] = socketPair();
  std::string Target, Host;
  std::thread Server([&, ServerSock = std::move(ServerEnd)]() mutable {
    llvm::Expected<UpgradeRequest> Req = readUpgradeRequest(ServerSock, soon());
    ASSERT_TRUE(bool(Req));
    EXPECT_FALSE(checkUpgrade(*Req).hasValue());
    Target = Req->Target;
    Host = Req->Head.header("Host").getValueOr("").str();
    llvm::Expected<Connection> C = acceptUpgrade(std::move(ServerSock), std::move(*Req), soon());
    ASSERT_TRUE(bool(C));
    llvm::Expected<std::string> M = C->readMessage(soon());
    ASSERT_TRUE(bool(M));
    EXPECT_FALSE(bool(C->sendText("echo " + *M, soon())));
  });
  llvm::Expected<Connection> C =
      Connection::openClient(std::move(ClientEnd), "example:8080", "/ws?kg=g", soon());
  ASSERT_TRUE(bool(C)) << errorText(C.takeError());
  EXPECT_FALSE(bool(C->sendText("hi", soon())));
  llvm::Expected<std::string> Reply = C->readMessage(soon());
  ASSERT_TRUE(bool(Reply));
  EXPECT_EQ(*Reply, "echo hi");
  Server.join();
  EXPECT_EQ(Target, "/ws?kg=g");
  EXPECT_EQ(Host, "example:8080");
}

TEST(WebSocketHandshake, ServerRefusesWhatIsNotAnUpgrade) {
  UpgradeRequest Req;
  Req.Method = "GET";
  Req.Head = *parseHttpHead("GET /ws HTTP/1.1\r\nHost: x");
  EXPECT_EQ(checkUpgrade(Req)->first, 426);
  Req.Head = *parseHttpHead("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Version: 13");
  EXPECT_EQ(checkUpgrade(Req)->first, 400); // no key
  Req.Method = "POST";
  EXPECT_EQ(checkUpgrade(Req)->first, 405);
}

TEST(WebSocketHandshake, ClientRejectsAnHttpAnswer) {
  auto [ClientEnd, ServerEnd] = socketPair();
  std::thread Server([ServerSock = std::move(ServerEnd)]() mutable {
    std::string Ignored;
    llvm::consumeError(ServerSock.readSome(Ignored, soon()));
    llvm::consumeError(writeHttpResponse(ServerSock, 404, "text/plain", "nothing here", soon()));
  });
  llvm::Expected<Connection> C = Connection::openClient(std::move(ClientEnd), "h:1", "/ws", soon());
  ASSERT_FALSE(bool(C));
  std::string Message = errorText(C.takeError());
  EXPECT_NE(Message.find("not a WebSocket server"), std::string::npos) << Message;
  EXPECT_NE(Message.find("HTTP/1.1 404 Not Found"), std::string::npos) << Message;
  EXPECT_NE(Message.find("nothing here"), std::string::npos) << Message;
  Server.join();
}

TEST(WebSocketHandshake, ClientRejectsAWrongAcceptKey) {
  auto [ClientEnd, ServerEnd] = socketPair();
  std::thread Server([ServerSock = std::move(ServerEnd)]() mutable {
    std::string Ignored;
    llvm::consumeError(ServerSock.readSome(Ignored, soon()));
    llvm::consumeError(ServerSock.writeAll("HTTP/1.1 101 Switching Protocols\r\n"
                                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                           "Sec-WebSocket-Accept: bogus\r\n\r\n",
                                           soon()));
  });
  llvm::Expected<Connection> C = Connection::openClient(std::move(ClientEnd), "h:1", "/ws", soon());
  ASSERT_FALSE(bool(C));
  EXPECT_NE(errorText(C.takeError()).find("Sec-WebSocket-Accept does not match"),
            std::string::npos);
  Server.join();
}

//===-- Framing -------------------------------------------------------------===//

TEST(WebSocketFraming, EncodesTheRfcExamples) {
  // RFC 6455 section 5.7: "Hello", unmasked and masked with 37 fa 21 3d.
  EXPECT_EQ(encodeFrame(Opcode::Text, "Hello", true, llvm::None),
            bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  EXPECT_EQ(
      encodeFrame(Opcode::Text, "Hello", true, std::array<uint8_t, 4>{0x37, 0xfa, 0x21, 0x3d}),
      bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
  // A fragmented "Hel" + "lo".
  EXPECT_EQ(encodeFrame(Opcode::Text, "Hel", false, llvm::None),
            bytes({0x01, 0x03, 0x48, 0x65, 0x6c}));
  EXPECT_EQ(encodeFrame(Opcode::Continuation, "lo", true, llvm::None),
            bytes({0x80, 0x02, 0x6c, 0x6f}));
}

TEST(WebSocketFraming, DecodesMaskedAndUnmasked) {
  Frame F = decodeWhole(bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}),
                        /*ExpectMasked=*/true);
  EXPECT_EQ(F.Payload, "Hello");
  EXPECT_TRUE(F.Fin);
  EXPECT_EQ(F.Op, Opcode::Text);
  F = decodeWhole(bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}), false);
  EXPECT_EQ(F.Op, Opcode::Ping);
  EXPECT_EQ(F.Payload, "Hello");
}

TEST(WebSocketFraming, ExtendedLengthsRoundTrip) {
  for (size_t Size : {125u, 126u, 256u, 65535u, 65536u, 70000u}) {
    std::string Payload(Size, 'x');
    Payload[Size - 1] = 'y';
    std::string Wire = encodeFrame(Opcode::Text, Payload, true, std::array<uint8_t, 4>{1, 2, 3, 4});
    size_t Header = Size < 126 ? 2 : Size <= 65535 ? 4 : 10;
    EXPECT_EQ(Wire.size(), Header + 4 + Size);
    EXPECT_EQ(decodeWhole(Wire, true).Payload, Payload);
  }
}

TEST(WebSocketFraming, PartialFramesNeedMoreBytes) {
  std::string Wire =
      encodeFrame(Opcode::Text, std::string(300, 'z'), true, std::array<uint8_t, 4>{9, 8, 7, 6});
  for (size_t Cut = 0; Cut < Wire.size(); ++Cut) {
    Frame F;
    llvm::Expected<size_t> Used =
        decodeFrame(llvm::StringRef(Wire).take_front(Cut), true, MaxMessageBytes, F);
    ASSERT_TRUE(bool(Used));
    EXPECT_EQ(*Used, 0u) << "cut at " << Cut;
  }
}

TEST(WebSocketFraming, RejectsProtocolViolations) {
  EXPECT_NE(decodeError(bytes({0xC1, 0x00}), false).find("reserved bits"), std::string::npos);
  EXPECT_NE(decodeError(bytes({0x83, 0x00}), false).find("unknown opcode 0x3"), std::string::npos);
  EXPECT_NE(decodeError(bytes({0x81, 0x80, 0, 0, 0, 0}), false).find("server frame is masked"),
            std::string::npos);
  EXPECT_NE(decodeError(bytes({0x81, 0x00}), true).find("client frame is not masked"),
            std::string::npos);
  EXPECT_NE(decodeError(bytes({0x09, 0x00}), false).find("control frame"), std::string::npos);
  EXPECT_NE(decodeError(bytes({0x89, 0x7E, 0x00, 0x7E}), false).find("control frame"),
            std::string::npos);
  EXPECT_NE(decodeError(bytes({0x81, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0}), false).find("top bit"),
            std::string::npos);
}

TEST(WebSocketFraming, RejectsOversizeBeforeReadingThePayload) {
  // A header announcing 17 MiB is refused at once, without the payload.
  std::string Header = bytes({0x81, 0x7F, 0, 0, 0, 0, 0x01, 0x10, 0, 0});
  std::string Message = decodeError(Header, false);
  EXPECT_NE(Message.find("exceeds the 16 MiB limit"), std::string::npos) << Message;
  Frame F;
  llvm::Expected<size_t> Used = decodeFrame(Header, false, MaxMessageBytes, F);
  ASSERT_FALSE(bool(Used));
  llvm::Error E = Used.takeError();
  EXPECT_EQ(failureKind(E), FailureKind::TooBig);
  llvm::consumeError(std::move(E));
}

TEST(WebSocketFraming, ClosePayloadCarriesStatusAndReason) {
  EXPECT_EQ(closePayload(1000, "bye"), bytes({0x03, 0xE8, 'b', 'y', 'e'}));
  EXPECT_EQ(closePayload(1001, std::string(200, 'r')).size(), 125u);
}

//===-- Connections over a socket pair ----------------------------------------===//

namespace {
/// A client Connection whose peer writes raw, unmasked server frames.
struct RawPeer {
  Socket Peer;
  llvm::Optional<Connection> Client;
  RawPeer() {
    auto [A, B] = socketPair();
    Client.emplace(std::move(A), Connection::Role::Client);
    Peer = std::move(B);
  }
  void write(const std::string &Bytes) { ASSERT_FALSE(bool(Peer.writeAll(Bytes, soon()))); }
  /// Everything the client sent, decoded (it masks every frame).
  std::vector<Frame> received() {
    std::string In;
    std::vector<Frame> Out;
    while (!Peer.readSome(In, deadlineIn(std::chrono::milliseconds(100)))) {
    }
    for (;;) {
      Frame F;
      llvm::Expected<size_t> Used = decodeFrame(In, true, MaxMessageBytes, F);
      if (!Used) {
        llvm::consumeError(Used.takeError());
        break;
      }
      if (!*Used)
        break;
      In.erase(0, *Used);
      Out.push_back(F);
    }
    return Out;
  }
};
} // namespace

TEST(WebSocketConnection, JoinsFragmentsAndAnswersPingsBetweenThem) {
  RawPeer P;
  P.write(encodeFrame(Opcode::Text, "{\"a\":", false, llvm::None) +
          encodeFrame(Opcode::Ping, "beat", true, llvm::None) +
          encodeFrame(Opcode::Continuation, "1", false, llvm::None) +
          encodeFrame(Opcode::Pong, "", true, llvm::None) +
          encodeFrame(Opcode::Continuation, "}", true, llvm::None));
  llvm::Expected<std::string> M = P.Client->readMessage(soon());
  ASSERT_TRUE(bool(M)) << errorText(M.takeError());
  EXPECT_EQ(*M, "{\"a\":1}");
  EXPECT_EQ(P.Client->pongsReceived(), 1u);
  std::vector<Frame> Sent = P.received();
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(Sent[0].Op, Opcode::Pong);
  EXPECT_EQ(Sent[0].Payload, "beat");
}

TEST(WebSocketConnection, CloseIsReportedWithItsStatusAndEchoed) {
  RawPeer P;
  P.write(encodeFrame(Opcode::Close, closePayload(1001, "going away"), true, llvm::None));
  llvm::Expected<std::string> M = P.Client->readMessage(soon());
  ASSERT_FALSE(bool(M));
  llvm::Error E = M.takeError();
  EXPECT_EQ(failureKind(E), FailureKind::Closed);
  EXPECT_EQ(errorText(std::move(E)), "closed by the peer with status 1001: going away");
  std::vector<Frame> Sent = P.received();
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(Sent[0].Op, Opcode::Close);
  EXPECT_EQ(Sent[0].Payload.substr(0, 2), bytes({0x03, 0xE9}));
}

TEST(WebSocketConnection, PeerVanishingIsClosed) {
  RawPeer P;
  P.Peer = Socket();
  llvm::Expected<std::string> M = P.Client->readMessage(soon());
  ASSERT_FALSE(bool(M));
  llvm::Error E = M.takeError();
  EXPECT_EQ(failureKind(E), FailureKind::Closed);
  llvm::consumeError(std::move(E));
}

TEST(WebSocketConnection, ViolationsSendTheMatchingCloseStatus) {
  struct Case {
    std::string Wire, Message;
    uint16_t Status;
  } Cases[] = {
      {encodeFrame(Opcode::Continuation, "x", true, llvm::None), "continuation frame", 1002},
      {encodeFrame(Opcode::Text, "a", false, llvm::None) +
           encodeFrame(Opcode::Text, "b", true, llvm::None),
       "new message started", 1002},
      {encodeFrame(Opcode::Binary, "x", true, llvm::None), "binary message", 1003},
      {encodeFrame(Opcode::Text, bytes({0x7B, 0xFF, 0x7D}), true, llvm::None), "not valid UTF-8",
       1007},
      {bytes({0x81, 0x7F, 0, 0, 0, 0, 0x02, 0, 0, 0}), "exceeds the 16 MiB limit", 1009},
  };
  for (const Case &C : Cases) {
    RawPeer P;
    P.write(C.Wire);
    llvm::Expected<std::string> M = P.Client->readMessage(soon());
    ASSERT_FALSE(bool(M));
    std::string Message = errorText(M.takeError());
    EXPECT_NE(Message.find(C.Message), std::string::npos) << Message;
    std::vector<Frame> Sent = P.received();
    ASSERT_EQ(Sent.size(), 1u) << C.Message;
    EXPECT_EQ(Sent[0].Op, Opcode::Close);
    EXPECT_EQ(uint16_t((uint8_t(Sent[0].Payload[0]) << 8) | uint8_t(Sent[0].Payload[1])), C.Status)
        << C.Message;
  }
}

TEST(WebSocketConnection, FragmentsAddingUpToTooMuchAreRefused) {
  RawPeer P;
  std::string Half(MaxMessageBytes / 2 + 1, 'x');
  std::thread Writer([&] {
    llvm::consumeError(
        P.Peer.writeAll(encodeFrame(Opcode::Text, Half, false, llvm::None) +
                            encodeFrame(Opcode::Continuation, Half, true, llvm::None),
                        soon()));
  });
  llvm::Expected<std::string> M = P.Client->readMessage(soon());
  Writer.join();
  ASSERT_FALSE(bool(M));
  EXPECT_NE(errorText(M.takeError()).find("fragmented message exceeds"), std::string::npos);
}

TEST(WebSocketConnection, ReadsTimeOut) {
  RawPeer P;
  llvm::Expected<std::string> M = P.Client->readMessage(deadlineIn(std::chrono::milliseconds(50)));
  ASSERT_FALSE(bool(M));
  llvm::Error E = M.takeError();
  EXPECT_EQ(failureKind(E), FailureKind::Timeout);
  llvm::consumeError(std::move(E));
}

TEST(WebSocketConnection, AnInterruptStopsAWait) {
  RawPeer P;
  int Fds[2];
  ASSERT_EQ(::pipe(Fds), 0);
  P.Client->socket().setInterrupt(Fds[0]);
  ASSERT_EQ(::write(Fds[1], "x", 1), 1);
  llvm::Expected<std::string> M = P.Client->readMessage(llvm::None);
  ASSERT_FALSE(bool(M));
  llvm::Error E = M.takeError();
  EXPECT_EQ(failureKind(E), FailureKind::Interrupted);
  llvm::consumeError(std::move(E));
  ::close(Fds[0]);
  ::close(Fds[1]);
}

TEST(WebSocketConnection, AWakeKeepsAHalfReadMessage) {
  // A server's connection is woken to send pushes while a client's
  // fragmented message is half read: the next read finishes the message.
  RawPeer P;
  int Fds[2];
  ASSERT_EQ(::pipe(Fds), 0);
  P.Client->socket().setWake(Fds[0]);
  P.write(encodeFrame(Opcode::Text, "hel", /*Fin=*/false, llvm::None));
  ASSERT_EQ(::write(Fds[1], "x", 1), 1);
  llvm::Expected<std::string> M = P.Client->readMessage(soon());
  ASSERT_FALSE(bool(M));
  llvm::Error E = M.takeError();
  EXPECT_EQ(failureKind(E), FailureKind::Woken);
  llvm::consumeError(std::move(E));
  char Byte;
  ASSERT_EQ(::read(Fds[0], &Byte, 1), 1); // drained, as the owner does
  P.write(encodeFrame(Opcode::Continuation, "lo", /*Fin=*/true, llvm::None));
  llvm::Expected<std::string> Whole = P.Client->readMessage(soon());
  ASSERT_TRUE(bool(Whole)) << llvm::toString(Whole.takeError());
  EXPECT_EQ(*Whole, "hello");
  // Writes never watch the wake descriptor.
  ASSERT_EQ(::write(Fds[1], "x", 1), 1);
  EXPECT_FALSE(bool(P.Client->sendText("still sends", soon())));
  ::close(Fds[0]);
  ::close(Fds[1]);
}

//===-- Replies out of frames -------------------------------------------------===//

namespace {
Value parse(const std::string &Text) {
  llvm::Expected<Value> V = llvm::json::parse(Text);
  EXPECT_TRUE(bool(V)) << Text;
  return V ? std::move(*V) : Value(nullptr);
}

/// Feeds every frame; returns the reply or the error text.
std::pair<llvm::Optional<Reply>, std::string> feedAll(ReplyStream &S,
                                                      const std::vector<std::string> &Frames) {
  for (const std::string &F : Frames) {
    llvm::Expected<llvm::Optional<Reply>> R = S.feed(parse(F), F);
    if (!R)
      return {llvm::None, errorText(R.takeError())};
    if (*R)
      return {std::move(*R), ""};
  }
  return {llvm::None, "incomplete"};
}

Reply numbers(size_t N) {
  Reply R;
  R.Columns = {"n", "s"};
  for (size_t I = 0; I < N; ++I)
    R.Rows.push_back({Cell(int64_t(I)), Cell("row " + std::to_string(I))});
  return R;
}
} // namespace

TEST(WebSocketReplies, SmallResultIsOneFrame) {
  std::vector<std::string> Frames = replyFrames(numbers(3), "7");
  ASSERT_EQ(Frames.size(), 1u);
  ReplyStream S("7");
  auto [R, Error] = feedAll(S, Frames);
  ASSERT_TRUE(R.hasValue()) << Error;
  EXPECT_EQ(R->Rows.size(), 3u);
}

TEST(WebSocketReplies, LargeResultStreamsInChunksAndReassembles) {
  FrameLimits Small;
  Small.FrameBudget = 200;
  Small.ChunkRows = 4;
  Reply Original = numbers(23);
  std::vector<std::string> Frames = replyFrames(Original, "q1", {}, Small);
  ASSERT_GT(Frames.size(), 3u);
  EXPECT_NE(Frames.front().find("\"result_start\""), std::string::npos);
  EXPECT_NE(Frames.back().find("\"result_end\""), std::string::npos);
  for (size_t I = 1; I + 1 < Frames.size(); ++I) {
    Value ChunkValue = parse(Frames[I]);
    const Object &Chunk = *ChunkValue.getAsObject();
    EXPECT_EQ(Chunk.getInteger("chunk_index"), int64_t(I - 1));
    EXPECT_LE(Chunk.getArray("rows")->size(), 4u);
  }
  // Unsolicited frames between chunks are not part of the reply.
  Frames.insert(Frames.begin() + 2,
                "{\"type\":\"persistent_update\",\"relation\":\"r\",\"seq\":1}");
  Frames.insert(Frames.begin() + 3, "{\"type\":\"notice\",\"code\":\"notifications_missed\","
                                    "\"message\":\"Missed 1 notification(s)\"}");
  ReplyStream S("q1");
  auto [R, Error] = feedAll(S, Frames);
  ASSERT_TRUE(R.hasValue()) << Error;
  EXPECT_EQ(R->Columns, Original.Columns);
  ASSERT_EQ(R->Rows.size(), 23u);
  for (size_t I = 0; I < 23; ++I)
    EXPECT_EQ(R->Rows[I], Original.Rows[I]);
}

TEST(WebSocketReplies, StreamViolationsAreErrors) {
  FrameLimits Small;
  Small.FrameBudget = 140;
  Small.ChunkRows = 3;
  std::vector<std::string> Frames = replyFrames(numbers(8), "", {}, Small);
  ASSERT_EQ(Frames.size(), 5u); // start, 3 chunks, end

  std::vector<std::string> Swapped = Frames;
  std::swap(Swapped[1], Swapped[2]);
  ReplyStream A("");
  EXPECT_NE(feedAll(A, Swapped).second.find("chunk 1 arrived where chunk 0 was expected"),
            std::string::npos);

  std::vector<std::string> Missing = Frames;
  Missing.erase(Missing.begin() + 2);
  ReplyStream B("");
  EXPECT_NE(feedAll(B, Missing).second.find("chunk 2 arrived where chunk 1"), std::string::npos);

  std::vector<std::string> Short = {Frames[0], Frames[1], Frames[4]};
  ReplyStream C("");
  EXPECT_NE(feedAll(C, Short).second.find("counts 3 chunks but 1 arrived"), std::string::npos);

  ReplyStream D("");
  EXPECT_NE(feedAll(D, {Frames[1]}).second.find("without `result_start`"), std::string::npos);
}

TEST(WebSocketReplies, AnErrorAfterResultStartEndsTheStream) {
  ReplyStream S("5");
  auto [R, Error] = feedAll(S, {"{\"type\":\"result_start\",\"id\":\"5\",\"columns\":[\"x\"]}",
                                "{\"type\":\"result_chunk\",\"id\":\"5\",\"chunk_index\":0,"
                                "\"rows\":[[1]]}",
                                "{\"type\":\"error\",\"id\":\"5\",\"message\":\"too large\"}"});
  ASSERT_TRUE(R.hasValue()) << Error;
  EXPECT_TRUE(R->IsError);
  EXPECT_EQ(R->ErrorMessage, "too large");
  EXPECT_TRUE(R->Rows.empty());
}

TEST(WebSocketReplies, OtherRequestsAndClosingNoticesAreErrors) {
  ReplyStream A("2");
  EXPECT_NE(feedAll(A, {"{\"type\":\"result\",\"id\":\"9\",\"columns\":[],\"rows\":[]}"})
                .second.find("for request `9` arrived while waiting for request `2`"),
            std::string::npos);
  ReplyStream B("2");
  EXPECT_EQ(feedAll(B, {"{\"type\":\"notice\",\"code\":\"idle_timeout\",\"message\":\"Idle "
                        "timeout\"}"})
                .second,
            "the server is closing the connection: Idle timeout (idle_timeout)");
  ReplyStream C("2");
  EXPECT_NE(feedAll(C, {"[1]"}).second.find("not a JSON object"), std::string::npos);
  ReplyStream D("2");
  EXPECT_NE(feedAll(D, {"{\"type\":\"auth_error\",\"message\":\"Authentication required.\"}"})
                .second.find("the server requires authentication"),
            std::string::npos);
}

TEST(WebSocketReplies, RowsTooLargeForAnyFrameBecomeAnError) {
  FrameLimits Tiny;
  Tiny.FrameBudget = 50;
  Tiny.MaxFrame = 150;
  Reply R;
  R.Columns = {"s"};
  R.Rows.push_back({Cell(std::string(200, 'x'))});
  std::vector<std::string> Frames = replyFrames(R, "", {}, Tiny);
  ASSERT_EQ(Frames.size(), 1u);
  EXPECT_NE(Frames[0].find("over the 150-byte message limit"), std::string::npos);
}

TEST(WebSocketReplies, StatementErrorsAreNotLost) {
  ReplyStream S("");
  auto [R, Error] = feedAll(
      S, {"{\"type\":\"result\",\"columns\":[\"message\"],\"rows\":[[\"Inserted 1 fact\"]],"
          "\"errors\":[{\"index\":1,\"code\":\"not_found\",\"message\":\"Rule 'x' not found\"}]}"});
  ASSERT_TRUE(R.hasValue()) << Error;
  ASSERT_EQ(R->Rows.size(), 2u);
  EXPECT_EQ(R->Rows[1][0], Cell("Error: statement 2: Rule 'x' not found"));

  // Found by strata-fuzz-json: the largest index overflowed when counted
  // from 1 (UBSan); a negative index is no statement number.
  ReplyStream Odd("");
  auto [O, OError] = feedAll(
      Odd,
      {"{\"type\":\"result\",\"columns\":[\"message\"],\"rows\":[],\"errors\":["
       "{\"index\":9223372036854775807,\"message\":\"a\"},{\"index\":-3,\"message\":\"b\"}]}"});
  ASSERT_TRUE(O.hasValue()) << OError;
  ASSERT_EQ(O->Rows.size(), 2u);
  EXPECT_EQ(O->Rows[0][0], Cell("Error: statement 9223372036854775808: a"));
  EXPECT_EQ(O->Rows[1][0], Cell("Error: b"));

  // A streamed query result with failed statements is not a success.
  ReplyStream Streamed("");
  auto [Q, QError] =
      feedAll(Streamed, {"{\"type\":\"result_start\",\"columns\":[\"x\"],\"errors\":[{\"index\":0,"
                         "\"code\":\"internal\",\"message\":\"boom\"}]}",
                         "{\"type\":\"result_chunk\",\"chunk_index\":0,\"rows\":[[1]]}",
                         "{\"type\":\"result_end\",\"row_count\":1,\"chunk_count\":1}"});
  ASSERT_TRUE(Q.hasValue()) << QError;
  EXPECT_TRUE(Q->IsError);
  EXPECT_EQ(Q->ErrorMessage, "Error: statement 1: boom");
}

//===-- Credentials ---------------------------------------------------------===//

namespace {
struct FakeEnv {
  std::map<std::string, std::string> Vars;
  EnvLookup lookup() const {
    return [this](llvm::StringRef Name) -> llvm::Optional<std::string> {
      auto It = Vars.find(Name.str());
      if (It == Vars.end() || It->second.empty())
        return llvm::None;
      return It->second;
    };
  }
};

std::string tempFile(const std::string &Contents) {
  llvm::SmallString<128> Path;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("strata-cred", "txt", Path));
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  OS << Contents;
  return std::string(Path);
}
} // namespace

TEST(WebSocketCredentials, NothingGivenIsEmpty) {
  FakeEnv Env;
  llvm::Expected<Credentials> C = credentialsFrom({}, Env.lookup());
  ASSERT_TRUE(bool(C));
  EXPECT_TRUE(C->empty());
}

TEST(WebSocketCredentials, FlagsBeatTheEnvironmentWhichBeatsTheFile) {
  std::string File = tempFile("# comment\nuser = filer\npassword = \"file pw\"\n");
  std::string PasswordFile = tempFile("flag pw\r\nignored second line\n");
  FakeEnv Env;
  Env.Vars = {
      {"STRATA_USER", "enver"}, {"STRATA_PASSWORD", "env pw"}, {"STRATA_CREDENTIALS_FILE", File}};

  llvm::Expected<Credentials> C = credentialsFrom({}, Env.lookup());
  ASSERT_TRUE(bool(C));
  EXPECT_EQ(C->User, "enver");
  EXPECT_EQ(C->Password, "env pw");

  CredentialFlags Flags;
  Flags.User = "flagger";
  Flags.PasswordFile = PasswordFile;
  C = credentialsFrom(Flags, Env.lookup());
  ASSERT_TRUE(bool(C));
  EXPECT_EQ(C->User, "flagger");
  EXPECT_EQ(C->Password, "flag pw");

  FakeEnv OnlyFile;
  OnlyFile.Vars = {{"STRATA_CREDENTIALS_FILE", File}};
  C = credentialsFrom({}, OnlyFile.lookup());
  ASSERT_TRUE(bool(C));
  EXPECT_EQ(C->User, "filer");
  EXPECT_EQ(C->Password, "file pw");
}

TEST(WebSocketCredentials, UserFlagTakesThePasswordFromTheEnvironment) {
  FakeEnv Env;
  Env.Vars = {{"STRATA_PASSWORD", "s3cret"}, {"STRATA_API_KEY", "key"}};
  CredentialFlags Flags;
  Flags.User = "alice";
  llvm::Expected<Credentials> C = credentialsFrom(Flags, Env.lookup());
  ASSERT_TRUE(bool(C));
  // The login from the flags outranks the environment's API key.
  EXPECT_EQ(C->User, "alice");
  EXPECT_EQ(C->Password, "s3cret");
  EXPECT_TRUE(C->ApiKey.empty());
}

TEST(WebSocketCredentials, ApiKeyWinsOverALoginOfTheSameLevel) {
  FakeEnv Env;
  Env.Vars = {{"STRATA_USER", "u"}, {"STRATA_PASSWORD", "p"}, {"STRATA_API_KEY", "k"}};
  llvm::Expected<Credentials> C = credentialsFrom({}, Env.lookup());
  ASSERT_TRUE(bool(C));
  EXPECT_EQ(C->ApiKey, "k");
  EXPECT_TRUE(C->User.empty());
}

TEST(WebSocketCredentials, ProblemsNameTheSourceNeverTheSecret) {
  FakeEnv Env;
  Env.Vars = {{"STRATA_PASSWORD", "hunter2"}};
  llvm::Expected<Credentials> C = credentialsFrom({}, Env.lookup());
  ASSERT_FALSE(bool(C));
  std::string Message = errorText(C.takeError());
  EXPECT_NE(Message.find("a password is given (STRATA_PASSWORD) but no user"), std::string::npos);
  EXPECT_EQ(Message.find("hunter2"), std::string::npos);

  CredentialFlags Flags;
  Flags.User = "bob";
  C = credentialsFrom(Flags, FakeEnv().lookup());
  ASSERT_FALSE(bool(C));
  EXPECT_NE(errorText(C.takeError()).find("a user is given (--user) but no password"),
            std::string::npos);

  Flags.PasswordFile = tempFile("");
  C = credentialsFrom(Flags, FakeEnv().lookup());
  ASSERT_FALSE(bool(C));
  EXPECT_NE(errorText(C.takeError()).find("is empty"), std::string::npos);

  Flags.PasswordFile = "/nonexistent/strata/pw";
  C = credentialsFrom(Flags, FakeEnv().lookup());
  ASSERT_FALSE(bool(C));
  EXPECT_NE(errorText(C.takeError()).find("cannot read the password file `/nonexistent/strata/pw`"),
            std::string::npos);

  CredentialFlags BadFile;
  BadFile.CredentialsFile = tempFile("user = a\ntoken = zzz-secret\n");
  C = credentialsFrom(BadFile, FakeEnv().lookup());
  ASSERT_FALSE(bool(C));
  Message = errorText(C.takeError());
  EXPECT_NE(Message.find(":2: unknown key `token`"), std::string::npos) << Message;
  EXPECT_EQ(Message.find("zzz-secret"), std::string::npos);
}

//===-- The ws:// client against a scripted server ----------------------------===//

namespace {
/// Accepts one connection on a loopback port and runs Script on it (after
/// the WebSocket handshake unless Raw).
class ScriptedServer {
public:
  using Script = std::function<void(Connection &)>;
  using RawScript = std::function<void(Socket &)>;

  explicit ScriptedServer(Script S) {
    start([S](Socket &Sock) { upgradeAndRun(Sock, S); });
  }
  explicit ScriptedServer(RawScript S, bool) { start(std::move(S)); }
  ~ScriptedServer() { Thread.join(); }

  TargetUrl url() const {
    TargetUrl U;
    U.TheScheme = TargetUrl::Scheme::Ws;
    U.Host = "127.0.0.1";
    U.Port = Port;
    U.Path = "/ws";
    U.Graph = "g1";
    U.Display = "ws://127.0.0.1:" + std::to_string(Port) + "/ws?kg=g1";
    return U;
  }

private:
  void start(RawScript S) {
    llvm::Expected<Listener> L = Listener::listen("127.0.0.1", 0);
    ASSERT_TRUE(bool(L));
    Port = L->port();
    Thread = std::thread([this, S, L = std::move(*L)]() mutable {
      pollfd P{L.fd(), POLLIN, 0};
      if (::poll(&P, 1, 5000) != 1)
        return;
      llvm::Expected<Socket> Sock = L.accept();
      if (!Sock)
        return llvm::consumeError(Sock.takeError());
      S(*Sock);
    });
  }
  static void upgradeAndRun(Socket &Sock, const Script &S) {
    llvm::Expected<UpgradeRequest> Req = readUpgradeRequest(Sock, soon());
    if (!Req)
      return llvm::consumeError(Req.takeError());
    llvm::Expected<Connection> C = acceptUpgrade(std::move(Sock), std::move(*Req), soon());
    if (!C)
      return llvm::consumeError(C.takeError());
    S(*C);
  }

  unsigned Port = 0;
  std::thread Thread;
};

Object readRequest(Connection &C) {
  llvm::Expected<std::string> M = C.readMessage(soon());
  if (!M) {
    llvm::consumeError(M.takeError());
    return Object{{"type", "(closed)"}};
  }
  Value V = parse(*M);
  return V.getAsObject() ? *V.getAsObject() : Object{};
}

void reply(Connection &C, const std::string &Frame) {
  llvm::consumeError(C.sendText(Frame, soon()));
}

TargetOptions withLogin() {
  TargetOptions O;
  O.Creds.User = "alice";
  O.Creds.Password = "pa55word";
  O.Timeout = std::chrono::milliseconds(5000);
  return O;
}
} // namespace

TEST(WebSocketTarget, LogsInExecutesAndReassemblesAroundPushesAndPings) {
  Object Login, Execute;
  ScriptedServer Server([&](Connection &C) {
    Login = readRequest(C);
    reply(C, "{\"type\":\"authenticated\",\"id\":\"auth\",\"session_id\":\"1\","
             "\"knowledge_graph\":\"g1\",\"version\":\"x\",\"role\":\"admin\"}");
    Execute = readRequest(C);
    std::string Id = Execute.getString("id").getValueOr("").str();
    llvm::consumeError(C.sendPing("hb", soon()));
    reply(C, "{\"type\":\"persistent_update\",\"relation\":\"edge\",\"seq\":3}");
    reply(C, "{\"type\":\"result_start\",\"id\":\"" + Id + "\",\"columns\":[\"X\"]}");
    reply(C,
          "{\"type\":\"result_chunk\",\"id\":\"" + Id + "\",\"chunk_index\":0,\"rows\":[[1],[2]]}");
    reply(C, "{\"type\":\"result_chunk\",\"id\":\"" + Id + "\",\"chunk_index\":1,\"rows\":[[3]]}");
    reply(C, "{\"type\":\"result_end\",\"id\":\"" + Id + "\",\"row_count\":3,\"chunk_count\":2}");
    readRequest(C); // until the client closes
  });
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), withLogin());
  ASSERT_TRUE(bool(T)) << errorText(T.takeError());
  EXPECT_EQ((*T)->describe(), Server.url().Display);
  llvm::Expected<Reply> R = (*T)->execute("?edge(X, _)");
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Columns, std::vector<std::string>{"X"});
  ASSERT_EQ(R->Rows.size(), 3u);
  EXPECT_EQ(R->Rows[2][0], Cell(3));
  T->reset();

  EXPECT_EQ(Login.getString("type"), llvm::StringRef("login"));
  EXPECT_EQ(Login.getString("username"), llvm::StringRef("alice"));
  EXPECT_EQ(Login.getString("password"), llvm::StringRef("pa55word"));
  EXPECT_EQ(Execute.getString("type"), llvm::StringRef("execute"));
  EXPECT_EQ(Execute.getString("program"), llvm::StringRef("?edge(X, _)"));
}

TEST(WebSocketTarget, AsksForTheGraphAndUsesTheApiKey) {
  Object Auth;
  std::string RequestTarget;
  ScriptedServer Server(
      [&](Socket &Sock) {
        llvm::Expected<UpgradeRequest> Req = readUpgradeRequest(Sock, soon());
        ASSERT_TRUE(bool(Req));
        RequestTarget = Req->Target;
        llvm::Expected<Connection> C = acceptUpgrade(std::move(Sock), std::move(*Req), soon());
        ASSERT_TRUE(bool(C));
        Auth = readRequest(*C);
        reply(*C, "{\"type\":\"authenticated\"}");
        readRequest(*C);
      },
      true);
  TargetOptions O;
  O.Creds.ApiKey = "il_key_123";
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), O);
  ASSERT_TRUE(bool(T)) << errorText(T.takeError());
  T->reset();
  EXPECT_EQ(RequestTarget, "/ws?kg=g1");
  EXPECT_EQ(Auth.getString("type"), llvm::StringRef("authenticate"));
  EXPECT_EQ(Auth.getString("api_key"), llvm::StringRef("il_key_123"));
}

TEST(WebSocketTarget, BadCredentialsFailWithoutEchoingThem) {
  ScriptedServer Server([](Connection &C) {
    readRequest(C);
    // A server that quotes what it got must not make us print it.
    reply(C, "{\"type\":\"auth_error\",\"message\":\"Invalid password pa55word\"}");
  });
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), withLogin());
  ASSERT_FALSE(bool(T));
  std::string Message = errorText(T.takeError());
  EXPECT_NE(Message.find("authentication failed for " + Server.url().Display), std::string::npos)
      << Message;
  EXPECT_EQ(Message.find("pa55word"), std::string::npos) << Message;
}

TEST(WebSocketTarget, AServerClosingMidRequestIsAnError) {
  ScriptedServer Server([](Connection &C) {
    readRequest(C);
    reply(C, "{\"type\":\"authenticated\"}");
    readRequest(C);
    C.socket().shutdown();
  });
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), withLogin());
  ASSERT_TRUE(bool(T)) << errorText(T.takeError());
  llvm::Expected<Reply> R = (*T)->execute("+a(1)");
  ASSERT_FALSE(bool(R));
  std::string Message = errorText(R.takeError());
  EXPECT_NE(Message.find(Server.url().Display + ": the connection closed before the reply "
                                                "arrived"),
            std::string::npos)
      << Message;
  EXPECT_NE(Message.find("may have run in part"), std::string::npos);
  R = (*T)->execute("+a(2)");
  ASSERT_FALSE(bool(R));
  EXPECT_NE(errorText(R.takeError()).find("the connection was lost earlier"), std::string::npos);
}

TEST(WebSocketTarget, AnAuthErrorRefusesOneRequestButKeepsTheConnection) {
  ScriptedServer Server([](Connection &C) {
    readRequest(C);
    reply(C, "{\"type\":\"auth_error\",\"message\":\"Authentication required.\"}");
    Object Second = readRequest(C);
    reply(C, "{\"type\":\"result\",\"id\":\"" + Second.getString("id").getValueOr("").str() +
                 "\",\"columns\":[\"message\"],\"rows\":[[\"ok\"]]}");
    readRequest(C);
  });
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), TargetOptions());
  ASSERT_TRUE(bool(T));
  llvm::Expected<Reply> R = (*T)->execute("+a(1)");
  ASSERT_FALSE(bool(R));
  std::string Message = errorText(R.takeError());
  EXPECT_NE(Message.find("the server requires authentication (Authentication required.)"),
            std::string::npos)
      << Message;
  EXPECT_EQ(Message.find("may have run"), std::string::npos) << Message;
  R = (*T)->execute("+a(1)");
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Rows[0][0], Cell("ok"));
}

TEST(WebSocketTarget, NoReplyTimesOut) {
  ScriptedServer Server([](Connection &C) {
    readRequest(C); // the execute; never answered
    readRequest(C); // the client's close
  });
  TargetOptions O;
  O.Timeout = std::chrono::milliseconds(100);
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), O);
  ASSERT_TRUE(bool(T)) << errorText(T.takeError());
  llvm::Expected<Reply> R = (*T)->execute("?a(X)");
  ASSERT_FALSE(bool(R));
  std::string Message = errorText(R.takeError());
  EXPECT_NE(Message.find(": no reply within 100 ms; the program may have run in part"),
            std::string::npos)
      << Message;
}

TEST(WebSocketTarget, GarbageIsAProtocolError) {
  ScriptedServer Server([](Connection &C) {
    readRequest(C);
    reply(C, "this is not json");
  });
  TargetOptions O;
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), O);
  ASSERT_TRUE(bool(T));
  llvm::Expected<Reply> R = (*T)->execute("?a(X)");
  ASSERT_FALSE(bool(R));
  EXPECT_NE(errorText(R.takeError())
                .find("protocol error: the server sent a frame that is not "
                      "JSON"),
            std::string::npos);
}

TEST(WebSocketTarget, AnHttpServerIsNotAWebSocketServer) {
  ScriptedServer Server(
      [](Socket &Sock) {
        std::string Ignored;
        llvm::consumeError(Sock.readSome(Ignored, soon()));
        llvm::consumeError(writeHttpResponse(Sock, 200, "text/html", "<html></html>", soon()));
      },
      true);
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), TargetOptions());
  ASSERT_FALSE(bool(T));
  std::string Message = errorText(T.takeError());
  EXPECT_NE(Message.find("cannot open " + Server.url().Display + ": not a WebSocket server"),
            std::string::npos)
      << Message;
}

TEST(WebSocketTarget, RefusedConnectionsAndUnknownHostsSaySo) {
  unsigned FreePort;
  {
    llvm::Expected<Listener> L = Listener::listen("127.0.0.1", 0);
    ASSERT_TRUE(bool(L));
    FreePort = L->port();
  }
  TargetUrl U;
  U.TheScheme = TargetUrl::Scheme::Ws;
  U.Host = "127.0.0.1";
  U.Port = FreePort;
  U.Display = "ws://127.0.0.1:" + std::to_string(FreePort) + "/ws";
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(U, TargetOptions());
  ASSERT_FALSE(bool(T));
  EXPECT_EQ(errorText(T.takeError()),
            "cannot connect to " + U.Display + ": connection refused (is the server running?)");

  U.Host = "no-such-host.invalid";
  U.Display = "ws://no-such-host.invalid/ws";
  T = openWebSocketTarget(U, TargetOptions());
  ASSERT_FALSE(bool(T));
  std::string Message = errorText(T.takeError());
  EXPECT_NE(Message.find("cannot connect to ws://no-such-host.invalid/ws: "), std::string::npos)
      << Message;
}

TEST(WebSocketTarget, WssSaysTlsIsNotSupported) {
  TargetUrl U;
  U.TheScheme = TargetUrl::Scheme::Wss;
  U.Host = "db.example.com";
  U.Port = 443;
  U.Path = "/ws";
  U.Display = "wss://db.example.com/ws";
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(U, TargetOptions());
  ASSERT_FALSE(bool(T));
  std::string Message = errorText(T.takeError());
  EXPECT_NE(Message.find("wss:// (TLS) is not supported"), std::string::npos);
  EXPECT_NE(Message.find("stunnel"), std::string::npos);
}

TEST(WebSocketTarget, ADeeplyNestedReplyIsAProtocolErrorNotACrash) {
  ScriptedServer Server([](Connection &C) {
    readRequest(C);
    reply(C, std::string(40000, '[') + std::string(40000, ']'));
  });
  TargetOptions O;
  llvm::Expected<std::unique_ptr<Target>> T = openWebSocketTarget(Server.url(), O);
  ASSERT_TRUE(bool(T));
  llvm::Expected<Reply> R = (*T)->execute("?a(X)");
  ASSERT_FALSE(bool(R));
  EXPECT_NE(errorText(R.takeError()).find("JSON nested more than 64 levels deep"),
            std::string::npos);
}
