//===- ReplyCheck.h - Did the server accept a statement? ---------*- C++ -*-===//
//
// The server reports most runtime failures as ordinary message rows, not as
// error frames (target-iql.md, hazard 4); the reference migration tool reads
// them as success and records a migration that did not apply. A reply here
// counts as a failure when it is an error frame, or when a message row
// starts with `Error`, `Parse error` or `Index error`, or says `not found`,
// `rejected`, `failed`, `Cannot` or `invalid`.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_REPLYCHECK_H
#define STRATA_EXEC_REPLYCHECK_H

#include "strata/Engine/Reply.h"
#include <optional>
#include <string>

namespace strata::exec {

/// The failure a reply reports (the error frame's message with its
/// validation errors, or the offending message row), or nullopt when it
/// reports success.
std::optional<std::string> replyFailure(const Reply &R);

} // namespace strata::exec

#endif
