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
// Change notifications: a request's changes (an engine census before and
// after it, Notifications.h) are numbered and offered to every connection's
// Outbox while the engine lock is held, so every connection hears them in
// the same order; each connection's own thread sends what its outbox holds
// (the only writer of its socket), woken from its read when something
// arrives.
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
#include "KgAcl.h"
#include "LoginThrottle.h"
#include "Notifications.h"
#include "Outbox.h"
#include "ReplyStream.h"
#include "StateFileLock.h"
#include "WebSocket.h"
#include "strata/Engine/Engine.h"
#include "strata/Engine/Limits.h"
#include "strata/Engine/StateFile.h"
#include "strata/Exec/Lock.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/IQL/Parser.h"
#include "strata/Support/Json.h"
#include "strata/Support/Version.h"
#include "llvm/ADT/StringExtras.h"
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fmt/format.h>
#include <list>
#include <map>
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
  NotificationLog Notifications; // guarded by EngineMutex
  KgAcl Acl;                     // guarded by EngineMutex
  /// Names this run's notification numbering, which starts from 1 again
  /// when the server restarts (`stream_epoch`; a client resumes with it).
  std::string Epoch;
  std::mutex OutboxesMutex;
  std::map<uint64_t, Outbox *> Outboxes; // connections that receive pushes

  /// Numbers Changes and offers them to every receiving connection; call
  /// with EngineMutex.
  void publish(const std::vector<Change> &Changes, StringRef SessionId) {
    if (Changes.empty())
      return;
    auto Now = std::chrono::system_clock::now().time_since_epoch();
    std::vector<Notification> Ns = Notifications.publish(
        Changes, SessionId, std::chrono::duration_cast<std::chrono::milliseconds>(Now).count());
    std::lock_guard<std::mutex> Lock(OutboxesMutex);
    for (const Notification &N : Ns)
      for (auto &[Id, Box] : Outboxes)
        Box->offer(N);
    bool GraphDropped = llvm::any_of(
        Changes, [](const Change &C) { return C.Type == "kg_change" && C.Operation == "dropped"; });
    if (GraphDropped)
      Acl.prune(Engine);
  }

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

/// The engine's census, or None when memory ran out taking it (right
/// after a request that exhausted it): that request's notifications are
/// then not sent, and the server goes on. Call with EngineMutex.
llvm::Optional<engine::Census> censusOf(Shared &S) {
  try {
    return S.Engine.census();
  } catch (const std::bad_alloc &) {
    S.log("strata serve: error: out of memory counting changes; notifications skipped");
    return llvm::None;
  }
}

/// Publishes what changed since Before (see censusOf); call with
/// EngineMutex.
void publishSince(Shared &S, const llvm::Optional<engine::Census> &Before, StringRef SessionId) {
  if (!Before)
    return;
  try {
    if (llvm::Optional<engine::Census> After = censusOf(S))
      S.publish(changesBetween(*Before, *After), SessionId);
  } catch (const std::bad_alloc &) {
    S.log("strata serve: error: out of memory sending notifications; some skipped");
  }
}

/// Equal strings, compared in time that depends only on their lengths.
bool secretEquals(StringRef A, StringRef B) {
  unsigned char Diff = A.size() != B.size();
  for (size_t I = 0; I < A.size() && I < B.size(); ++I)
    Diff |= (unsigned char)(A[I] ^ B[I]);
  return Diff == 0;
}

std::string jsonText(Value V) { return frameText(V); }

//===-- One connection ----------------------------------------------------===//

/// What a client asks for in the query of its `/ws` URL.
struct ConnectParams {
  std::string Graph = "default";    // `kg`
  llvm::Optional<uint64_t> LastSeq; // `last_seq`: resume after it
  std::string Epoch;                // `epoch`: the run LastSeq is of
};

class ClientConnection {
public:
  ClientConnection(Shared &S, ws::Connection Conn, ConnectParams Params, std::string Address,
                   uint64_t Id)
      : S(S), Conn(std::move(Conn)), Graph(std::move(Params.Graph)), LastSeq(Params.LastSeq),
        ResumeEpoch(std::move(Params.Epoch)), Address(std::move(Address)), ConnId(Id) {
    this->Conn.socket().setWake(Box.wakeFd());
  }

  void run();

private:
  /// What to do after a message.
  enum class Next { Continue, Stop };

  Next authPhaseMessage(StringRef Text);
  Next message(StringRef Text);
  /// A `login` or `authenticate` after the connection has logged in.
  void authAgain(const Object &Request, StringRef Type, StringRef Id);
  Next execute(const Object &Request, StringRef Id);
  /// The reply frames of R to request Id, with the result's extras;
  /// Query: R answers a query (not a command such as `.rel NAME` or
  /// `.kg acl list`, whose rows are no data).
  std::vector<std::string> frames(const Reply &R, StringRef Id, bool Query, bool SaveFailed,
                                  StringRef SwitchedTo, int64_t Millis) const;
  /// The next message; pushes that arrive meanwhile are sent.
  llvm::Expected<std::string> nextMessage(ws::Deadline D);
  /// From now on the connection is sent notifications (first those it
  /// missed, when it asked with `last_seq`); then sends what is queued.
  void beginPushes();
  /// Sends what the outbox holds; false when the connection failed.
  bool flushPushes();
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
  llvm::Optional<uint64_t> LastSeq;
  std::string ResumeEpoch;
  Outbox Box;
  bool Receiving = false; // Box is in S.Outboxes
  std::string Address;    // the client's IP address
  uint64_t ConnId;        // in S.Connections
  std::unique_ptr<engine::Session> Session;
  std::string SessionId;
  unsigned Executes = 0;
  unsigned AuthFailures = 0;
  bool Greeted = false; // sent `authenticated`; another login is refused
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
  llvm::Optional<engine::Census> Before = censusOf(S);
  Session = std::make_unique<engine::Session>(S.Engine, Graph); // creates a missing graph
  SessionId = std::to_string(S.NextSession++);
  S.Connections.authenticated(ConnId);
  publishSince(S, Before, SessionId);
}

void ClientConnection::beginPushes() {
  if (!Receiving && Session) {
    Receiving = true;
    // With the engine lock no request publishes meanwhile: the replay and
    // the live notifications after it neither overlap nor leave a gap.
    std::lock_guard<FairMutex> Lock(S.EngineMutex);
    Box.setGraph(Session->currentGraph());
    if (LastSeq) {
      NotificationLog::Replay R = S.Notifications.after(*LastSeq);
      if (!ResumeEpoch.empty() && ResumeEpoch != S.Epoch)
        R = {{}, true};
      if (R.Gap)
        Box.push(frameText(Object{
            {"type", "notice"},
            {"code", "replay_gap"},
            {"message", fmt::format("Notifications after seq {} are no longer available (the "
                                    "server restarted or dropped them); refresh your state",
                                    *LastSeq)}}));
      for (const Notification &N : R.Missed)
        Box.offer(N);
    }
    std::lock_guard<std::mutex> Boxes(S.OutboxesMutex);
    S.Outboxes[ConnId] = &Box;
  }
  flushPushes();
}

bool ClientConnection::flushPushes() {
  for (std::string &Frame : Box.take())
    if (!sendRaw(Frame))
      return false;
  return true;
}

llvm::Expected<std::string> ClientConnection::nextMessage(ws::Deadline D) {
  for (;;) {
    llvm::Expected<std::string> Text = Conn.readMessage(D);
    if (Text)
      return Text;
    llvm::Error E = Text.takeError();
    if (ws::failureKind(E) != ws::FailureKind::Woken)
      return E;
    llvm::consumeError(std::move(E));
    if (!flushPushes())
      return ws::wireError(ws::FailureKind::Closed, "the client stopped reading");
  }
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
  // The session's graph: the one it connected to, or switched to since.
  send(Object{{"type", "authenticated"},
              {"session_id", SessionId},
              {"knowledge_graph", Session->currentGraph()},
              {"version", StrataVersion},
              {"role", "admin"},
              {"stream_epoch", S.Epoch}},
       Id);
  Greeted = true;
  beginPushes();
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

/// The object a client's message holds, or why it holds none (the words
/// the reply puts after `Invalid message format`).
llvm::Expected<Object> requestObject(StringRef Text) {
  llvm::Expected<Value> Parsed = parseJson(Text);
  if (!Parsed)
    return Parsed.takeError();
  Object *Request = Parsed->getAsObject();
  if (!Request)
    return execError("not a JSON object");
  // The server refuses a field given twice; llvm::json keeps the last.
  if (llvm::Optional<std::string> Key = repeatedTopLevelKey(Text))
    return execError(fmt::format("duplicate field `{}`", StringRef(*Key).take_front(40).str()));
  return std::move(*Request);
}

/// What is wrong with the fields of a `login` or `authenticate`, or None
/// when they are strings as the protocol asks. The server reads such a
/// request as a malformed message, not as failed credentials.
llvm::Optional<std::string> malformedAuth(const Object &Request, StringRef Type) {
  if (Type == "login" && (!Request.getString("username") || !Request.getString("password")))
    return std::string("`login` needs a string `username` and `password`");
  if (Type == "authenticate" && !Request.getString("api_key"))
    return std::string("`authenticate` needs a string `api_key`");
  return llvm::None;
}

/// Message types a client sends once logged in.
bool isRequestType(StringRef Type) {
  return Type == "execute" || Type == "ping" || Type == "cancel";
}

ClientConnection::Next ClientConnection::authPhaseMessage(StringRef Text) {
  llvm::Expected<Object> Request = requestObject(Text);
  if (!Request) {
    send(Object{{"type", "auth_error"},
                {"message", fmt::format("Invalid message format ({}). Send login or "
                                        "authenticate.",
                                        llvm::toString(Request.takeError()))}},
         "");
    return Next::Continue;
  }
  std::string Id;
  if (llvm::Expected<std::string> Given = requestId(*Request))
    Id = *Given;
  else
    llvm::consumeError(Given.takeError()); // answered without an id
  StringRef Type = Request->getString("type").getValueOr("");
  bool Auth = Type == "login" || Type == "authenticate";
  llvm::Optional<std::string> Malformed = malformedAuth(*Request, Type);
  if (!Auth && !isRequestType(Type))
    Malformed = fmt::format("unknown message type `{}`", Type.take_front(40).str());
  if (Malformed) {
    // Not a failed login: it does not count towards the three.
    send(Object{{"type", "auth_error"},
                {"message", fmt::format("Invalid message format ({}). Send login or "
                                        "authenticate.",
                                        *Malformed)}},
         Id);
    return Next::Continue;
  }
  if (!Auth) {
    send(Object{{"type", "auth_error"},
                {"message", "Authentication required. Send login or authenticate first."}},
         Id);
    return Next::Continue;
  }
  if (answerAuth(*Request, Type, Id))
    return Next::Continue;
  if (AuthFailures >= MaxAuthFailures) {
    stop(ws::ClosePolicyViolation, "too many failed authentications");
    return Next::Stop;
  }
  return Next::Continue;
}

void ClientConnection::authAgain(const Object &Request, StringRef Type, StringRef Id) {
  // As the server: a connection logs in once. Without configured
  // credentials it is logged in from the start, and its first `login` or
  // `authenticate` is answered as though it did that.
  if (Greeted)
    sendError(Id, "Already authenticated", "invalid_request");
  else if (llvm::Optional<std::string> Malformed = malformedAuth(Request, Type))
    sendError(Id, "Invalid message format: " + *Malformed, "invalid_request");
  else
    answerAuth(Request, Type, Id);
}

/// Whether Program ends with a query (its reply's rows are data), not a
/// command such as `.rel NAME` (whose rows are not).
bool endsWithQuery(StringRef Program) {
  std::vector<iql::SourceStatement> Statements = iql::splitProgram(Program);
  return !Statements.empty() && !StringRef(Statements.back().Text).ltrim().startswith(".");
}

ClientConnection::Next ClientConnection::execute(const Object &Request, StringRef Id) {
  llvm::Optional<StringRef> Program = Request.getString("program");
  if (!Program) {
    sendError(Id, "Invalid message format: `execute` needs a string `program`", "invalid_request");
    return Next::Continue;
  }
  // Newer servers' per-request deadline: read for its shape only, as
  // `--request-timeout` bounds every request here.
  if (const Value *Timeout = Request.get("timeout_ms"))
    if (Timeout->kind() != Value::Null && !Timeout->getAsUINT64()) {
      sendError(Id, "Invalid message format: `timeout_ms` must be a whole number of milliseconds",
                "invalid_request");
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
    std::string GraphBefore = Session->currentGraph();
    llvm::Optional<engine::Census> Before = censusOf(S);
    llvm::Optional<Reply> Answered = S.Acl.run(*Program, GraphBefore, S.Engine);
    Reply R = Answered ? std::move(*Answered) : executeWithinMemory(*Program);
    bool SaveFailed = false;
    if (llvm::Error E = S.saveAfterRequest()) {
      std::string Why = llvm::toString(std::move(E));
      S.log("strata serve: error: cannot save the state: " + Why);
      R = Reply::error("The request ran but the server could not save its state: " + Why);
      SaveFailed = true;
    }
    const std::string &GraphAfter = Session->currentGraph();
    if (GraphAfter != GraphBefore)
      Box.setGraph(GraphAfter);
    publishSince(S, Before, SessionId);
    auto Millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - Started)
                      .count();
    Frames = frames(R, Id, !Answered && endsWithQuery(*Program), SaveFailed,
                    GraphAfter != GraphBefore ? GraphAfter : "", Millis);
  }
  // The request's own notifications go before its reply, as the server's do.
  if (!flushPushes())
    return Next::Stop;
  for (const std::string &F : Frames)
    if (!sendRaw(F))
      return Next::Stop;
  return Next::Continue;
}

/// The error code the server gives a failed request, or "" for none.
StringRef errorCode(const Reply &R, bool SaveFailed) {
  if (SaveFailed)
    return "outcome_unknown"; // it ran, but may not survive a restart
  if (!R.ValidationErrors.empty())
    return "validation";
  if (StringRef(R.ErrorMessage).startswith("Evaluation stopped: the request ran past"))
    return "deadline_exceeded";
  // Out of memory, whether the engine caught it (`Evaluation stopped: the
  // process ran out of memory`) or the server did.
  if (StringRef(R.ErrorMessage).startswith("The server ran out of memory") ||
      StringRef(R.ErrorMessage).startswith("Evaluation stopped: the process ran out of memory"))
    return "internal";
  return "";
}

std::vector<std::string> ClientConnection::frames(const Reply &R, StringRef Id, bool Query,
                                                  bool SaveFailed, StringRef SwitchedTo,
                                                  int64_t Millis) const {
  Object Extra;
  if (R.IsError) {
    StringRef Code = errorCode(R, SaveFailed);
    if (!Code.empty())
      Extra["code"] = Code.str();
    return replyFrames(R, Id, Extra);
  }
  Extra["total_count"] = int64_t(R.Rows.size());
  Extra["truncated"] = false;
  Extra["execution_time_ms"] = Millis;
  if (!SwitchedTo.empty())
    Extra["switched_kg"] = SwitchedTo.str();
  // A command's rows have no provenance. A query's rows are all
  // persistent when the session has no rules or facts of its own; with
  // them, which rows came from them is not tracked.
  StringRef Provenance = "unknown";
  if (Query && !R.isMessage() && !Session->hasSessionData()) {
    Provenance = "persistent";
    Extra["metadata"] = Object{{"has_ephemeral", false},
                               {"ephemeral_sources", llvm::json::Array()},
                               {"warnings", llvm::json::Array()}};
  }
  return replyFrames(R, Id, Extra, FrameLimits(), Provenance);
}

ClientConnection::Next ClientConnection::message(StringRef Text) {
  llvm::Expected<Object> Request = requestObject(Text);
  // Without credentials to check, a client is sent notifications from its
  // first message on; after a `login`, from its `authenticated` reply.
  StringRef FirstType = Request ? Request->getString("type").getValueOr("") : "";
  if (FirstType != "login" && FirstType != "authenticate")
    beginPushes();
  if (!Request) {
    sendError("", "Invalid message format: " + llvm::toString(Request.takeError()),
              "invalid_request");
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
    authAgain(*Request, Type, *Id);
    return Next::Continue;
  }
  if (Type == "cancel") {
    llvm::Optional<StringRef> Target = Request->getString("target");
    if (!Target) {
      sendError(*Id, "Invalid message format: `cancel` needs a string `target`", "invalid_request");
      return Next::Continue;
    }
    // Requests run one at a time, so the target has already replied.
    send(Object{{"type", "cancel_ack"}, {"target", Target->str()}, {"outcome", "not_found"}}, *Id);
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
    llvm::Expected<std::string> Text = nextMessage(D);
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
  {
    std::lock_guard<std::mutex> Boxes(S.OutboxesMutex);
    S.Outboxes.erase(ConnId);
  }
  std::lock_guard<FairMutex> Lock(S.EngineMutex);
  Session.reset();
}

/// The parameters of a request target such as `/ws?kg=name&last_seq=7`;
/// an error (for an HTTP 400) when `last_seq` is not a whole number.
/// Parameters the server does not know are ignored, as it ignores them.
llvm::Expected<ConnectParams> connectParams(StringRef Query) {
  llvm::SmallVector<StringRef, 4> Params;
  Query.split(Params, '&');
  ConnectParams Out;
  for (StringRef P : Params) {
    auto [Key, Val] = P.split('=');
    if (Key == "kg" && !Val.empty())
      Out.Graph = ws::percentDecode(Val);
    if (Key == "epoch")
      Out.Epoch = ws::percentDecode(Val).substr(0, 64);
    if (Key == "last_seq") {
      uint64_t Seq = 0;
      if (Val.empty() || Val.size() > 20 || !llvm::all_of(Val, llvm::isDigit) ||
          Val.getAsInteger(10, Seq))
        return execError(fmt::format("invalid last_seq `{}`: expected a whole number",
                                     Val.take_front(40).str()));
      Out.LastSeq = Seq;
    }
  }
  return Out;
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
  llvm::Expected<ConnectParams> Params = connectParams(Query);
  if (!Params) {
    llvm::consumeError(ws::writeHttpResponse(Sock, 400, "text/plain",
                                             llvm::toString(Params.takeError()) + "\n", D));
    return;
  }
  // Without credentials the connection has its session once upgraded;
  // count it as authenticated before the client can see the upgrade.
  if (!S.needsAuth())
    S.Connections.authenticated(Id);
  llvm::Expected<ws::Connection> Conn = ws::acceptUpgrade(std::move(Sock), std::move(*Req), D);
  if (!Conn) {
    llvm::consumeError(Conn.takeError());
    return;
  }
  ClientConnection(S, std::move(*Conn), std::move(*Params), std::move(Address), Id).run();
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
  S.Epoch =
      fmt::format("{:x}", uint64_t(std::chrono::system_clock::now().time_since_epoch().count()) ^
                              (uint64_t(::getpid()) << 40));

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
