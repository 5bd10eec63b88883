//===- Credentials.cpp - Where a ws:// target's credentials come from -----===//
#include "strata/Exec/Credentials.h"
#include "ExecError.h"
#include "llvm/Support/MemoryBuffer.h"
#include <array>
#include <cstdlib>
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;
using llvm::StringRef;

namespace {
/// A value and where it came from (a flag, variable or file: never the
/// value itself), for messages.
struct Sourced {
  llvm::Optional<std::string> Value;
  std::string From;
};

/// One level of precedence: flags, the environment, or a file.
struct Level {
  Sourced User, Password, ApiKey;
};

llvm::Expected<Level> readCredentialsFile(StringRef Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return execError(fmt::format("cannot read the credentials file `{}`: {}", Path.str(),
                                 Buffer.getError().message()));
  Level L;
  llvm::SmallVector<StringRef, 16> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I) {
    StringRef Line = Lines[I].trim();
    if (Line.empty() || Line.startswith("#"))
      continue;
    auto [Key, Value] = Line.split('=');
    Key = Key.trim();
    Value = Value.trim();
    if (Value.size() >= 2 && Value.startswith("\"") && Value.endswith("\""))
      Value = Value.drop_front().drop_back();
    std::string From = fmt::format("{}:{}", Path.str(), I + 1);
    if (!Line.contains('=') || Value.empty())
      return execError(
          fmt::format("{}: expected `KEY = VALUE` (keys: user, password, api_key)", From));
    Sourced *Slot = Key == "user"       ? &L.User
                    : Key == "password" ? &L.Password
                    : Key == "api_key"  ? &L.ApiKey
                                        : nullptr;
    if (!Slot)
      return execError(fmt::format("{}: unknown key `{}` (keys: user, password, api_key)", From,
                                   Key.take_front(40).str()));
    *Slot = {Value.str(), From};
  }
  return L;
}

llvm::Expected<Level> fromFlags(const CredentialFlags &Flags) {
  Level L;
  if (Flags.User) {
    if (Flags.User->empty())
      return execError("`--user` needs a user name");
    L.User = {*Flags.User, "--user"};
  }
  if (Flags.PasswordFile) {
    llvm::Expected<std::string> P = readSecretFile(*Flags.PasswordFile, "password file");
    if (!P)
      return P.takeError();
    L.Password = {std::move(*P), "--password-file"};
  }
  if (Flags.ApiKeyFile) {
    llvm::Expected<std::string> K = readSecretFile(*Flags.ApiKeyFile, "API key file");
    if (!K)
      return K.takeError();
    L.ApiKey = {std::move(*K), "--api-key-file"};
  }
  return L;
}

Level fromEnvironment(const EnvLookup &Env) {
  Level L;
  L.User = {Env("STRATA_USER"), "STRATA_USER"};
  L.Password = {Env("STRATA_PASSWORD"), "STRATA_PASSWORD"};
  L.ApiKey = {Env("STRATA_API_KEY"), "STRATA_API_KEY"};
  return L;
}

/// The first level (in precedence order) that sets Field.
template <typename Field> int firstLevel(const std::array<Level, 3> &Levels, Field F) {
  for (int I = 0; I < 3; ++I)
    if ((Levels[I].*F).Value)
      return I;
  return -1;
}
} // namespace

llvm::Optional<std::string> exec::processEnv(StringRef Name) {
  const char *V = std::getenv(Name.str().c_str());
  if (!V || !*V)
    return llvm::None;
  return std::string(V);
}

llvm::Expected<std::string> exec::readSecretFile(StringRef File, StringRef What) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buffer)
    return execError(fmt::format("cannot read the {} `{}`: {}", What.str(), File.str(),
                                 Buffer.getError().message()));
  StringRef Line = (*Buffer)->getBuffer().split('\n').first;
  Line.consume_back("\r");
  if (Line.empty())
    return execError(
        fmt::format("the {} `{}` is empty (the secret is its first line)", What.str(), File.str()));
  return Line.str();
}

llvm::Expected<Credentials> exec::credentialsFrom(const CredentialFlags &Flags,
                                                  const EnvLookup &Env) {
  std::array<Level, 3> Levels;
  llvm::Expected<Level> FlagLevel = fromFlags(Flags);
  if (!FlagLevel)
    return FlagLevel.takeError();
  Levels[0] = std::move(*FlagLevel);
  Levels[1] = fromEnvironment(Env);
  llvm::Optional<std::string> File = Flags.CredentialsFile;
  if (!File)
    File = Env("STRATA_CREDENTIALS_FILE");
  if (File) {
    llvm::Expected<Level> FileLevel = readCredentialsFile(*File);
    if (!FileLevel)
      return FileLevel.takeError();
    Levels[2] = std::move(*FileLevel);
  }

  int UserAt = firstLevel(Levels, &Level::User);
  int KeyAt = firstLevel(Levels, &Level::ApiKey);
  int PasswordAt = firstLevel(Levels, &Level::Password);
  Credentials C;
  if (KeyAt >= 0 && (UserAt < 0 || KeyAt <= UserAt)) {
    C.ApiKey = *Levels[KeyAt].ApiKey.Value;
    return C;
  }
  if (UserAt >= 0) {
    if (PasswordAt < 0)
      return execError(fmt::format("a user is given ({}) but no password: add --password-file "
                                   "FILE, set STRATA_PASSWORD, or put `password = ...` in a "
                                   "credentials file",
                                   Levels[UserAt].User.From));
    C.User = *Levels[UserAt].User.Value;
    C.Password = *Levels[PasswordAt].Password.Value;
    return C;
  }
  if (PasswordAt >= 0)
    return execError(fmt::format("a password is given ({}) but no user: add --user NAME or set "
                                 "STRATA_USER",
                                 Levels[PasswordAt].Password.From));
  return C;
}
