//===- Server.h - The embedded engine behind the WebSocket protocol -*- C++ -*-===//
//
// `strata serve`: the InputLayer WebSocket protocol (target-iql.md) in front
// of an engine whose state lives in a state file, so the WebSocket client
// can be tested over loopback and developers can run a local server.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_SERVER_H
#define STRATA_EXEC_SERVER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cstdint>
#include <string>

namespace strata::exec {

/// What keeps one client from taking the server from the others. Every
/// field is a `strata serve` option; docs/targets.md lists them.
struct ServerLimits {
  /// Time to send the HTTP upgrade request, and then to log in.
  std::chrono::milliseconds HandshakeTimeout{std::chrono::seconds(10)};
  std::chrono::milliseconds AuthTimeout{std::chrono::seconds(30)};
  /// An authenticated connection that sends nothing for this long is
  /// closed; zero: never.
  std::chrono::milliseconds IdleTimeout{std::chrono::minutes(10)};
  /// Connections at once; from one client address; and not yet
  /// authenticated (the oldest of those is dropped to admit a newcomer).
  size_t MaxConnections = 64;
  size_t MaxConnectionsPerAddress = 32;
  size_t MaxUnauthenticated = 16;
  /// Failed logins per user and per address answered at once; after them
  /// each failure locks the user and the address out for LoginBackoff,
  /// doubled per further failure, at most LoginBackoffMax.
  unsigned FreeLoginFailures = 3;
  std::chrono::milliseconds LoginBackoff{std::chrono::seconds(1)};
  std::chrono::milliseconds LoginBackoffMax{std::chrono::minutes(5)};
  /// Wall-clock time one request's evaluation may take; zero: no limit.
  std::chrono::milliseconds RequestTimeout{std::chrono::seconds(60)};
  /// Zero: the state file is written after every request that changed
  /// it, before the reply, so a killed server loses nothing it answered.
  /// Otherwise at most this often (and when the server stops): a killed
  /// server may lose that much, but a client sending thousands of small
  /// changes no longer pays a whole-file write for each.
  std::chrono::milliseconds SaveInterval{0};
};

struct ServerOptions {
  std::string Host = "127.0.0.1";
  unsigned Port = 8080; // 0: any free port
  /// The engine's state file; saved after every request that changed it.
  std::string StatePath;
  /// Accepted credentials. Both empty: no authentication is required
  /// (any login / authenticate succeeds).
  std::string User, Password, ApiKey;
  /// Where `listening on HOST:PORT` (the actual port) is printed once the
  /// socket accepts connections, so a test can wait for it.
  llvm::raw_ostream *Log = nullptr;
  /// Test hook: close every connection after this many `execute`
  /// requests (0: never), to test clients against a server that goes away.
  unsigned CloseAfterRequests = 0;
  ServerLimits Limits;
};

/// Serves until SIGINT/SIGTERM; returns an error when it cannot listen or
/// the state file is unusable.
llvm::Error runServer(const ServerOptions &Opts);

} // namespace strata::exec

#endif
