//===- TargetFlags.cpp - Choosing and opening a target --------------------===//
#include "TargetFlags.h"
#include "EvaluationFlags.h"
#include "strata/Exec/Credentials.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <cstdlib>

using namespace strata;
using namespace strata::driver;

std::vector<OptionSpec> driver::targetOptions() {
  return concatOptions(
      {
          {"--target", "URL", "`file:PATH` or `ws://HOST:PORT/ws[?kg=NAME]` (see below)"},
          {"--user", "NAME", "user name to log in with (ws:// targets)"},
          {"--password-file", "FILE", "read the password from FILE's first line"},
          {"--api-key-file", "FILE", "read an API key from FILE's first line (instead of a user)"},
          {"--credentials-file", "FILE", "read `user`, `password`, `api_key` lines from FILE"},
          {"--timeout", "SECONDS", "per-request timeout for ws:// targets (default 30)"},
      },
      evaluationOptions());
}

std::vector<OptionSpec> driver::concatOptions(std::vector<OptionSpec> A,
                                              const std::vector<OptionSpec> &B) {
  A.insert(A.end(), B.begin(), B.end());
  return A;
}

ChosenTarget driver::chooseTarget(const Invocation &Inv) {
  if (std::optional<std::string> Flag = Inv.value("--target"))
    return {*Flag, "--target"};
  if (const char *Env = std::getenv("STRATA_TARGET"); Env && *Env)
    return {Env, "STRATA_TARGET"};
  if (!Inv.project().Target.empty()) {
    // Paths in strata.toml are relative to the project directory.
    llvm::StringRef Url = Inv.project().Target;
    if (Url.startswith("file:") && !Url.startswith("file://") &&
        !llvm::sys::path::is_absolute(Url.drop_front(5)) && Inv.project().Root != ".") {
      llvm::SmallString<256> Path(Inv.project().Root);
      llvm::sys::path::append(Path, Url.drop_front(5));
      return {"file:" + std::string(Path), "strata.toml"};
    }
    return {Url.str(), "strata.toml"};
  }
  // Shown in every message: keep it short when the project is here.
  llvm::SmallString<256> Cwd;
  if (!llvm::sys::fs::current_path(Cwd) && Cwd == Inv.project().Root)
    return {exec::defaultTargetUrl(""), "default"};
  return {exec::defaultTargetUrl(Inv.project().Root), "default"};
}

std::string driver::chosenTargetUrl(const Invocation &Inv) { return chooseTarget(Inv).Url; }

std::unique_ptr<exec::Target> driver::openChosenTarget(Invocation &Inv, int &Exit) {
  if (!applyEvaluationOptions(Inv, Exit))
    return nullptr;
  exec::CredentialFlags Flags;
  auto Set = [&](const char *Name, llvm::Optional<std::string> &Out) {
    if (std::optional<std::string> V = Inv.value(Name))
      Out = *V;
  };
  Set("--user", Flags.User);
  Set("--password-file", Flags.PasswordFile);
  Set("--api-key-file", Flags.ApiKeyFile);
  Set("--credentials-file", Flags.CredentialsFile);
  llvm::Expected<exec::Credentials> Creds = exec::credentialsFrom(Flags);
  if (!Creds) {
    Exit = Inv.usageError(llvm::toString(Creds.takeError()));
    return nullptr;
  }
  exec::TargetOptions Opts;
  Opts.Creds = std::move(*Creds);
  if (std::optional<std::string> T = Inv.value("--timeout")) {
    unsigned Seconds = 0;
    if (llvm::StringRef(*T).getAsInteger(10, Seconds) || Seconds == 0) {
      Exit = Inv.usageError("`--timeout` takes a positive number of seconds");
      return nullptr;
    }
    Opts.Timeout = std::chrono::seconds(Seconds);
  }
  llvm::Expected<std::unique_ptr<exec::Target>> T = exec::openTarget(chosenTargetUrl(Inv), Opts);
  if (!T) {
    Inv.diags().report(DiagKind::ExecTargetFailed, llvm::SMLoc(), llvm::toString(T.takeError()));
    Exit = Inv.finish();
    return nullptr;
  }
  return std::move(*T);
}

std::optional<exec::TargetStatus>
driver::readChosenTargetStatus(Invocation &Inv, const MigrationGraph &G, int &Exit) {
  std::unique_ptr<exec::Target> T = openChosenTarget(Inv, Exit);
  if (!T)
    return std::nullopt;
  std::optional<exec::TargetStatus> S = exec::readTargetStatus(*T, G, Inv.diags());
  if (!S)
    Exit = Inv.finish();
  return S;
}
