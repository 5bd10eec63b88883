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
#include <string>

namespace strata::exec {

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
};

/// Serves until SIGINT/SIGTERM; returns an error when it cannot listen or
/// the state file is unusable.
llvm::Error runServer(const ServerOptions &Opts);

} // namespace strata::exec

#endif
