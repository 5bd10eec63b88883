//===- ServeCommand.cpp - `strata serve`: a local InputLayer-protocol server -===//
#include "Commands.h"
#include "EvaluationFlags.h"
#include "TargetFlags.h"
#include "strata/Exec/Credentials.h"
#include "strata/Exec/Server.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <cstdlib>

using namespace strata;
using namespace strata::driver;

namespace {
/// A secret from `--NAME-env VAR` or `--NAME-file FILE`; nullopt after
/// printing a usage error (Exit is set then).
std::optional<std::string> secretOption(Invocation &Inv, const char *EnvFlag, const char *FileFlag,
                                        const char *What, int &Exit) {
  std::optional<std::string> Var = Inv.value(EnvFlag), File = Inv.value(FileFlag);
  if (Var && File) {
    Exit = Inv.usageError(std::string("give `") + EnvFlag + "` or `" + FileFlag + "`, not both");
    return std::nullopt;
  }
  if (Var) {
    llvm::Optional<std::string> Value = exec::processEnv(*Var);
    if (!Value)
      Exit = Inv.usageError("the environment variable `" + *Var + "` (from `" + EnvFlag +
                            "`) is not set or empty");
    return Value ? std::optional<std::string>(*Value) : std::nullopt;
  }
  if (File) {
    llvm::Expected<std::string> Value = exec::readSecretFile(*File, What);
    if (!Value) {
      Exit = Inv.usageError(llvm::toString(Value.takeError()));
      return std::nullopt;
    }
    return *Value;
  }
  return std::string();
}

/// A duration: a number with `ms`, `s` or `m` after it (`250ms`, `30s`,
/// `10m`); a bare number is seconds.
std::optional<std::chrono::milliseconds> parseDuration(llvm::StringRef Text) {
  uint64_t Scale = 1000;
  if (Text.consume_back("ms"))
    Scale = 1;
  else if (Text.consume_back("s"))
    Scale = 1000;
  else if (Text.consume_back("m"))
    Scale = 60 * 1000;
  uint64_t N;
  if (Text.empty() || Text.getAsInteger(10, N) || N > (uint64_t(1) << 40))
    return std::nullopt;
  return std::chrono::milliseconds(N * Scale);
}

/// Reads the limit flags into L; false after a usage error (Exit is set).
bool limitOptions(Invocation &Inv, exec::ServerLimits &L, int &Exit) {
  std::pair<const char *, std::chrono::milliseconds *> Durations[] = {
      {"--handshake-timeout", &L.HandshakeTimeout}, {"--auth-timeout", &L.AuthTimeout},
      {"--idle-timeout", &L.IdleTimeout},           {"--login-backoff", &L.LoginBackoff},
      {"--save-interval", &L.SaveInterval},         {"--request-timeout", &L.RequestTimeout}};
  for (auto [Flag, Field] : Durations)
    if (std::optional<std::string> V = Inv.value(Flag)) {
      std::optional<std::chrono::milliseconds> D = parseDuration(*V);
      if (!D) {
        Exit = Inv.usageError(std::string("`") + Flag + "` must be a duration such as `30s` or " +
                              "`250ms`, not `" + *V + "`");
        return false;
      }
      *Field = *D;
    }
  std::pair<const char *, uint64_t> Counts[] = {
      {"--max-connections", L.MaxConnections},
      {"--max-connections-per-address", L.MaxConnectionsPerAddress},
      {"--max-unauthenticated", L.MaxUnauthenticated}};
  for (auto &[Flag, Field] : Counts)
    if (std::optional<std::string> V = Inv.value(Flag))
      if (llvm::StringRef(*V).getAsInteger(10, Field) || Field == 0) {
        Exit = Inv.usageError(std::string("`") + Flag + "` must be a positive number, not `" + *V +
                              "`");
        return false;
      }
  L.MaxConnections = Counts[0].second;
  L.MaxConnectionsPerAddress = Counts[1].second;
  L.MaxUnauthenticated = Counts[2].second;
  // The engine's bounds are per process, and this process only serves.
  return applyEvaluationOptions(Inv, Exit);
}

bool isLoopback(llvm::StringRef Host) {
  return Host == "localhost" || Host.startswith("127.") || Host == "::1";
}

int runServe(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`serve` takes no arguments");
  releaseFreedMemory();
  if (!Inv.loadProject())
    return Inv.finish();

  exec::ServerOptions Opts;
  Opts.Host = Inv.value("--host").value_or("127.0.0.1");
  if (std::optional<std::string> Port = Inv.value("--port"))
    if (llvm::StringRef(*Port).getAsInteger(10, Opts.Port) || Opts.Port > 65535)
      return Inv.usageError("`--port` must be a number from 0 to 65535, not `" + *Port + "`");
  if (std::optional<std::string> N = Inv.value("--close-after"))
    if (llvm::StringRef(*N).getAsInteger(10, Opts.CloseAfterRequests))
      return Inv.usageError("`--close-after` must be a number, not `" + *N + "`");

  int Exit = ExitOk;
  if (!limitOptions(Inv, Opts.Limits, Exit))
    return Exit;
  std::optional<std::string> Password =
      secretOption(Inv, "--password-env", "--password-file", "password file", Exit);
  if (!Password)
    return Exit;
  std::optional<std::string> ApiKey =
      secretOption(Inv, "--api-key-env", "--api-key-file", "API key file", Exit);
  if (!ApiKey)
    return Exit;
  Opts.User = Inv.value("--user").value_or("");
  Opts.Password = *Password;
  Opts.ApiKey = *ApiKey;
  if (Opts.User.empty() != Opts.Password.empty())
    return Inv.usageError(Opts.User.empty()
                              ? "a password needs `--user`"
                              : "`--user` needs `--password-env VAR` or `--password-file FILE`");

  if (std::optional<std::string> State = Inv.value("--state")) {
    Opts.StatePath = *State;
  } else {
    // The default state file lives in the project: outside one it would
    // litter whatever directory the command happened to run in.
    if (!Inv.requireProject("give the state file with `--state FILE`"))
      return Inv.finish();
    llvm::SmallString<256> Path(Inv.project().Root);
    llvm::sys::path::append(Path, ".strata", "serve.kg");
    Opts.StatePath = std::string(Path);
  }
  llvm::StringRef Dir = llvm::sys::path::parent_path(Opts.StatePath);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir)) {
      llvm::errs() << "strata serve: error: cannot create `" << Dir << "`: " << EC.message()
                   << "\n";
      return ExitDiagnostics;
    }

  if (Opts.User.empty() && Opts.ApiKey.empty() && !isLoopback(Opts.Host))
    llvm::errs() << "strata serve: warning: no credentials are required and `" << Opts.Host
                 << "` is not a loopback address: anyone who can reach it can change the "
                    "knowledge graphs\n";
  Opts.Log = &llvm::outs();
  if (llvm::Error E = exec::runServer(Opts)) {
    llvm::outs().flush();
    llvm::errs() << "strata serve: error: " << llvm::toString(std::move(E)) << "\n";
    return ExitDiagnostics;
  }
  return ExitOk;
}
} // namespace

const CommandSpec strata::driver::ServeCommand = {
    "serve",
    "serve the embedded engine over the InputLayer WebSocket protocol",
    "serve [options]",
    "Runs a local server that speaks the InputLayer WebSocket protocol\n"
    "(`ws://HOST:PORT/ws?kg=NAME`: login/authenticate, execute, ping; large\n"
    "results streamed in chunks) in front of Strata's embedded engine, so\n"
    "`--target ws://...` can be tried without an InputLayer server. Prints\n"
    "`listening on HOST:PORT` once it accepts connections; stops on Ctrl-C or\n"
    "SIGTERM, letting each connection finish its request.\n"
    "\n"
    "The knowledge graphs live in the state file and its journal\n"
    "(FILE.journal): what a request changed is appended to the journal and\n"
    "synced before the reply (or at most once per `--save-interval`), and\n"
    "folded into the state file when the journal grows and when the server\n"
    "stops; both are loaded at start, and a corrupt one stops the server from\n"
    "starting. Requests from all connections run one at a time, in the\n"
    "order they arrive.\n"
    "\n"
    "Without credentials any client is accepted (keep the default loopback\n"
    "host then). Secrets are read from an environment variable or a file,\n"
    "never from the command line. No TLS: see docs/targets.md.\n"
    "\n"
    "Limits (docs/targets.md): a client that does not finish the handshake,\n"
    "or log in, in time is dropped, and so is an idle one; connections are\n"
    "capped in total and per address, and clients not yet logged in may\n"
    "hold only a few slots; failed logins lock the user and the address out\n"
    "for a time that doubles with each further failure. A statement past the\n"
    "engine's limits (memory, rows, facts per relation, join steps; see\n"
    "docs/security.md) or the request timeout gets an error reply and\n"
    "changes nothing; the server goes on.",
    concatOptions(
        {{"--host", "HOST", "address to listen on (default: 127.0.0.1)"},
         {"--port", "PORT", "port to listen on (default: 8080; 0: any free port)"},
         {"--state", "FILE", "state file (default: `.strata/serve.kg` in the project)"},
         {"--user", "NAME", "require `login` with this user name"},
         {"--password-env", "VAR", "the user's password is in environment variable VAR"},
         {"--password-file", "FILE", "the user's password is the first line of FILE"},
         {"--api-key-env", "VAR",
          "accept `authenticate` with the API key in environment variable VAR"},
         {"--api-key-file", "FILE", "accept `authenticate` with the API key in FILE's first line"},
         {"--handshake-timeout", "TIME",
          "drop a client that has not sent its upgrade request after TIME (default: 10s; "
          "`250ms`, `30s`, `5m`)"},
         {"--auth-timeout", "TIME",
          "drop a client that has not logged in after TIME (default: 30s)"},
         {"--idle-timeout", "TIME",
          "close a connection that sends nothing for TIME (default: 10m; 0: never)"},
         {"--max-connections", "N", "connections at once (default: 64); more get HTTP 503"},
         {"--max-connections-per-address", "N", "connections from one address (default: 32)"},
         {"--max-unauthenticated", "N",
          "connections not yet logged in (default: 16); the oldest is dropped for a newcomer"},
         {"--login-backoff", "TIME",
          "after 3 failed logins for a user or from an address, refuse further attempts for TIME, "
          "doubled per failure up to 5m (default: 1s; 0: off)"},
         {"--save-interval", "TIME",
          "save changes at most once per TIME rather than after every request that "
          "changed something (default: 0, every request); a killed server may lose up to TIME "
          "of work"},
         {"--request-timeout", "TIME",
          "stop evaluating a request after TIME, with an error reply (default: 60s; 0: never)"},
         {"--close-after", "N",
          "testing aid: answer N `execute` requests per connection, then drop the connection "
          "when the next one arrives, without running it"}},
        evaluationOptions()),
    runServe,
};
