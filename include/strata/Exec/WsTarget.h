//===- WsTarget.h - The InputLayer WebSocket client target -------*- C++ -*-===//
#ifndef STRATA_EXEC_WSTARGET_H
#define STRATA_EXEC_WSTARGET_H

#include "strata/Exec/Target.h"

namespace strata::exec {

/// Connects to Url (ws:// or wss://), upgrades to WebSocket on Url.Path
/// with `?kg=` when Url.Graph is set, and authenticates with Opts.Creds
/// (`authenticate` with the API key, else `login`). Errors name the host
/// and say what failed (refused, timed out, bad credentials, not a
/// WebSocket server, ...), never the credentials.
llvm::Expected<std::unique_ptr<Target>> openWebSocketTarget(const TargetUrl &Url,
                                                            const TargetOptions &Opts);

} // namespace strata::exec

#endif
