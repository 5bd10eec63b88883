//===- Parser.h - Text to AST -----------------------------------*- C++ -*-===//
//
// The only entry point into parsing. ANTLR stays inside lib/Parse: callers
// see Strata's AST and diagnostics, never a parse tree.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_PARSE_PARSER_H
#define STRATA_PARSE_PARSER_H

#include "strata/AST/SourceFile.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace strata {

/// Bounds that keep hostile input from exhausting the stack.
struct ParseLimits {
  /// Open brackets of any kind at once.
  unsigned MaxNesting = 100;
  /// Binary and unary operators in one expression.
  unsigned MaxOperators = 1000;
  /// Syntax errors reported for one file before parsing stops; past this
  /// point they are mostly echoes of the first ones.
  unsigned MaxSyntaxErrors = 20;
};

/// `.mig` files hold migrations; anything else is a schema file.
ast::FileKind fileKindForPath(llvm::StringRef Path);

/// Parses buffer BufferID of the engine's SourceMgr. Every syntax error is
/// reported (the parser recovers); items containing one are left out of the
/// result. Never throws.
ast::SourceFile parseBuffer(unsigned BufferID, ast::FileKind Kind, DiagnosticEngine &Diags,
                            const ParseLimits &Limits = {});

/// Parses bytes [Begin, End) of buffer BufferID as a file of its own: the
/// items and comments of that range, with every location (and every
/// diagnostic) pointing at its byte in the buffer. For reparsing the edited
/// part of a schema file (strata/Parse/Reparse.h); Begin and End come from
/// planReparse and must lie on character boundaries. Syntax errors are
/// reported as parseBuffer reports them. A byte-order mark is skipped only
/// at offset 0; file-level checks (a migration file holds one migration)
/// see only the range. parseBuffer is this over the whole buffer.
ast::SourceFile parseBufferRange(unsigned BufferID, size_t Begin, size_t End, ast::FileKind Kind,
                                 DiagnosticEngine &Diags, const ParseLimits &Limits = {});

/// Builds the parser's tables, which the first parse of a run otherwise
/// builds (a few milliseconds); safe to call from any thread, and only the
/// first call does anything. For callers that know a parse is coming and
/// have another core to spare.
void prepareParser();

/// Loads Path (see loadSourceFile) and parses it. Returns nullopt when the
/// file could not be loaded; the reason has been reported.
std::optional<ast::SourceFile> parseFile(llvm::StringRef Path, DiagnosticEngine &Diags,
                                         const ParseLimits &Limits = {});

} // namespace strata

#endif
