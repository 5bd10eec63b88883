//===- Formatter.h - Canonical text of schema and migration files -*- C++ -*-===//
//
// `strata fmt` in library form. The formatter prints the AST through the
// shared canonical printer (strata/AST/Printer.h) and places every comment
// of the file back around the printed lines, so formatting never loses
// anything an author wrote. It never prints or exits: problems go to the
// DiagnosticEngine and the caller decides what to do with the text.
//
// Layout rules (docs/cli.md describes them for users):
//  - 2-space indentation, `\n` line endings, one final newline.
//  - Exactly one blank line between top-level items; inside a block (columns,
//    clauses, operations) a blank line the author left is kept, at most one,
//    so that authors can still group related lines. No blank line after `{`
//    or before `}`.
//  - Relations keep the form the author chose: short `relation e(a: int)` on
//    one line, or the block form with one column per line. Derived relations
//    and rule operations print one clause per line. Index declarations and
//    every simple operation take one line.
//  - A migration prints `depends` and `replaces` first (one line each), a
//    blank line, then one operation per line.
//  - Raw IQL (`run iql`) is kept verbatim except for indentation: a body of
//    one line prints as `forward { ... }`; a longer body is re-indented as a
//    whole, keeping the indentation of each line relative to the others.
//  - Comments: an own-line comment leads the next line element (item,
//    column, clause, operation, `}`) at that element's indentation; a comment
//    after code on the same source line stays a trailing comment of that
//    line; a comment inside something printed on one line (a clause written
//    over several lines, a short-form column list) moves up to lead it.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_FORMAT_FORMATTER_H
#define STRATA_FORMAT_FORMATTER_H

#include "strata/AST/SourceFile.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/Support/SourceMgr.h"
#include <functional>
#include <optional>
#include <string>

namespace strata::format {

struct FormatOptions {
  unsigned IndentWidth = 2;
  /// A one-line raw IQL body stays on the `forward {` line only while the
  /// whole line fits in this many columns.
  unsigned MaxInlineIqlWidth = 100;
  /// Re-parse the result and compare syntax trees before handing it out
  /// (formatBuffer only). Costs a second parse; protects the author's file
  /// against a formatter bug.
  bool VerifyRoundTrip = true;
  /// Tests only: changes the formatted text before it is verified, so the
  /// safety net itself can be tested (it never fires on a correct build).
  std::function<void(std::string &)> TamperForTesting;
};

/// The canonical text of File, whose buffer must still be in SM. File must
/// have parsed without errors (see formatBuffer, which checks).
std::string formatFile(const ast::SourceFile &File, const llvm::SourceMgr &SM,
                       const FormatOptions &Opts = {});

/// Parses buffer BufferID of the engine's SourceMgr and formats it. Returns
/// nullopt, with the reasons reported, when the file has errors (so items
/// the parser dropped can never cause a rewrite), when formatting would drop
/// text the parser ignored, or when the result would not re-parse to the
/// same syntax tree.
std::optional<std::string> formatBuffer(unsigned BufferID, ast::FileKind Kind,
                                        DiagnosticEngine &Diags, const FormatOptions &Opts = {});

/// The AST dump of File without source positions, with comments and raw IQL
/// reduced to what formatting must keep (the text of each line, trimmed;
/// comments in sorted order). Two files that format to each other have
/// equal normalized dumps.
std::string normalizedDump(const ast::SourceFile &File, const llvm::SourceMgr &SM);

/// True when Formatted parses without errors to the same normalized dump as
/// Original. Uses a scratch SourceMgr; reports nothing.
bool sameSyntaxTree(const ast::SourceFile &Original, const llvm::SourceMgr &SM,
                    llvm::StringRef Formatted);

} // namespace strata::format

#endif
