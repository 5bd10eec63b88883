//===- WsTarget.cpp - The InputLayer WebSocket client target --------------===//
//
// One connection per target, opened and authenticated up front. Requests
// are strictly one at a time: send `execute` with an id, read frames until
// its reply is whole. A connection that fails mid-request is not reused or
// silently reopened: the request may have run in part, and the caller (the
// executor) must decide what that means.
//
//===----------------------------------------------------------------------===//
#include "strata/Exec/WsTarget.h"
#include "ExecError.h"
#include "ReplyStream.h"
#include "WebSocket.h"
#include "strata/Exec/Lock.h"
#include "strata/Support/Json.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;
using llvm::StringRef;

namespace {
std::string durationText(std::chrono::milliseconds D) {
  if (D.count() % 1000 == 0)
    return fmt::format("{} s", D.count() / 1000);
  return fmt::format("{} ms", D.count());
}

/// Removes every occurrence of the secrets from a server's text before it
/// reaches a message (a server may quote what it was sent).
std::string scrub(std::string Text, const Credentials &C) {
  for (const std::string *Secret : {&C.Password, &C.ApiKey}) {
    if (Secret->empty())
      continue;
    for (size_t At = Text.find(*Secret); At != std::string::npos; At = Text.find(*Secret, At + 3))
      Text.replace(At, Secret->size(), "***");
  }
  return Text;
}

std::string hostPort(const TargetUrl &Url) {
  if (StringRef(Url.Host).contains(':'))
    return fmt::format("[{}]:{}", Url.Host, Url.Port);
  return fmt::format("{}:{}", Url.Host, Url.Port);
}

std::string pathAndQuery(const TargetUrl &Url) {
  std::string Path = Url.Path.empty() ? "/ws" : Url.Path;
  if (!Url.Graph.empty())
    Path += "?kg=" + ws::percentEncode(Url.Graph);
  return Path;
}

/// Says what a wire failure means for the request that was in flight.
std::string inFlightFailure(llvm::Error E, std::chrono::milliseconds Timeout) {
  llvm::Optional<ws::FailureKind> Kind = ws::failureKind(E);
  std::string Detail = llvm::toString(std::move(E));
  if (Kind == ws::FailureKind::Timeout)
    return fmt::format("no reply within {}", durationText(Timeout));
  if (Kind == ws::FailureKind::Closed)
    return fmt::format("the connection closed before the reply arrived ({})", Detail);
  return Detail;
}

class WsTarget final : public Target {
public:
  WsTarget(TargetUrl Url, TargetOptions Opts, ws::Connection Conn)
      : Url(std::move(Url)), Opts(std::move(Opts)), Conn(std::move(Conn)) {}
  ~WsTarget() override {
    if (Conn)
      Conn->close(ws::CloseNormal, "", ws::deadlineIn(std::chrono::milliseconds(500)));
  }

  std::string describe() const override { return Url.Display; }
  llvm::Expected<Reply> execute(StringRef Program) override;
  /// The protocol's limit, which InputLayer and `strata serve` enforce.
  size_t maxRequestBytes() const override { return ws::MaxMessageBytes; }
  llvm::Error lock(StringRef Holder, const LockOptions &LO) override {
    llvm::Expected<std::string> Fact = lockWithFact(*this, Holder, LO);
    if (!Fact)
      return Fact.takeError();
    LockFact = std::move(*Fact);
    return llvm::Error::success();
  }
  void unlock() override {
    unlockFact(*this, LockFact);
    LockFact.clear();
  }

private:
  /// The connection is unusable after a request was sent: whatever went
  /// wrong, nobody knows how much of the program ran.
  llvm::Error lost(std::string Why) {
    return dropped(Why, "; the program may have run in part: check the target's state");
  }
  /// The connection is unusable; Consequence says what that means for the
  /// request.
  llvm::Error dropped(std::string Why, StringRef Consequence) {
    Conn.reset();
    LostBecause = Why;
    return execError(fmt::format("{}: {}{}", Url.Display, Why, Consequence.str()));
  }

  TargetUrl Url;
  TargetOptions Opts;
  llvm::Optional<ws::Connection> Conn;
  unsigned NextId = 1;
  std::string LostBecause;
  std::string LockFact; // ours while locked (strata/Exec/Lock.h)
};

llvm::Expected<Reply> WsTarget::execute(StringRef Program) {
  if (!Conn)
    return execError(fmt::format("{}: the connection was lost earlier ({}); reconnect to go on",
                                 Url.Display, LostBecause));
  std::string Id = std::to_string(NextId++);
  llvm::json::Object Request{{"type", "execute"}, {"id", Id}, {"program", Program.str()}};
  std::string Text = llvm::formatv("{0}", llvm::json::Value(std::move(Request))).str();
  ws::Deadline D = ws::deadlineIn(Opts.Timeout);
  if (llvm::Error E = Conn->sendText(Text, D)) {
    if (ws::failureKind(E) == ws::FailureKind::TooBig)
      return execError(fmt::format("{}: the program is too large to send: {}", Url.Display,
                                   llvm::toString(std::move(E))));
    // A request that was not sent whole never ran.
    return dropped(fmt::format("cannot send the request ({})", llvm::toString(std::move(E))),
                   "; it did not run");
  }
  ReplyStream Stream(Id);
  for (;;) {
    llvm::Expected<std::string> Message = Conn->readMessage(D);
    if (!Message)
      return lost(inFlightFailure(Message.takeError(), Opts.Timeout));
    llvm::Expected<llvm::json::Value> Frame = parseJson(*Message);
    if (!Frame)
      return lost(fmt::format("protocol error: the server sent a frame that is not JSON ({})",
                              llvm::toString(Frame.takeError())));
    llvm::Expected<llvm::Optional<Reply>> R = Stream.feed(*Frame, *Message);
    if (!R) {
      std::string Why = scrub(llvm::toString(R.takeError()), Opts.Creds);
      if (Stream.refusedForAuthentication()) // nothing ran; the connection is fine
        return execError(fmt::format("{}: {}", Url.Display, Why));
      return lost(Why);
    }
    if (*R)
      return std::move(**R);
  }
}

llvm::Error tlsUnsupported(const TargetUrl &Url) {
  return execError(fmt::format(
      "{}: wss:// (TLS) is not supported: this build of strata has no TLS library. Run a "
      "TLS-terminating tunnel to a local port and use ws:// through it, e.g. `stunnel` in "
      "client mode or `ssh -L 8080:localhost:8080 HOST`, then `--target "
      "ws://127.0.0.1:8080{}` (docs/targets.md)",
      Url.Display, Url.Path.empty() ? "/ws" : Url.Path));
}

/// Sends the credentials and waits for `authenticated`.
llvm::Error authenticate(ws::Connection &Conn, const TargetUrl &Url, const Credentials &C,
                         ws::Deadline D, std::chrono::milliseconds Timeout) {
  llvm::json::Object Request{{"id", "auth"}};
  if (!C.ApiKey.empty()) {
    Request["type"] = "authenticate";
    Request["api_key"] = C.ApiKey;
  } else {
    Request["type"] = "login";
    Request["username"] = C.User;
    Request["password"] = C.Password;
  }
  std::string Text = llvm::formatv("{0}", llvm::json::Value(std::move(Request))).str();
  auto Failed = [&](const std::string &Why) {
    return execError(fmt::format("authentication failed for {}: {}", Url.Display, Why));
  };
  if (llvm::Error E = Conn.sendText(Text, D))
    return Failed(llvm::toString(std::move(E)));
  for (;;) {
    llvm::Expected<std::string> Message = Conn.readMessage(D);
    if (!Message) {
      llvm::Error E = Message.takeError();
      if (ws::failureKind(E) == ws::FailureKind::Timeout) {
        llvm::consumeError(std::move(E));
        return Failed(fmt::format("no answer within {}", durationText(Timeout)));
      }
      return Failed(scrub(llvm::toString(std::move(E)), C));
    }
    llvm::Expected<llvm::json::Value> Frame = parseJson(*Message);
    const llvm::json::Object *O = Frame ? Frame->getAsObject() : nullptr;
    if (!O) {
      if (!Frame)
        llvm::consumeError(Frame.takeError());
      return Failed("the server answered with something that is not a JSON object");
    }
    StringRef Type = O->getString("type").getValueOr("");
    if (Type == "authenticated")
      return llvm::Error::success();
    std::string ServerText = scrub(O->getString("message").getValueOr("").str(), C);
    if (Type == "auth_error")
      return Failed(
          fmt::format("{} (check the user and password, or the API key)",
                      ServerText.empty() ? "the server refused the credentials" : ServerText));
    if (Type == "notice" || Type == "error")
      return Failed(ServerText.empty() ? fmt::format("the server answered `{}`", Type.str())
                                       : ServerText);
    // Anything else (a push, a pong) is not the answer: keep waiting.
  }
}
} // namespace

llvm::Expected<std::unique_ptr<Target>> exec::openWebSocketTarget(const TargetUrl &Url,
                                                                  const TargetOptions &Opts) {
  if (Url.TheScheme == TargetUrl::Scheme::Wss)
    return tlsUnsupported(Url);
  ws::Deadline D = ws::deadlineIn(Opts.Timeout);
  llvm::Expected<ws::Socket> Sock = ws::Socket::connect(Url.Host, Url.Port, D);
  if (!Sock) {
    llvm::Error E = Sock.takeError();
    std::string Why = ws::failureKind(E) == ws::FailureKind::Timeout
                          ? fmt::format("no answer within {}", durationText(Opts.Timeout))
                          : llvm::toString(std::move(E));
    llvm::consumeError(std::move(E));
    return execError(fmt::format("cannot connect to {}: {}", Url.Display, Why));
  }
  llvm::Expected<ws::Connection> Conn =
      ws::Connection::openClient(std::move(*Sock), hostPort(Url), pathAndQuery(Url), D);
  if (!Conn) {
    llvm::Error E = Conn.takeError();
    std::string Why = ws::failureKind(E) == ws::FailureKind::Timeout
                          ? fmt::format("no answer to the WebSocket handshake within {}",
                                        durationText(Opts.Timeout))
                          : llvm::toString(std::move(E));
    llvm::consumeError(std::move(E));
    return execError(fmt::format("cannot open {}: {}", Url.Display, Why));
  }
  // Without credentials nothing is sent: a server that needs them answers
  // the first request with `auth_error`, which says so.
  if (!Opts.Creds.empty())
    if (llvm::Error E = authenticate(*Conn, Url, Opts.Creds, D, Opts.Timeout))
      return E;
  return std::make_unique<WsTarget>(Url, Opts, std::move(*Conn));
}
