//===- DiagnosticRenderer.h - Text and JSON output --------------*- C++ -*-===//
#ifndef STRATA_SUPPORT_DIAGNOSTICRENDERER_H
#define STRATA_SUPPORT_DIAGNOSTICRENDERER_H

#include "strata/Support/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace strata {

enum class DiagnosticFormat { Text, Json };

struct RenderOptions {
  DiagnosticFormat Format = DiagnosticFormat::Text;
  bool Color = false;
  /// Append `[KindName]` to each message (on by default; tests match it).
  bool ShowKind = true;
};

/// Writes every diagnostic of Engine to OS in reading order: problems of
/// whole files first, then by file (load order) and position.
/// Text: `file:line:col: error: message [Kind]`, the source line, a caret
/// under the location, `~` under ranges, fix-its and notes. JSON: one
/// document, schema documented in docs/diagnostics.md.
void renderDiagnostics(const DiagnosticEngine &Engine, llvm::raw_ostream &OS,
                       const RenderOptions &Opts);

/// 1-based line and column (in characters, not bytes) of Loc.
struct LineColumn {
  unsigned Line = 0;
  unsigned Column = 0;
};
LineColumn lineColumn(const llvm::SourceMgr &SM, llvm::SMLoc Loc);

/// lineColumn for many locations in reading order (a dump of a whole
/// file): the column of a location on the line of the previous one is
/// counted on from there, so a file with very long lines costs linear
/// time rather than quadratic.
class LineColumnCursor {
public:
  explicit LineColumnCursor(const llvm::SourceMgr &SM) : SM(SM) {}
  LineColumn at(llvm::SMLoc Loc);

private:
  const llvm::SourceMgr &SM;
  const char *Last = nullptr;    // the previous location
  const char *LineEnd = nullptr; // the end of its line
  LineColumn LastLC;
};
/// The name of the buffer that holds Loc, as it was loaded.
llvm::StringRef bufferName(const llvm::SourceMgr &SM, llvm::SMLoc Loc);

} // namespace strata

#endif
