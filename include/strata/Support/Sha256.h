//===- Sha256.h - SHA-256 with the processor's SHA extensions --*- C++ -*-===//
//
// strata.sum records a SHA-256 per migration file, so a run without the
// build cache (a fresh clone, a CI job) hashes every migration; on a
// processor with the x86 SHA extensions that costs a fraction of what the
// portable code (llvm::SHA256) does. The result is the same either way: a
// unit test compares the two on many lengths and contents.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_SHA256_H
#define STRATA_SUPPORT_SHA256_H

#include "llvm/ADT/StringRef.h"
#include <array>
#include <cstdint>
#include <string>

namespace strata {

using Sha256Digest = std::array<uint8_t, 32>;

/// SHA-256 of Bytes, with the SHA extensions when the processor has them.
Sha256Digest sha256(llvm::StringRef Bytes);
/// The same in lowercase hex: what the digest table remembers per file,
/// what strata.sum records per migration and what a state file's header
/// and journal records carry.
std::string sha256Hex(llvm::StringRef Bytes);

/// Whether this processor has the SHA extensions (and the SSE levels the
/// code around them needs).
bool hasShaExtensions();
/// SHA-256 of Bytes with the SHA extensions; only when hasShaExtensions().
Sha256Digest sha256WithShaExtensions(llvm::StringRef Bytes);

} // namespace strata

#endif
