//===- Server.h - The language server: dispatch and lifecycle ---*- C++ -*-===//
//
// `strata lsp` in library form. The server reads framed JSON-RPC messages
// (Transport.h), answers requests in the order they arrive and writes
// replies and notifications to one stream, which carries nothing else.
//
// Each request or notification the server understands is one member
// function and one row of a table (Server.cpp, requestTable and
// notificationTable); a request row also says what the server advertises
// for it in `initialize`, so the capabilities are exactly the table.
//
// Lifecycle as LSP requires: requests before `initialize` are refused
// (-32002), after `shutdown` they are invalid (-32600); `exit` ends the
// loop with status 0 after `shutdown`, 1 without. The end of the input
// ends it the same way. A `$/cancelRequest` for a request still waiting is
// answered with RequestCancelled (-32800) in that request's place.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LSP_SERVER_H
#define STRATA_LSP_SERVER_H

#include "strata/LSP/Transport.h"
#include "strata/LSP/Workspace.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <deque>
#include <string>

namespace strata::lsp {

class IndexRanges;

/// JSON-RPC and LSP error codes.
enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
  RequestCancelled = -32800,
};

/// A request's failure, as a handler returns it.
class LspError : public llvm::ErrorInfo<LspError> {
public:
  static char ID;
  LspError(ErrorCode Code, std::string Message) : Code(Code), Message(std::move(Message)) {}
  void log(llvm::raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

  ErrorCode Code;
  std::string Message;
};

llvm::Error invalidParams(const llvm::Twine &Why);

struct ServerOptions {
  /// Waiting messages read ahead (to see cancellations) before the first
  /// of them is handled; bounds the memory input can take.
  size_t MaxQueued = 64;
  /// When set, these directories win over strata.toml's (the command
  /// line's --schema and --migrations).
  std::string SchemaDir, MigrationsDir;
  /// When set (the fuzzer), every path the server reads or writes lies
  /// under this directory: other URIs are invalid params, a root outside
  /// it is replaced by it, and writing migrations is refused.
  std::string Sandbox;
};

class Server {
public:
  explicit Server(llvm::raw_ostream &Out, ServerOptions Opts = {});

  /// Reads and answers messages until `exit` or the end of the input.
  /// Returns the process's exit status.
  int run(MessageReader &In);

  /// Handles one message body (tests; run() calls it).
  void handleMessage(llvm::StringRef Body);
  bool exited() const { return Exited; }
  int exitStatus() const { return ShutdownRequested ? 0 : 1; }

  using RequestHandler = llvm::Expected<llvm::json::Value> (Server::*)(const llvm::json::Value &);
  using NotificationHandler = void (Server::*)(const llvm::json::Value &);
  struct RequestEntry {
    const char *Method;
    RequestHandler Handler;
    /// The ServerCapabilities key advertised for it, or null.
    const char *Capability;
    llvm::json::Value (*CapabilityValue)();
  };
  struct NotificationEntry {
    const char *Method;
    NotificationHandler Handler;
  };

private:
  static llvm::ArrayRef<RequestEntry> requestTable();
  static llvm::ArrayRef<NotificationEntry> notificationTable();

  void handleRequest(const llvm::json::Value &Id, llvm::StringRef Method,
                     const llvm::json::Value &Params);
  void handleNotification(llvm::StringRef Method, const llvm::json::Value &Params);
  /// Notes a `$/cancelRequest` seen while reading ahead.
  bool noteCancel(const llvm::json::Value &Message);
  void reply(const llvm::json::Value &Id, llvm::Expected<llvm::json::Value> Result);
  void replyError(const llvm::json::Value &Id, ErrorCode Code, const llvm::Twine &Message);
  void notify(llvm::StringRef Method, llvm::json::Value Params);
  void publish(const std::vector<std::string> &Paths);

  // Lifecycle.
  llvm::Expected<llvm::json::Value> initialize(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> shutdown(const llvm::json::Value &Params);
  void initialized(const llvm::json::Value &Params);
  void exit(const llvm::json::Value &Params);

  // Documents (ServerDocuments.cpp).
  void didOpen(const llvm::json::Value &Params);
  void didChange(const llvm::json::Value &Params);
  void didClose(const llvm::json::Value &Params);
  void didSave(const llvm::json::Value &Params);

  // Features, a file each.
  llvm::Expected<llvm::json::Value> codeAction(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> formatting(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> rangeFormatting(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> documentSymbol(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> workspaceSymbol(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> semanticTokensFull(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> foldingRange(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> codeLens(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> executeCommand(const llvm::json::Value &Params);
  // Over the workspace's symbol index.
  llvm::Expected<llvm::json::Value> hover(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> definition(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> references(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> rename(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> prepareRename(const llvm::json::Value &Params);
  llvm::Expected<llvm::json::Value> completion(const llvm::json::Value &Params);

  /// The path of params.textDocument.uri, or an InvalidParams error.
  llvm::Expected<std::string> documentPath(const llvm::json::Value &Params);
  /// params.textDocument and params.position as a path and a byte offset
  /// into the index's text of it (Navigation.cpp).
  struct Cursor {
    std::string Path;
    size_t Offset = 0;
  };
  llvm::Expected<Cursor> cursor(const llvm::json::Value &Params, IndexRanges &Ranges);

  llvm::raw_ostream &Out;
  ServerOptions Opts;
  Workspace Files;
  bool Initialized = false;
  bool ShutdownRequested = false;
  bool Exited = false;
  /// Ids (as JSON text) of waiting requests a `$/cancelRequest` named.
  llvm::StringSet<> Cancelled;
};

} // namespace strata::lsp

#endif
