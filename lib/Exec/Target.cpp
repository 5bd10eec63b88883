//===- Target.cpp - Target URLs and opening targets -----------------------===//
#include "strata/Exec/Target.h"
#include "ExecError.h"
#include "FileTarget.h"
#include "strata/Exec/WsTarget.h"
#include "strata/IQL/Names.h"
#include "llvm/Support/Path.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;
using llvm::StringRef;

exec::Target::~Target() = default;

namespace {
llvm::Error badUrl(StringRef Url, const std::string &Why) {
  return execError(fmt::format("bad target URL `{}`: {}; expected file:PATH, ws://HOST:PORT/ws or "
                               "wss://HOST:PORT/ws (docs/targets.md)",
                               Url.str(), Why));
}

/// `?kg=NAME` (the only query parameter targets take).
llvm::Error readQuery(StringRef Url, StringRef Query, TargetUrl &Out) {
  if (Query.empty())
    return llvm::Error::success();
  llvm::SmallVector<StringRef, 4> Params;
  Query.split(Params, '&');
  for (StringRef P : Params) {
    auto [Key, Value] = P.split('=');
    if (Key != "kg")
      return badUrl(Url, fmt::format("unknown parameter `{}` (only `kg` is known)", Key.str()));
    if (Value.empty())
      return badUrl(Url, "`kg=` needs a knowledge-graph name");
    if (std::string Why = iql::graphNameProblem(Value); !Why.empty())
      return badUrl(Url, Why);
    Out.Graph = Value.str();
  }
  return llvm::Error::success();
}

llvm::Expected<TargetUrl> parseFileUrl(StringRef Url, StringRef Rest) {
  TargetUrl Out;
  Out.TheScheme = TargetUrl::Scheme::File;
  if (Rest.consume_front("//") && !Rest.startswith("/"))
    return badUrl(Url, "a file:// URL needs an absolute path (file:///abs/path) or use "
                       "file:relative/path");
  auto [Path, Query] = Rest.split('?');
  if (Path.empty())
    return badUrl(Url, "no state-file path after `file:`");
  if (llvm::Error E = readQuery(Url, Query, Out))
    return E;
  Out.Path = Path.str();
  Out.Display = Url.str();
  return Out;
}

llvm::Expected<TargetUrl> parseWsUrl(StringRef Url, StringRef Rest, bool Tls) {
  TargetUrl Out;
  Out.TheScheme = Tls ? TargetUrl::Scheme::Wss : TargetUrl::Scheme::Ws;
  size_t PathStart = Rest.find_first_of("/?");
  StringRef Authority = Rest.substr(0, PathStart);
  StringRef PathAndQuery = PathStart == StringRef::npos ? "" : Rest.substr(PathStart);
  if (Authority.contains('@'))
    return badUrl(
        (Url.substr(0, Url.size() - Rest.size()) + "***@" + Rest.substr(Authority.find('@') + 1))
            .str(),
        "credentials in the URL are not accepted (they end up in shell history "
        "and logs); use --user with --password-file, or STRATA_USER/STRATA_PASSWORD");
  StringRef Host = Authority, Port;
  if (Authority.startswith("[")) { // [::1]:8080
    size_t Close = Authority.find(']');
    if (Close == StringRef::npos)
      return badUrl(Url, "unclosed `[` in the host");
    Host = Authority.slice(1, Close);
    StringRef After = Authority.substr(Close + 1);
    if (!After.empty() && !After.consume_front(":"))
      return badUrl(Url, "expected `:PORT` after the host");
    Port = After;
  } else if (size_t Colon = Authority.rfind(':'); Colon != StringRef::npos) {
    Host = Authority.substr(0, Colon);
    Port = Authority.substr(Colon + 1);
  }
  if (Host.empty())
    return badUrl(Url, "no host");
  Out.Host = Host.str();
  Out.Port = Tls ? 443 : 8080;
  if (!Port.empty() && (Port.getAsInteger(10, Out.Port) || Out.Port == 0 || Out.Port > 65535))
    return badUrl(Url, fmt::format("`{}` is not a port number (1-65535)", Port.str()));
  auto [Path, Query] = PathAndQuery.split('?');
  Out.Path = Path.empty() ? "/ws" : Path.str();
  if (llvm::Error E = readQuery(Url, Query, Out))
    return E;
  Out.Display = Url.str();
  return Out;
}
} // namespace

llvm::Expected<TargetUrl> exec::parseTargetUrl(StringRef Url) {
  StringRef Rest = Url;
  if (Rest.consume_front("file:"))
    return parseFileUrl(Url, Rest);
  if (Rest.consume_front("ws://"))
    return parseWsUrl(Url, Rest, /*Tls=*/false);
  if (Rest.consume_front("wss://"))
    return parseWsUrl(Url, Rest, /*Tls=*/true);
  size_t Colon = Url.find(':');
  if (Colon == StringRef::npos || Colon == 0)
    return badUrl(Url, "no scheme");
  return badUrl(Url, fmt::format("unsupported scheme `{}:`", Url.substr(0, Colon).str()));
}

llvm::Expected<std::unique_ptr<Target>> exec::openTarget(StringRef Url, const TargetOptions &Opts) {
  llvm::Expected<TargetUrl> Parsed = parseTargetUrl(Url);
  if (!Parsed)
    return Parsed.takeError();
  if (Parsed->TheScheme == TargetUrl::Scheme::File)
    return openFileTarget(*Parsed);
  return openWebSocketTarget(*Parsed, Opts);
}

std::string exec::defaultTargetUrl(StringRef ProjectRoot) {
  llvm::SmallString<256> Path;
  if (!ProjectRoot.empty() && ProjectRoot != ".")
    Path = ProjectRoot;
  llvm::sys::path::append(Path, ".strata", "dev.kg");
  return "file:" + std::string(Path);
}
