//===- Credentials.h - Where a ws:// target's credentials come from -*- C++ -*-===//
//
// Secrets never travel on the command line (argv is visible to every user
// of the machine and lands in shell history). They come from, in order of
// precedence (docs/targets.md):
//
//   1. flags:   --user NAME with --password-file FILE, or --api-key-file FILE
//   2. the environment: STRATA_USER with STRATA_PASSWORD, or STRATA_API_KEY
//   3. a credentials file: --credentials-file FILE, else STRATA_CREDENTIALS_FILE,
//      holding `user = ...`, `password = ...` and/or `api_key = ...` lines
//
// A login and an API key from the same level: the API key wins (as the
// server's `authenticate` does). A password is looked up from the level of
// the user downward, so `--user alice` with STRATA_PASSWORD works. Error
// messages name the file or variable, never a secret.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_CREDENTIALS_H
#define STRATA_EXEC_CREDENTIALS_H

#include "strata/Exec/Target.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <string>

namespace strata::exec {

/// What the command line said (each unset when the flag was not given).
struct CredentialFlags {
  llvm::Optional<std::string> User;            // --user
  llvm::Optional<std::string> PasswordFile;    // --password-file
  llvm::Optional<std::string> ApiKeyFile;      // --api-key-file
  llvm::Optional<std::string> CredentialsFile; // --credentials-file
};

/// Looks up an environment variable; unset and empty are both None.
using EnvLookup = std::function<llvm::Optional<std::string>(llvm::StringRef)>;

/// The process environment.
llvm::Optional<std::string> processEnv(llvm::StringRef Name);

/// Resolves the credentials; empty Credentials when none are given
/// anywhere. Errors: a user without a password (or the reverse), an
/// unreadable or empty secret file, a malformed credentials file.
llvm::Expected<Credentials> credentialsFrom(const CredentialFlags &Flags,
                                            const EnvLookup &Env = processEnv);

/// The first line of File without its line ending: how secret files are
/// read (for --password-file and the serve command's options too).
llvm::Expected<std::string> readSecretFile(llvm::StringRef File, llvm::StringRef What);

} // namespace strata::exec

#endif
