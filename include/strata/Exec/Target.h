//===- Target.h - Where migrations run ---------------------------*- C++ -*-===//
//
// A target is a knowledge graph the executor talks to through one call:
// send a program, get the reply. Two kinds exist, chosen by URL:
//
//   file:PATH                  the embedded engine, its state in PATH
//                              (default `file:.strata/dev.kg`)
//   ws://HOST:PORT/ws[?kg=G]   an InputLayer server (or `strata serve`)
//   wss://...                  the same over TLS (docs/targets.md)
//
// Precedence of the URL (docs/targets.md): `--target`, then the
// STRATA_TARGET environment variable, then strata.toml's `target`, then the
// default.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_TARGET_H
#define STRATA_EXEC_TARGET_H

#include "strata/Engine/Reply.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace strata::engine {
class Session;
} // namespace strata::engine

namespace strata::exec {

/// Never printed: describe() and every message leave them out.
struct Credentials {
  std::string User, Password; // `login`
  std::string ApiKey;         // `authenticate` (wins over User/Password)
  bool empty() const { return User.empty() && ApiKey.empty(); }
};

struct TargetOptions {
  Credentials Creds;
  /// Per request: connect, send, and wait for the whole reply.
  std::chrono::milliseconds Timeout{30000};
};

/// A target URL taken apart.
struct TargetUrl {
  enum class Scheme { File, Ws, Wss } TheScheme = Scheme::File;
  std::string Path;  // file: the state file; ws: the request path (`/ws`)
  std::string Host;  // ws
  unsigned Port = 0; // ws
  std::string Graph; // ws: `?kg=NAME`, empty when not given
  /// The URL as given, minus any user:password@ part.
  std::string Display;
};

/// Parses Url; the error says what is wrong and lists the schemes.
llvm::Expected<TargetUrl> parseTargetUrl(llvm::StringRef Url);

/// How to take the migration lock (docs/safety.md "The lock").
struct LockOptions {
  /// `--break-lock`: take over a lock whose holder is not provably alive
  /// (a live holder on this host is never broken).
  bool Break = false;
  /// Set to what happened to an earlier holder (taken over, broken), for
  /// the driver to print; may be null.
  std::string *Notice = nullptr;
};

class Target {
public:
  virtual ~Target();

  /// The URL without credentials, for messages.
  virtual std::string describe() const = 0;

  /// Sends one program and waits for its reply. A transport failure
  /// (refused connection, timeout, a connection closed mid-request, a
  /// protocol violation) is an llvm::Error; a server's `error` frame is a
  /// Reply with IsError set.
  virtual llvm::Expected<Reply> execute(llvm::StringRef Program) = 0;

  /// Makes what execute() changed durable. file: writes the state file
  /// (crash-safely); ws: nothing (the server persists as it goes).
  virtual llvm::Error commit() { return llvm::Error::success(); }

  /// Discards what execute() changed since the last commit, when the
  /// target can (file: reloads the state file); returns false otherwise.
  virtual bool discardUncommitted() { return false; }

  /// Takes the migration lock for Holder (currentLockHolder()), or fails
  /// fast with an error naming the current holder. file: an OS lock on
  /// PATH.lock held until unlock() or exit; ws: an advisory lock fact,
  /// taken over at once from a holder that is provably gone
  /// (docs/safety.md).
  virtual llvm::Error lock(llvm::StringRef Holder, const LockOptions &LO) = 0;
  virtual void unlock() = 0;

  /// The largest request the target takes, in bytes of its message on
  /// the wire; 0 when a request never crosses one (file:). Where it is
  /// set, the executor sends a move of many facts in batches that fit
  /// (docs/safety.md, "Moves in batches").
  virtual size_t maxRequestBytes() const { return 0; }

  /// The engine session execute() runs on when the engine is in this
  /// process (file:), for copies that need no IQL text; null for a
  /// remote target (ws://).
  virtual const engine::Session *inProcessSession() const { return nullptr; }
};

/// Opens the target; for ws:// this connects and authenticates.
llvm::Expected<std::unique_ptr<Target>> openTarget(llvm::StringRef Url, const TargetOptions &Opts);

/// The default target of a project: `file:<root>/.strata/dev.kg`.
std::string defaultTargetUrl(llvm::StringRef ProjectRoot);

} // namespace strata::exec

#endif
