//===- ReplyStream.h - One reply out of the server's frames ------*- C++ -*-===//
//
// After an `execute`, the server sends one `result` or `error` frame, or a
// large result as `result_start`, `result_chunk`s (numbered from 0) and
// `result_end` (with the counts the chunks must add up to). Other frames may
// arrive in between and are not part of the reply: change notifications,
// subscription pushes, `pong`s and `notice`s. A notice other than
// `notifications_missed` / `replay_gap` announces that the server is closing
// the connection, so it ends the wait with an error.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_REPLYSTREAM_H
#define STRATA_LIB_EXEC_REPLYSTREAM_H

#include "strata/Engine/Reply.h"
#include "llvm/ADT/Optional.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <vector>

namespace strata::exec {

class ReplyStream {
public:
  /// RequestId: the `id` the request carried; a reply that names another
  /// id is a protocol error (replies without an id are accepted: servers
  /// that predate request ids never echo one).
  explicit ReplyStream(std::string RequestId) : RequestId(std::move(RequestId)) {}

  /// Feeds one decoded frame. Returns the reply once complete, None while
  /// more frames are needed, or an error for a frame that breaks the
  /// protocol (a chunk out of order, counts that do not add up, a notice
  /// that the connection is ending, ...).
  /// Text, when given, is the text Frame was read from: cells are read
  /// from it so a whole double keeps its kind (replyFromJson).
  llvm::Expected<llvm::Optional<Reply>> feed(const llvm::json::Value &Frame,
                                             llvm::StringRef Text = "");

  /// Whether the error feed() returned was an `auth_error`: the server
  /// refused the request before running it (credentials missing, revoked
  /// or expired).
  bool refusedForAuthentication() const { return AuthRefused; }

private:
  llvm::Expected<llvm::Optional<Reply>> feedStreamed(llvm::StringRef Type, llvm::StringRef Text,
                                                     const llvm::json::Object &O);

  std::string RequestId;
  bool Streaming = false;
  bool AuthRefused = false;
  Reply Partial;
  llvm::json::Object StartFields; // `errors` of the result_start, if any
  size_t ChunksSeen = 0;
};

/// The `errors` array a newer server adds to a `result` (failed statements
/// of a program that otherwise ran) folded into Reply, so they are not
/// lost: a command reply gets one `Error: statement N: ...` message row per
/// failure (ReplyCheck then reports it); any other reply becomes an error.
void foldStatementErrors(const llvm::json::Object &Result, Reply &R);

/// How the server side cuts a large result (the InputLayer server's
/// numbers: a frame over 1 MiB is streamed in chunks of at most 500 rows and
/// about 1 MiB).
struct FrameLimits {
  size_t FrameBudget = 1024 * 1024;
  size_t ChunkRows = 500;
  size_t MaxFrame = 16 * 1024 * 1024;
};

/// The frames that carry R as the reply to request Id (no `id` field when
/// Id is empty): one `result` or `error` frame, or `result_start`,
/// `result_chunk`s and `result_end`. A row too large for any frame turns
/// the reply into an `error` frame saying so. Extra fields (a result's
/// timing, counts and metadata; an error's `code`) are merged from Extra
/// into the `result`, `result_start` or `error`. RowProvenance, when not
/// empty, labels every row (`row_provenance`, in the result or each chunk).
std::vector<std::string> replyFrames(const Reply &R, llvm::StringRef Id,
                                     const llvm::json::Object &Extra = {},
                                     const FrameLimits &Limits = {},
                                     llvm::StringRef RowProvenance = "");

} // namespace strata::exec

#endif
