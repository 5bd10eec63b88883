//===- UnicodeText.h - Unicode case mapping and white space ----*- C++ -*-===//
//
// What the string functions need of Unicode beyond UTF-8 bytes: the server
// maps case and trims white space over all of Unicode (its strings are
// Rust strings), so `upper("straße")` is "STRASSE" and `trim` removes a
// no-break space. The case tables are the C library's (its C.UTF-8
// locale); the few mappings to several characters that the server makes
// and those tables cannot (ß, ligatures, İ, a final sigma) are added here.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_UNICODETEXT_H
#define STRATA_LIB_ENGINE_UNICODETEXT_H

#include "llvm/ADT/StringRef.h"
#include <string>

namespace strata::engine {

/// S with every letter mapped to upper case (Unicode, full mappings).
std::string unicodeUpper(llvm::StringRef S);
/// S with every letter mapped to lower case (Unicode; a capital sigma that
/// ends a word becomes the final form ς).
std::string unicodeLower(llvm::StringRef S);
/// S without leading and trailing Unicode white space (White_Space: ASCII
/// space and controls, NEL, no-break space, the U+2000 block, ...).
llvm::StringRef unicodeTrim(llvm::StringRef S);

} // namespace strata::engine

#endif
