//===- Server.cpp - The embedded engine behind the WebSocket protocol -----===//
//
// A thread per connection; one lock around the engine, which is not
// thread-safe, so requests from all connections run one at a time. The lock
// is handed out in arrival order (FairMutex.h), so connections take turns.
// Connection caps, timeouts and login backoff: ServerLimits. What a request
// changed is committed before it is answered (a journal record, fsync'ed,
// or a new state file: engine::StateFile), so a killed server loses nothing
// it answered; a server that stops cleanly folds the journal into the
// state file.
//
// Stopping: SIGINT/SIGTERM write to a pipe that is never drained. The accept
// loop and every connection's socket watch it, so each connection finishes
// the request it is running, sends a `server_shutdown` notice and a close
// frame, and its thread ends; then runServer returns.
//
//===----------------------------------------------------------------------===//
#include "strata/Exec/Server.h"
#include "ConnectionTable.h"
#include "ExecError.h"
#include "FairMutex.h"
#include "LoginThrottle.h"
#include "ReplyStream.h"
#include "StateFileLock.h"
#include "WebSocket.h"
#include "strata/Engine/Engine.h"
#include "strata/Engine/Limits.h"
#include "strata/Engine/StateFile.h"
#include "strata/Exec/Lock.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/Support/Json.h"
#include "llvm/ADT/StringExtras.h"
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fmt/format.h>
#include <list>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace strata;
using namespace strata::exec;
using llvm::StringRef;
using llvm::json::Object;
using llvm::json::Value;

namespace {
/// Writes to a client that stopped reading give up after this long.
constexpr std::chrono::seconds SendTimeout{30};
/// Failed logins before the connection is closed (as the server does).
constexpr unsigned MaxAuthFailures = 3;

//===-- Stopping on a signal ----------------------------------------------===//

int StopPipeWrite = -1;

extern "C" void onStopSignal(int) {
  if (StopPipeWrite >= 0) {
    char Byte = 1;
    [[maybe_unused]] ssize_t Ignored = ::write(StopPipeWrite, &Byte, 1);
  }
}

/// Installs the SIGINT/SIGTERM handlers for its lifetime; readFd() becomes
/// readable (and stays so) once either arrives.
class StopSignal {
public:
  StopSignal() {
    if (::pipe2(Fds, O_CLOEXEC | O_NONBLOCK) != 0)
      Fds[0] = Fds[1] = -1;
    StopPipeWrite = Fds[1];
    struct sigaction Action {};
    Action.sa_handler = onStopSignal;
    sigemptyset(&Action.sa_mask);
    ::sigaction(SIGINT, &Action, &OldInt);
    ::sigaction(SIGTERM, &Action, &OldTerm);
  }
  ~StopSignal() {
    ::sigaction(SIGINT, &OldInt, nullptr);
    ::sigaction(SIGTERM, &OldTerm, nullptr);
    StopPipeWrite = -1;
    for (int Fd : Fds)
      if (Fd >= 0)
        ::close(Fd);
  }
  int readFd() const { return Fds[0]; }
  bool ok() const { return Fds[0] >= 0; }

private:
  int Fds[2] = {-1, -1};
  struct sigaction OldInt {
  }, OldTerm{};
};

//===-- State shared by all connections -----------------------------------===//

struct Shared {
  Shared(const ServerOptions &Opts, engine::Engine E, llvm::Optional<engine::StateFile> File)
      : Opts(Opts), Engine(std::move(E)), File(std::move(File)),
        Connections({Opts.Limits.MaxConnections, Opts.Limits.MaxConnectionsPerAddress,
                     Opts.Limits.MaxUnauthenticated}),
        Throttle({Opts.Limits.FreeLoginFailures, Opts.Limits.LoginBackoff,
                  Opts.Limits.LoginBackoffMax}) {}

  const ServerOptions &Opts;
  engine::Engine Engine;
  llvm::Optional<engine::StateFile> File; // with --state
  FairMutex EngineMutex;                  // guards Engine, File and every Session
  ConnectionTable Connections;
  LoginThrottle Throttle;
  std::mutex LogMutex;
  int StopFd = -1;
  std::atomic<unsigned> NextSession{1};

  bool needsAuth() const { return !Opts.ApiKey.empty() || !Opts.User.empty(); }

  void log(const std::string &Line) {
    if (!Opts.Log)
      return;
    std::lock_guard<std::mutex> Lock(LogMutex);
    *Opts.Log << Line << "\n";
    Opts.Log->flush();
  }

  /// With a save interval: a request may have changed the engine since
  /// the last save, and when that was. Guarded by EngineMutex.
  bool MaybeUnsaved = false;
  std::chrono::steady_clock::time_point LastSave;

  /// After a request, with EngineMutex: saves at once, or with a save
  /// interval once the interval since the last save has passed (the main
  /// loop saves the rest: flushIfDue).
  llvm::Error saveAfterRequest() {
    std::chrono::milliseconds Interval = Opts.Limits.SaveInterval;
    if (Interval.count() == 0)
      return saveIfChanged();
    MaybeUnsaved = true;
    return flushIfDue(std::chrono::steady_clock::now());
  }

  /// Saves what a request left unsaved once the interval has passed; call
  /// with EngineMutex. At shutdown Now is far enough ahead to save anyway.
  llvm::Error flushIfDue(std::chrono::steady_clock::time_point Now) {
    if (!MaybeUnsaved || Now - LastSave < Opts.Limits.SaveInterval)
      return llvm::Error::success();
    MaybeUnsaved = false;
    LastSave = Now;
    return saveIfChanged();
  }

  /// Commits what changed in the engine; call with EngineMutex.
  llvm::Error saveIfChanged() { return File ? File->commit(Engine) : llvm::Error::success(); }
};

/// Equal strings, compared in time that depends only on their lengths.
bool secretEquals(StringRef A, StringRef B) {
  unsigned char Diff = A.size() != B.size();
  for (size_t I = 0; I < A.size() && I < B.size(); ++I)
    Diff |= (unsigned char)(A[I] ^ B[I]);
  return Diff == 0;
}

std::string jsonText(Value V) { return frameText(V); }

//===-- One connection ----------------------------------------------------===//

class ClientConnection {
public:
  ClientConnection(Shared &S, ws::Connection Conn, std::string Graph, std::string Address,
                   uint64_t Id)
      : S(S), Conn(std::move(Conn)), Graph(std::move(Graph)), Address(std::move(Address)),
        ConnId(Id) {}

  void run();

private:
  /// What to do after a message.
  enum class Next { Continue, Stop };

  Next authPhaseMessage(StringRef Text);
  Next message(StringRef Text);
  Next execute(const Object &Request, StringRef Id);
  /// Runs Program on the session. The engine's memory budget stops a large
  /// statement first; an allocation that fails anyway becomes an error
  /// reply, so the server stays up for its other clients.
  Reply executeWithinMemory(StringRef Program);
  /// Checks credentials of a `login`/`authenticate`; answers either way.
  bool answerAuth(const Object &Request, StringRef Type, StringRef Id);
  bool credentialsMatch(const Object &Request, StringRef Type) const;
  void openSession();
  /// Closes the connection with a notice when reading failed for a reason
  /// the client should hear (a timeout, the server stopping).
  void endAfterReadFailure(ws::FailureKind Kind, bool Authenticating);

  bool send(Object Frame, StringRef Id);
  bool sendRaw(const std::string &Text);
  void sendError(StringRef Id, const std::string &Message, StringRef Code);
  void stop(uint16_t Status, StringRef Reason);

  Shared &S;
  ws::Connection Conn;
  std::string Graph;
  std::string Address; // the client's IP address
  uint64_t ConnId;     // in S.Connections
  std::unique_ptr<engine::Session> Session;
  std::string SessionId;
  unsigned Executes = 0;
  unsigned AuthFailures = 0;
};

Reply ClientConnection::executeWithinMemory(StringRef Program) {
  try {
    return Session->execute(Program);
  } catch (const std::bad_alloc &) {
    S.log("strata serve: error: a request ran out of memory");
    return Reply::error("The server ran out of memory running the request (its evaluation "
                        "budget, `strata serve --max-memory`, is set higher than the machine "
                        "allows); part of it may have been applied");
  }
}

bool ClientConnection::sendRaw(const std::string &Text) {
  if (llvm::Error E = Conn.sendText(Text, ws::deadlineIn(SendTimeout))) {
    llvm::consumeError(std::move(E));
    return false;
  }
  return true;
}

bool ClientConnection::send(Object Frame, StringRef Id) {
  if (!Id.empty())
    Frame["id"] = Id.str();
  return sendRaw(jsonText(std::move(Frame)));
}

void ClientConnection::sendError(StringRef Id, const std::string &Message, StringRef Code) {
  send(Object{{"type", "error"}, {"message", Message}, {"code", Code.str()}}, Id);
}

void ClientConnection::stop(uint16_t Status, StringRef Reason) {
  Conn.close(Status, Reason, ws::deadlineIn(std::chrono::seconds(1)));
}

void ClientConnection::openSession() {
  std::lock_guard<FairMutex> Lock(S.EngineMutex);
  Session = std::make_unique<engine::Session>(S.Engine, Graph);
  SessionId = std::to_string(S.NextSession++);
  S.Connections.authenticated(ConnId);
}

bool ClientConnection::credentialsMatch(const Object &Request, StringRef Type) const {
  if (Type == "login")
    return !S.Opts.User.empty() &&
           secretEquals(Request.getString("username").getValueOr(""), S.Opts.User) &&
           secretEquals(Request.getString("password").getValueOr(""), S.Opts.Password);
  return !S.Opts.ApiKey.empty() &&
         secretEquals(Request.getString("api_key").getValueOr(""), S.Opts.ApiKey);
}

bool ClientConnection::answerAuth(const Object &Request, StringRef Type, StringRef Id) {
  bool Ok = true;
  if (S.needsAuth()) {
    // A user or address locked out after failed logins is refused without
    // a look at the credentials, so guessing gains nothing while it lasts.
    StringRef User = Type == "login" ? Request.getString("username").getValueOr("") : "";
    auto Now = LoginThrottle::Clock::now();
    std::chrono::milliseconds Wait = S.Throttle.lockedFor(User, Address, Now);
    if (Wait.count() > 0) {
      ++AuthFailures;
      send(Object{{"type", "auth_error"},
                  {"message", fmt::format("Too many failed logins; try again in {} s",
                                          (Wait.count() + 999) / 1000)}},
           Id);
      return false;
    }
    Ok = credentialsMatch(Request, Type);
    if (Ok)
      S.Throttle.recordSuccess(User, Address);
    else
      S.Throttle.recordFailure(User, Address, Now);
  }
  if (!Ok) {
    ++AuthFailures;
    send(Object{{"type", "auth_error"},
                {"message", Type == "login" ? "Invalid username or password" : "Invalid API key"}},
         Id);
    return false;
  }
  if (!Session)
    openSession();
  send(Object{{"type", "authenticated"},
              {"session_id", SessionId},
              {"knowledge_graph", Graph},
              {"version", "strata-serve"},
              {"role", "admin"}},
       Id);
  return true;
}

/// A request's `id`: absent, or a string of 1 to 64 bytes.
llvm::Expected<std::string> requestId(const Object &Request) {
  const Value *Id = Request.get("id");
  if (!Id)
    return "";
  llvm::Optional<StringRef> Text = Id->getAsString();
  if (!Text || Text->empty() || Text->size() > 64)
    return execError("Invalid message format: request id must be a string of 1 to 64 bytes");
  return Text->str();
}

ClientConnection::Next ClientConnection::authPhaseMessage(StringRef Text) {
  llvm::Expected<Value> Parsed = parseJson(Text);
  const Object *Request = Parsed ? Parsed->getAsObject() : nullptr;
  if (!Request) {
    std::string Why = Parsed ? "not a JSON object" : llvm::toString(Parsed.takeError());
    send(Object{{"type", "auth_error"},
                {"message", fmt::format("Invalid message format ({}). Send login or "
                                        "authenticate.",
                                        Why)}},
         "");
    return Next::Continue;
  }
  std::string Id;
  if (llvm::Expected<std::string> Given = requestId(*Request))
    Id = *Given;
  else
    llvm::consumeError(Given.takeError()); // answered without an id
  StringRef Type = Request->getString("type").getValueOr("");
  if (Type == "login" || Type == "authenticate") {
    if (answerAuth(*Request, Type, Id))
      return Next::Continue;
    if (AuthFailures >= MaxAuthFailures) {
      stop(ws::ClosePolicyViolation, "too many failed authentications");
      return Next::Stop;
    }
    return Next::Continue;
  }
  send(Object{{"type", "auth_error"},
              {"message", "Authentication required. Send login or authenticate first."}},
       Id);
  return Next::Continue;
}

ClientConnection::Next ClientConnection::execute(const Object &Request, StringRef Id) {
  llvm::Optional<StringRef> Program = Request.getString("program");
  if (!Program) {
    sendError(Id, "Invalid message format: `execute` needs a string `program`", "invalid_request");
    return Next::Continue;
  }
  if (S.Opts.CloseAfterRequests && Executes >= S.Opts.CloseAfterRequests) {
    // Test hook: vanish mid-request, as a crashed server would: no reply,
    // no close frame.
    Conn.socket().shutdown();
    return Next::Stop;
  }
  ++Executes;
  auto Started = std::chrono::steady_clock::now();
  std::vector<std::string> Frames;
  {
    std::lock_guard<FairMutex> Lock(S.EngineMutex);
    std::chrono::milliseconds Timeout = S.Opts.Limits.RequestTimeout;
    engine::evaluationLimits().Deadline =
        Timeout.count() ? std::chrono::steady_clock::now() + Timeout // not counting the wait
                        : std::chrono::steady_clock::time_point::max();
    Reply R = executeWithinMemory(*Program);
    if (llvm::Error E = S.saveAfterRequest()) {
      std::string Why = llvm::toString(std::move(E));
      S.log("strata serve: error: cannot save the state: " + Why);
      R = Reply::error("The request ran but the server could not save its state: " + Why);
    }
    auto Millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - Started)
                      .count();
    Frames = replyFrames(R, Id,
                         Object{{"total_count", int64_t(R.Rows.size())},
                                {"truncated", false},
                                {"execution_time_ms", int64_t(Millis)}});
  }
  for (const std::string &F : Frames)
    if (!sendRaw(F))
      return Next::Stop;
  return Next::Continue;
}

ClientConnection::Next ClientConnection::message(StringRef Text) {
  llvm::Expected<Value> Parsed = parseJson(Text);
  const Object *Request = Parsed ? Parsed->getAsObject() : nullptr;
  if (!Request) {
    std::string Why = Parsed ? "not a JSON object" : llvm::toString(Parsed.takeError());
    sendError("", "Invalid message format: " + Why, "invalid_request");
    return Next::Continue;
  }
  llvm::Expected<std::string> Id = requestId(*Request);
  if (!Id) {
    sendError("", llvm::toString(Id.takeError()), "invalid_request");
    return Next::Continue;
  }
  StringRef Type = Request->getString("type").getValueOr("");
  if (Type == "execute")
    return execute(*Request, *Id);
  if (Type == "ping") {
    send(Object{{"type", "pong"}}, *Id);
    return Next::Continue;
  }
  if (Type == "login" || Type == "authenticate") {
    answerAuth(*Request, Type, *Id);
    return Next::Continue;
  }
  if (Type == "cancel") {
    // Requests run one at a time, so the target has already replied.
    send(Object{{"type", "cancel_ack"},
                {"target", Request->getString("target").getValueOr("").str()},
                {"outcome", "not_found"}},
         *Id);
    return Next::Continue;
  }
  sendError(
      *Id,
      fmt::format("Invalid message format: unknown message type `{}`", Type.take_front(40).str()),
      "invalid_request");
  return Next::Continue;
}

/// A duration as a person would write it: `30s`, `250ms`.
std::string spoken(std::chrono::milliseconds D) {
  return D.count() % 1000 ? fmt::format("{}ms", D.count()) : fmt::format("{}s", D.count() / 1000);
}

void ClientConnection::endAfterReadFailure(ws::FailureKind Kind, bool Authenticating) {
  const ServerLimits &L = S.Opts.Limits;
  if (Kind == ws::FailureKind::Timeout && Authenticating) {
    send(Object{{"type", "notice"},
                {"code", "auth_timeout"},
                {"message", fmt::format("Authentication timeout ({})", spoken(L.AuthTimeout))}},
         "");
    stop(ws::ClosePolicyViolation, "authentication timeout");
  } else if (Kind == ws::FailureKind::Timeout) {
    send(Object{{"type", "notice"},
                {"code", "idle_timeout"},
                {"message",
                 fmt::format("Idle timeout ({} without a message)", spoken(L.IdleTimeout))}},
         "");
    stop(ws::CloseGoingAway, "idle timeout");
  } else if (Kind == ws::FailureKind::Interrupted) {
    send(Object{{"type", "notice"},
                {"code", "server_shutdown"},
                {"message", "Server shutting down"}},
         "");
    stop(ws::CloseGoingAway, "server shutting down");
  }
}

void ClientConnection::run() {
  if (!S.needsAuth())
    openSession();
  const ServerLimits &L = S.Opts.Limits;
  ws::Deadline AuthDeadline = ws::deadlineIn(L.AuthTimeout);
  for (;;) {
    bool Authenticating = !Session;
    ws::Deadline D = Authenticating              ? AuthDeadline
                     : L.IdleTimeout.count() > 0 ? ws::deadlineIn(L.IdleTimeout)
                                                 : ws::Deadline();
    llvm::Expected<std::string> Text = Conn.readMessage(D);
    if (!Text) {
      llvm::Error E = Text.takeError();
      llvm::Optional<ws::FailureKind> Kind = ws::failureKind(E);
      llvm::consumeError(std::move(E));
      if (Kind)
        endAfterReadFailure(*Kind, Authenticating);
      break;
    }
    Next N = Authenticating ? authPhaseMessage(*Text) : message(*Text);
    if (N == Next::Stop)
      break;
  }
  std::lock_guard<FairMutex> Lock(S.EngineMutex);
  Session.reset();
}

/// The `kg` parameter of a request target such as `/ws?kg=name`.
std::string graphOf(StringRef Query) {
  llvm::SmallVector<StringRef, 4> Params;
  Query.split(Params, '&');
  std::string Graph = "default";
  for (StringRef P : Params) {
    auto [Key, Val] = P.split('=');
    if (Key == "kg" && !Val.empty())
      Graph = ws::percentDecode(Val);
  }
  return Graph;
}

/// Handshake, then the connection's messages until it ends.
void serveConnection(Shared &S, ws::Socket Sock, uint64_t Id) {
  Sock.setInterrupt(S.StopFd);
  std::string Address = Sock.peerAddress();
  ws::Deadline D = ws::deadlineIn(S.Opts.Limits.HandshakeTimeout);
  llvm::Expected<ws::UpgradeRequest> Req = ws::readUpgradeRequest(Sock, D);
  if (!Req) {
    llvm::Error E = Req.takeError();
    if (ws::failureKind(E) == ws::FailureKind::Protocol)
      llvm::consumeError(
          ws::writeHttpResponse(Sock, 400, "text/plain", llvm::toString(std::move(E)) + "\n", D));
    llvm::consumeError(std::move(E));
    return;
  }
  auto [Path, Query] = StringRef(Req->Target).split('?');
  if (Path == "/health" && Req->Method == "GET") {
    llvm::consumeError(
        ws::writeHttpResponse(Sock, 200, "application/json", "{\"status\":\"healthy\"}", D));
    return;
  }
  if (Path != "/ws") {
    llvm::consumeError(ws::writeHttpResponse(
        Sock, 404, "text/plain",
        fmt::format("no WebSocket endpoint at `{}`: use /ws\n", Path.take_front(100).str()), D));
    return;
  }
  if (llvm::Optional<std::pair<int, std::string>> Refused = ws::checkUpgrade(*Req)) {
    llvm::consumeError(
        ws::writeHttpResponse(Sock, Refused->first, "text/plain", Refused->second + "\n", D));
    return;
  }
  std::string Graph = graphOf(Query);
  // Without credentials the connection has its session once upgraded;
  // count it as authenticated before the client can see the upgrade.
  if (!S.needsAuth())
    S.Connections.authenticated(Id);
  llvm::Expected<ws::Connection> Conn = ws::acceptUpgrade(std::move(Sock), std::move(*Req), D);
  if (!Conn) {
    llvm::consumeError(Conn.takeError());
    return;
  }
  ClientConnection(S, std::move(*Conn), std::move(Graph), std::move(Address), Id).run();
}

/// A connection's thread, and whether it has finished (to reap it).
struct Worker {
  std::thread Thread;
  std::shared_ptr<std::atomic<bool>> Done = std::make_shared<std::atomic<bool>>(false);
};

void reapFinished(std::list<Worker> &Workers) {
  for (auto It = Workers.begin(); It != Workers.end();) {
    if (*It->Done) {
      It->Thread.join();
      It = Workers.erase(It);
    } else {
      ++It;
    }
  }
}

/// Turns a connection away with HTTP 503. What has arrived of its request
/// is read first, and again after the reply: closing a socket with unread
/// input resets the connection, and the client might lose the reply. The
/// waits are short because the accept loop runs this, and a flood of
/// connections past the caps must not slow it much.
void refuse(ws::Socket &Client, const std::string &Why) {
  auto Briefly = [] { return ws::deadlineIn(std::chrono::milliseconds(10)); };
  std::string Ignored;
  llvm::consumeError(Client.readSome(Ignored, Briefly()));
  llvm::consumeError(ws::writeHttpResponse(Client, 503, "text/plain", Why + "; try again later\n",
                                           ws::deadlineIn(std::chrono::seconds(1))));
  ::shutdown(Client.fd(), SHUT_WR);
  llvm::consumeError(Client.readSome(Ignored, Briefly()));
}

/// Saves what requests left unsaved (with a save interval), once due. While
/// requests run or wait this is skipped, not waited for: the main loop must
/// keep accepting, and each request saves when the interval has passed.
void flushUnsaved(Shared &S, std::chrono::steady_clock::time_point Now) {
  std::unique_lock<FairMutex> Lock(S.EngineMutex, std::try_to_lock);
  if (!Lock.owns_lock())
    return;
  if (llvm::Error E = S.flushIfDue(Now))
    S.log("strata serve: error: cannot save the state: " + llvm::toString(std::move(E)));
}

std::string displayHost(StringRef Host) {
  return Host.contains(':') ? "[" + Host.str() + "]" : Host.str();
}
} // namespace

llvm::Error exec::runServer(const ServerOptions &Opts) {
  // The server writes its state file for as long as it runs: no migrate,
  // exec or other server may write it meanwhile.
  StateFileLock Lock;
  if (!Opts.StatePath.empty()) {
    llvm::Expected<StateFileLock> L = StateFileLock::acquire(
        Opts.StatePath, currentLockHolder() + " (strata serve)", "file:" + Opts.StatePath);
    if (!L)
      return L.takeError();
    Lock = std::move(*L);
  }
  engine::Engine Loaded;
  llvm::Optional<engine::StateFile> File;
  if (!Opts.StatePath.empty()) {
    llvm::Expected<engine::StateFile> F = engine::StateFile::open(Opts.StatePath, Loaded);
    if (!F)
      return F.takeError();
    File = std::move(*F);
  }
  Shared S(Opts, std::move(Loaded), std::move(File));

  llvm::Expected<ws::Listener> L = ws::Listener::listen(Opts.Host, Opts.Port);
  if (!L)
    return L.takeError();
  StopSignal Stop;
  if (!Stop.ok())
    return execError("cannot create the pipe that stops the server");
  S.StopFd = Stop.readFd();
  S.log(fmt::format("listening on {}:{}", displayHost(Opts.Host), L->port()));

  std::list<Worker> Workers;
  std::chrono::milliseconds SaveInterval = Opts.Limits.SaveInterval;
  for (;;) {
    pollfd P[2] = {{L->fd(), POLLIN, 0}, {Stop.readFd(), POLLIN, 0}};
    int N = ::poll(P, 2, SaveInterval.count() ? int(SaveInterval.count()) : -1);
    if (SaveInterval.count())
      flushUnsaved(S, std::chrono::steady_clock::now());
    if (N == 0 || (N < 0 && errno == EINTR))
      continue;
    if (N < 0 || (P[1].revents & POLLIN))
      break;
    reapFinished(Workers);
    llvm::Expected<ws::Socket> Client = L->accept();
    if (!Client) {
      llvm::consumeError(Client.takeError()); // e.g. the client gave up already
      continue;
    }
    llvm::Expected<uint64_t> Id = S.Connections.admit(Client->peerAddress(), Client->fd());
    if (!Id) {
      refuse(*Client, llvm::toString(Id.takeError()));
      continue;
    }
    Workers.emplace_back();
    Worker &W = Workers.back();
    W.Thread = std::thread([&S, Sock = std::move(*Client), Id = *Id, Done = W.Done]() mutable {
      serveConnection(S, std::move(Sock), Id);
      // The socket is closed by now; the table only held a duplicate.
      S.Connections.release(Id);
      *Done = true;
    });
  }
  // The stop pipe is readable now: every connection is winding down.
  for (Worker &W : Workers)
    W.Thread.join();
  // Every connection has ended, so nothing holds the lock. A clean stop
  // leaves the whole state in the state file.
  flushUnsaved(S, std::chrono::steady_clock::time_point::max() - S.Opts.Limits.SaveInterval);
  if (S.File)
    if (llvm::Error E = S.File->compact(S.Engine))
      S.log("strata serve: error: cannot save the state: " + llvm::toString(std::move(E)));
  return llvm::Error::success();
}
