//===- DiagnosticsJson.h - Strata diagnostics as LSP diagnostics -*- C++ -*-===//
//
// A Diagnostic points into a text by address. LocationMap knows the texts
// of one check and turns addresses into (file, LSP position); a
// diagnostic becomes an LSP Diagnostic (severity, code = the kind's name,
// notes as related information) in the file it points into, and its
// fix-its a quick fix.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_LSP_DIAGNOSTICSJSON_H
#define STRATA_LIB_LSP_DIAGNOSTICSJSON_H

#include "strata/LSP/Workspace.h"
#include "strata/Support/Diagnostics.h"
#include <map>
#include <memory>

namespace strata::lsp {

class LocationMap {
public:
  /// Text (which must stay alive while the map is used) is Path's.
  void add(llvm::StringRef Text, const std::string &Path);

  struct Place {
    const std::string *Path = nullptr;
    Position Pos;
  };
  /// Where Loc points, or no Path when it points into no text added.
  Place find(llvm::SMLoc Loc) const;
  /// The LSP range of R (in Start's text), or nullopt.
  std::optional<std::pair<const std::string *, llvm::json::Object>> range(llvm::SMRange R) const;

private:
  struct Text {
    llvm::StringRef Bytes;
    std::string Path;
    mutable std::unique_ptr<LineIndex> Lines;
  };
  /// By start address.
  std::map<const char *, Text> Texts;
};

llvm::json::Object lspRange(Position Start, Position End);
/// A copy of O as a value (json::Value takes objects only by move).
inline llvm::json::Value copyOf(const llvm::json::Object &O) {
  return llvm::json::Value(llvm::json::Object(O));
}
llvm::json::Object lspPosition(Position P);

/// Adds each of Diags to Out under the file it points into; those that
/// point nowhere (and name no file) go to Fallback.
void collectDiagnostics(llvm::ArrayRef<Diagnostic> Diags, const LocationMap &Where,
                        const std::string &Fallback, std::map<std::string, FileDiagnostics> &Out);

} // namespace strata::lsp

#endif
