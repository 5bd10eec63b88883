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

/// The reply as the server's frame: `{"type":"result","columns":[..],
/// "rows":[[..]],"row_count":N}` or `{"type":"error","message":..,
/// "validation_errors":[{"line","statement_index","error"}]}`.
llvm::json::Value replyToJson(const Reply &R);

/// V as compact JSON text the way the server writes it: keys sorted, and a
/// double always with a fraction or an exponent (`5.0`, not `5`) in its
/// shortest round-trip form (`0.1`), so a float stays a float on the way
/// through (llvm::json would print `5` and `0.10000000000000001`).
std::string frameText(const llvm::json::Value &V);

/// Reads a `result` or `error` frame (the `type` field decides); other
/// frame types and malformed frames are an error naming what is wrong.
llvm::Expected<Reply> replyFromJson(const llvm::json::Value &Frame);

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
std::string cellText(const llvm::json::Value &Cell);

/// One cell as an IQL literal that the parser reads back to the value the
/// reply carries (to copy facts from one target into another). Type, when
/// known, is the column's declared type: JSON cannot tell a negative whole
/// double (`-5.0`) from an integer, and a float column (or a vector)
/// decides it. nullopt for a cell IQL has no literal for (a record).
std::optional<std::string> cellLiteral(const llvm::json::Value &Cell,
                                       const iql::ColumnType *Type = nullptr);

} // namespace strata::exec

#endif
