//===- Parser.h - IQL text to statements -----------------------*- C++ -*-===//
//
// A recursive-descent parser, over the tokens of Lexer.h, for the IQL the
// server accepts. A program is split into statements first: comments go,
// a line that starts with whitespace continues the previous statement.
// Printer.h prints a parsed statement back (printStatement round-trips).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_PARSER_H
#define STRATA_IQL_PARSER_H

#include "strata/IQL/Syntax.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace strata::iql {

struct SourceStatement {
  unsigned Line = 1;    // 1-based line where the statement starts
  unsigned EndLine = 1; // its last line (continuations included)
  std::string Text;
};

std::vector<SourceStatement> splitProgram(llvm::StringRef Program);

/// The lines of Program that S was split from, as written (comments and
/// line breaks kept, no trailing newline).
llvm::StringRef statementSource(llvm::StringRef Program, const SourceStatement &S);
/// statementSource of each of Statements (from splitProgram(Program)), in
/// one pass over Program rather than one per statement.
std::vector<llvm::StringRef> statementSources(llvm::StringRef Program,
                                              const std::vector<SourceStatement> &Statements);

struct ParseOptions {
  /// Accept the `null` literal (only the state file stores nulls).
  bool AllowNull = false;
};

/// Parses one statement (Text is trimmed first; the tree's Begin/End offsets
/// point into the trimmed text, kept as Statement::Text). A failure is a
/// DiagnosticError whose message is the reason the server would give, whose
/// location points into Text, and whose kind is IqlSyntax or, where callers
/// may want to tell the problem apart, IqlUnknownAggregate,
/// IqlLimitExceeded, IqlIntegerOutOfRange or IqlUnterminatedString.
llvm::Expected<Statement> parseStatement(llvm::StringRef Text, ParseOptions Options = {});

/// Reads Text as the server reads a program holding one statement (a
/// first line and its indented continuation lines, comments allowed).
/// nullopt for comments only. Refused (IqlSyntax, no location: the message
/// is the reason) when the first line is indented, when the server would
/// read more than one statement, or when the statement does not parse.
llvm::Expected<std::optional<Statement>> parseProgramStatement(llvm::StringRef Text);

} // namespace strata::iql

#endif
