//===- RecursiveDescent.h - The fast path: tokens to AST without ANTLR -*- C++ -*-===//
//
// A hand-written recursive-descent parser for well-formed schema and
// migration files. It reads the scanner's tokens and builds the AST that
// ANTLR's parse tree and ASTBuilder build, with the same diagnostics, but
// only for input it fully expects: at the first token it does not, it
// gives up, and the file goes to the ANTLR path (Parser.cpp), which
// reports syntax errors as it always has. grammar/Strata.g4 stays the definition; each function
// here names the rule it follows, and the differential tests and strata-fuzz-lexer compare the two
// paths' ASTs and diagnostics.
//
// Also left to the ANTLR path, being rare and carrying diagnostics of
// their own: a migration in a schema file, a schema item in a migration
// file, a migration file without exactly one migration, `:-` and a
// clause's final `.`, `==`, a second cast clause of a kind, an
// unterminated string inside raw IQL, and expressions past
// ParseLimits::MaxOperators or brackets past MaxNesting.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_RECURSIVEDESCENT_H
#define STRATA_LIB_PARSE_RECURSIVEDESCENT_H

#include "strata/AST/SourceFile.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/StringRef.h"

namespace strata::parse {

/// Parses Text (inside buffer File.BufferID, any byte-order mark removed)
/// into File's items and comments, reporting what ASTBuilder would report.
/// Returns false, with File's items and comments empty and nothing
/// reported, when the file must go to the ANTLR path.
bool parseWithoutAntlr(llvm::StringRef Text, ast::SourceFile &File, DiagnosticEngine &Diags,
                       const ParseLimits &Limits);

} // namespace strata::parse

#endif
