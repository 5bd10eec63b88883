//===- ReplyFormat.h - Replies as protocol JSON and as tables ----*- C++ -*-===//
#ifndef STRATA_EXEC_REPLYFORMAT_H
#define STRATA_EXEC_REPLYFORMAT_H

#include "strata/Engine/Reply.h"
#include "strata/IQL/Syntax.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>
#include <string>

namespace strata::exec {

/// The reply as the server's frame, in frameText's spelling:
/// `{"type":"result","columns":[..],"rows":[[..]],"row_count":N}` or
/// `{"type":"error","message":..,"validation_errors":[{"line",
/// "statement_index","error"}]}`, with Extra's fields added (the reply's
/// own win). The rows are written from the cells, so a whole double
/// stays `-74.0` (a llvm::json tree would make it `-74`).
std::string replyFrame(const Reply &R, const llvm::json::Object &Extra = {});

/// One row as JSON text (`[1,-74.0,"a"]`), as replyFrame writes it.
std::string rowJson(const std::vector<Cell> &Row);

/// V as compact JSON text the way the server writes it: keys sorted, and a
/// double always with a fraction or an exponent (`5.0`, not `5`) in its
/// shortest round-trip form (`0.1`), so a float stays a float on the way
/// through (llvm::json would print `5` and `0.10000000000000001`).
std::string frameText(const llvm::json::Value &V);

/// Reads a `result` or `error` frame (the `type` field decides); other
/// frame types and malformed frames are an error naming what is wrong.
/// Text, when given, is the text Frame was read from: the cells come from
/// it, keeping `-74.0` a double (from Frame alone it becomes an integer).
llvm::Expected<Reply> replyFromJson(const llvm::json::Value &Frame, llvm::StringRef Text = "");

/// The cells of Frame's `rows` (none if it has none), read from Text when
/// given (see replyFromJson); rows that are not lists are empty.
llvm::Expected<std::vector<std::vector<Cell>>> rowCells(const llvm::json::Object &Frame,
                                                        llvm::StringRef Text = "");

/// Prints the reply as the server's interactive client does: message rows
/// one per line; a query's rows as a box-drawn table with a `N rows`
/// footer, or `No results.`; an error frame as `Error: ...` plus one line
/// per validation error. Deterministic; no colours.
void printReply(const Reply &R, llvm::raw_ostream &OS);

/// Up to Max rows of R for a message: `(1, "a"); (2, "b")`.
std::string exampleRows(const Reply &R, size_t Max = 3);

/// One cell as the client shows it: strings double-quoted (with `"` and
/// `\` escaped), numbers as the server prints them, vectors and lists as
/// `[a, b]`, records as `{f: v}`.
std::string cellText(const Cell &C);

/// One cell as an IQL literal that the parser reads back to the value the
/// reply carries (to copy facts from one target into another). Type, when
/// known, is the column's declared type: a negative integer in a float
/// column (or a vector) is a float, for a cell read from a JSON tree
/// (Cell::fromJson) cannot tell. nullopt for a cell IQL has no literal
/// for (a record).
std::optional<std::string> cellLiteral(const Cell &C, const iql::ColumnType *Type = nullptr);

} // namespace strata::exec

#endif
