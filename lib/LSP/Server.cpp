//===- Server.cpp - The language server: dispatch and lifecycle -----------===//
#include "strata/LSP/Server.h"
#include "FeatureSupport.h"

using namespace strata;
using namespace strata::lsp;

Server::Server(llvm::raw_ostream &Out, ServerOptions Opts) : Out(Out), Opts(Opts) {}

namespace {
llvm::json::Value trueValue() { return true; }
llvm::json::Value syncOptions() {
  // 2 = incremental: the client sends the changed ranges.
  return llvm::json::Object{
      {"openClose", true}, {"change", 2}, {"save", llvm::json::Object{{"includeText", false}}}};
}
llvm::json::Value codeActionOptions() {
  return llvm::json::Object{{"codeActionKinds", llvm::json::Array{"quickfix"}}};
}
llvm::json::Value renameOptions() { return llvm::json::Object{{"prepareProvider", true}}; }
llvm::json::Value completionOptions() {
  // `{` opens a named atom's columns; `(` and `,` start an argument.
  return llvm::json::Object{{"triggerCharacters", llvm::json::Array{"{", "(", ","}},
                            {"resolveProvider", false}};
}
llvm::json::Value codeLensOptions() { return llvm::json::Object{{"resolveProvider", false}}; }
llvm::json::Value executeCommandOptions() {
  return llvm::json::Object{
      {"commands", llvm::json::Array{MakeMigrationCommand, ShowPendingChangesCommand}}};
}
llvm::json::Value semanticTokensOptions() {
  llvm::json::Array Types, Modifiers;
  for (llvm::StringRef T : semanticTokenTypes())
    Types.push_back(T);
  for (llvm::StringRef M : semanticTokenModifiers())
    Modifiers.push_back(M);
  return llvm::json::Object{
      {"legend", llvm::json::Object{{"tokenTypes", std::move(Types)},
                                    {"tokenModifiers", std::move(Modifiers)}}},
      {"full", true}};
}
} // namespace

llvm::ArrayRef<Server::RequestEntry> Server::requestTable() {
  static const RequestEntry Table[] = {
      {"initialize", &Server::initialize, nullptr, nullptr},
      {"shutdown", &Server::shutdown, nullptr, nullptr},
      {"textDocument/codeAction", &Server::codeAction, "codeActionProvider", codeActionOptions},
      {"textDocument/formatting", &Server::formatting, "documentFormattingProvider", trueValue},
      {"textDocument/rangeFormatting", &Server::rangeFormatting, "documentRangeFormattingProvider",
       trueValue},
      {"textDocument/documentSymbol", &Server::documentSymbol, "documentSymbolProvider", trueValue},
      {"workspace/symbol", &Server::workspaceSymbol, "workspaceSymbolProvider", trueValue},
      {"textDocument/semanticTokens/full", &Server::semanticTokensFull, "semanticTokensProvider",
       semanticTokensOptions},
      {"textDocument/foldingRange", &Server::foldingRange, "foldingRangeProvider", trueValue},
      {"textDocument/codeLens", &Server::codeLens, "codeLensProvider", codeLensOptions},
      {"workspace/executeCommand", &Server::executeCommand, "executeCommandProvider",
       executeCommandOptions},
      {"textDocument/hover", &Server::hover, "hoverProvider", trueValue},
      {"textDocument/definition", &Server::definition, "definitionProvider", trueValue},
      {"textDocument/references", &Server::references, "referencesProvider", trueValue},
      {"textDocument/rename", &Server::rename, "renameProvider", renameOptions},
      {"textDocument/prepareRename", &Server::prepareRename, nullptr, nullptr},
      {"textDocument/completion", &Server::completion, "completionProvider", completionOptions},
  };
  return Table;
}

llvm::ArrayRef<Server::NotificationEntry> Server::notificationTable() {
  static const NotificationEntry Table[] = {
      {"initialized", &Server::initialized},        {"exit", &Server::exit},
      {"textDocument/didOpen", &Server::didOpen},   {"textDocument/didChange", &Server::didChange},
      {"textDocument/didClose", &Server::didClose}, {"textDocument/didSave", &Server::didSave},
  };
  return Table;
}

llvm::Expected<llvm::json::Value> Server::initialize(const llvm::json::Value &Params) {
  const llvm::json::Object *P = Params.getAsObject();
  if (!P)
    return invalidParams("`initialize` takes an object");
  if (Initialized)
    return llvm::make_error<LspError>(ErrorCode::InvalidRequest, "already initialized");
  // The workspace: the first folder, else rootUri, else rootPath.
  std::optional<std::string> Root;
  if (const llvm::json::Array *Folders = P->getArray("workspaceFolders"))
    if (!Folders->empty())
      if (const llvm::json::Object *F = Folders->front().getAsObject())
        if (llvm::Optional<llvm::StringRef> Uri = F->getString("uri"))
          Root = uriToPath(*Uri);
  if (!Root)
    if (llvm::Optional<llvm::StringRef> Uri = P->getString("rootUri"))
      Root = uriToPath(*Uri);
  if (!Root)
    if (llvm::Optional<llvm::StringRef> Path = P->getString("rootPath"))
      Root = Path->str();
  if (!Opts.Sandbox.empty() && !(Root && llvm::StringRef(*Root).startswith(Opts.Sandbox + "/")))
    Root = Opts.Sandbox;
  Files.setSandbox(Opts.Sandbox);
  Files.setRoot(Root.value_or("."));
  Files.setDirectories(Opts.SchemaDir, Opts.MigrationsDir);
  Initialized = true;
  llvm::json::Object Capabilities{{"textDocumentSync", syncOptions()}};
  for (const RequestEntry &E : requestTable())
    if (E.Capability)
      Capabilities[E.Capability] = E.CapabilityValue();
  return llvm::json::Object{
      {"capabilities", std::move(Capabilities)},
      {"serverInfo", llvm::json::Object{{"name", "strata"}, {"version", strataVersion()}}}};
}

llvm::Expected<llvm::json::Value> Server::shutdown(const llvm::json::Value &) {
  ShutdownRequested = true;
  return nullptr;
}

void Server::initialized(const llvm::json::Value &) {}

void Server::exit(const llvm::json::Value &) { Exited = true; }

void Server::reply(const llvm::json::Value &Id, llvm::Expected<llvm::json::Value> Result) {
  if (!Result) {
    ErrorCode Code = ErrorCode::InternalError;
    std::string Message;
    llvm::handleAllErrors(
        Result.takeError(),
        [&](const LspError &E) {
          Code = E.Code;
          Message = E.Message;
        },
        [&](const llvm::ErrorInfoBase &E) { Message = E.message(); });
    replyError(Id, Code, Message);
    return;
  }
  writeMessage(Out, llvm::json::Object{{"jsonrpc", "2.0"}, {"id", Id}, {"result", *Result}});
}

void Server::replyError(const llvm::json::Value &Id, ErrorCode Code, const llvm::Twine &Message) {
  writeMessage(Out, llvm::json::Object{{"jsonrpc", "2.0"},
                                       {"id", Id},
                                       {"error", llvm::json::Object{{"code", int(Code)},
                                                                    {"message", Message.str()}}}});
}

void Server::notify(llvm::StringRef Method, llvm::json::Value Params) {
  writeMessage(Out, llvm::json::Object{
                        {"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
}

namespace {
std::string idKey(const llvm::json::Value &Id) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << Id;
  return OS.str();
}
bool validId(const llvm::json::Value *Id) {
  return Id && (Id->kind() == llvm::json::Value::Number || Id->kind() == llvm::json::Value::String);
}
} // namespace

void Server::handleRequest(const llvm::json::Value &Id, llvm::StringRef Method,
                           const llvm::json::Value &Params) {
  if (Cancelled.erase(idKey(Id)))
    return replyError(Id, ErrorCode::RequestCancelled, "request cancelled");
  if (!Initialized && Method != "initialize")
    return replyError(Id, ErrorCode::ServerNotInitialized, "the server is not initialized");
  if (ShutdownRequested)
    return replyError(Id, ErrorCode::InvalidRequest, "the server is shutting down");
  for (const RequestEntry &E : requestTable())
    if (Method == E.Method)
      return reply(Id, (this->*E.Handler)(Params));
  replyError(Id, ErrorCode::MethodNotFound, "unknown method `" + Method + "`");
}

void Server::handleNotification(llvm::StringRef Method, const llvm::json::Value &Params) {
  // Before `initialize` every notification but `exit` is dropped, and
  // unknown ones (`$/...` included) always are, as LSP says.
  if (!Initialized && Method != "exit")
    return;
  for (const NotificationEntry &E : notificationTable())
    if (Method == E.Method)
      return (this->*E.Handler)(Params);
}

void Server::handleMessage(llvm::StringRef Body) {
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Body);
  if (!Parsed) {
    replyError(nullptr, ErrorCode::ParseError, llvm::toString(Parsed.takeError()));
    return;
  }
  const llvm::json::Object *M = Parsed->getAsObject();
  if (!M)
    return replyError(nullptr, ErrorCode::InvalidRequest, "a message must be an object");
  const llvm::json::Value *Id = M->get("id");
  llvm::Optional<llvm::StringRef> Method = M->getString("method");
  static const llvm::json::Value NoParams = nullptr;
  const llvm::json::Value *Params = M->get("params");
  if (!Params)
    Params = &NoParams;
  if (!Method) {
    // A response to a request of ours (we send none) has an id and no
    // method: nothing to do. Anything else is not a message.
    if (!Id || (!M->get("result") && !M->get("error")))
      replyError(validId(Id) ? *Id : nullptr, ErrorCode::InvalidRequest,
                 "a message needs a `method`");
    return;
  }
  if (Id) {
    if (!validId(Id))
      return replyError(nullptr, ErrorCode::InvalidRequest, "a request id is a number or a string");
    return handleRequest(*Id, *Method, *Params);
  }
  handleNotification(*Method, *Params);
}

bool Server::noteCancel(const llvm::json::Value &Message) {
  const llvm::json::Object *M = Message.getAsObject();
  if (!M || M->getString("method") != llvm::StringRef("$/cancelRequest") || M->get("id"))
    return false;
  if (const llvm::json::Object *P = M->getObject("params"))
    if (const llvm::json::Value *Id = P->get("id"); validId(Id)) {
      // Ids of requests already answered would pile up: keep a bounded set.
      if (Cancelled.size() >= 4096)
        Cancelled.clear();
      Cancelled.insert(idKey(*Id));
    }
  return true;
}

int Server::run(MessageReader &In) {
  // Messages are read ahead while more are waiting, so that a cancellation
  // behind its request is seen before the request runs; they are handled
  // strictly in order.
  std::deque<std::string> Queue;
  bool Ended = false;
  while (!Exited && !(Ended && Queue.empty())) {
    if (!Ended && (Queue.empty() || (Queue.size() < Opts.MaxQueued && In.readyNow()))) {
      ReadResult R = In.next();
      if (R.TheKind == ReadResult::Kind::End) {
        Ended = true;
      } else if (R.TheKind == ReadResult::Kind::Malformed) {
        replyError(nullptr, ErrorCode::ParseError, R.Problem);
      } else {
        if (llvm::StringRef(R.Body).contains("$/cancelRequest")) {
          llvm::Expected<llvm::json::Value> V = llvm::json::parse(R.Body);
          if (!V)
            llvm::consumeError(V.takeError()); // handleMessage reports it in order
          else if (noteCancel(*V))
            continue;
        }
        Queue.push_back(std::move(R.Body));
      }
      continue;
    }
    std::string Body = std::move(Queue.front());
    Queue.pop_front();
    handleMessage(Body);
  }
  return exitStatus();
}
