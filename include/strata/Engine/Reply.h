//===- Reply.h - What a knowledge-graph target answers ----------*- C++ -*-===//
//
// One reply per executed program, shaped like the InputLayer server's
// WebSocket frames (../shared/design/target-iql.md): either a `result`
// (columns and rows; a command's output is one column named `message`) or
// an `error` (the program was refused before anything ran, e.g. a parse
// error, with the offending statements listed).
//
// Many runtime failures are NOT error frames: the server answers with an
// ordinary message row such as `Error: ...` or `Rule 'x' not found`. Telling
// those apart is the executor's job (strata/Exec/ReplyCheck.h), not the
// reply's.
//
// Cells are the values the server sends: integers, doubles, strings,
// booleans, lists (vectors) and objects (records), as strata::Cell, which
// keeps a whole double (`-74.0`) apart from an integer (`-74`).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_ENGINE_REPLY_H
#define STRATA_ENGINE_REPLY_H

#include "strata/Support/Cell.h"
#include <string>
#include <vector>

namespace strata {

/// One statement the server refused to parse or validate.
struct ValidationError {
  unsigned Line = 0;           // 1-based line in the program
  unsigned StatementIndex = 0; // 0-based
  std::string Message;
};

struct Reply {
  /// An `error` frame: the whole program was refused (or the request
  /// failed on the server), nothing after the refusal ran.
  bool IsError = false;
  std::string ErrorMessage;
  std::vector<ValidationError> ValidationErrors;

  /// A `result` frame.
  std::vector<std::string> Columns;
  std::vector<std::vector<Cell>> Rows;

  static Reply error(std::string Message) {
    Reply R;
    R.IsError = true;
    R.ErrorMessage = std::move(Message);
    return R;
  }
  /// A command's output: one `message` column, one row per line.
  static Reply message(const std::string &Text) {
    Reply R;
    R.Columns = {"message"};
    R.Rows.push_back({Cell(Text)});
    return R;
  }
  /// Whether this is a command's output (a single `message` column).
  bool isMessage() const { return !IsError && Columns.size() == 1 && Columns[0] == "message"; }
};

} // namespace strata

#endif
