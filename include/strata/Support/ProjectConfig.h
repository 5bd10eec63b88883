//===- ProjectConfig.h - strata.toml ----------------------------*- C++ -*-===//
//
// A project is the directory that holds `strata.toml` (searched from the
// working directory upward). The file may set `schema`, `migrations` and
// `target`; command-line flags win over it. Paths in the file are relative
// to the project directory.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_PROJECTCONFIG_H
#define STRATA_SUPPORT_PROJECTCONFIG_H

#include "strata/Support/Diagnostics.h"
#include <optional>
#include <string>

namespace strata {

struct ProjectConfig {
  /// The directory of strata.toml, or the start directory when there is none.
  std::string Root;
  /// Empty when no strata.toml was found.
  std::string ConfigPath;
  std::string SchemaDir;
  std::string MigrationsDir;
  std::string Target;
};

/// Finds and reads strata.toml from StartDir upward. Defaults: `schema/` and
/// `migrations/` under the project directory. Returns nullopt after
/// reporting a malformed file.
std::optional<ProjectConfig> loadProjectConfig(llvm::StringRef StartDir, DiagnosticEngine &Diags);

/// Reads the strata.toml at ConfigPath whose text is buffer BufferID of the
/// engine's SourceMgr (an editor's unsaved text, say). Returns nullopt
/// after reporting a malformed file.
std::optional<ProjectConfig> parseProjectConfig(llvm::StringRef ConfigPath, unsigned BufferID,
                                                DiagnosticEngine &Diags);

} // namespace strata

#endif
