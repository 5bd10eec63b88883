//===- Json.h - JSON from untrusted peers, with bounded nesting -*- C++ -*-===//
//
// llvm::json::parse and json::Value's destructor recurse once per level of
// nesting, so a frame of 40 000 `[` overflows the stack. Every JSON that
// comes from a peer (a WebSocket frame from a client or a server) is read
// through parseJson, which measures the nesting first and refuses what is
// deeper than the protocol ever needs.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_JSON_H
#define STRATA_SUPPORT_JSON_H

#include "llvm/Support/JSON.h"

namespace strata {

/// Deeper than any message of the InputLayer protocol (a result row of
/// nested lists and records stays far below it).
constexpr unsigned MaxJsonDepth = 64;

/// llvm::json::parse, refusing text nested deeper than MaxDepth arrays and
/// objects (an error that says so) before any recursion happens, and text
/// with a number out of the range of a double (`1e999`, which llvm::json
/// reads as infinity and frameText can only write as null), as a strict
/// JSON peer does.
llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef Text, unsigned MaxDepth = MaxJsonDepth);

/// A key the top-level object of Text names more than once (decoded, so
/// `"a"` and `"\u0061"` are one key), or None. llvm::json keeps the last of
/// such keys silently; a strict peer refuses the text. Text must be JSON
/// that parseJson accepted.
llvm::Optional<std::string> repeatedTopLevelKey(llvm::StringRef Text);

/// V as an int64 when it is a whole number in int64's range, else None:
/// llvm::json's getAsInteger, minus its undefined conversion of a double
/// of 2^63 (`9223372036854775808.5` reads as one). Use this, not
/// getAsInteger or Object::getInteger, on numbers from a peer.
llvm::Optional<int64_t> jsonInteger(const llvm::json::Value &V);
/// The field Key of O as jsonInteger reads it; None when it is missing.
llvm::Optional<int64_t> jsonInteger(const llvm::json::Object &O, llvm::StringRef Key);

} // namespace strata

#endif
