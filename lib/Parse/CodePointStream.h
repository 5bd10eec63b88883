//===- CodePointStream.h - Source text as ANTLR's code points ----*- C++ -*-===//
#ifndef STRATA_LIB_PARSE_CODEPOINTSTREAM_H
#define STRATA_LIB_PARSE_CODEPOINTSTREAM_H

#include "antlr4-runtime.h"
#include "llvm/ADT/StringRef.h"

namespace strata::parse {

/// The input of the generated lexer. ANTLR's input stream silently drops a
/// byte-order mark that opens its input, which would shift every location
/// after it. Strata decides where a mark is allowed (only at the start of a
/// buffer) and passes the rest on.
class CodePointStream : public antlr4::ANTLRInputStream {
public:
  explicit CodePointStream(llvm::StringRef Text) {
    _data = antlrcpp::utf8_to_utf32(Text.begin(), Text.end());
    reset();
  }
};

} // namespace strata::parse

#endif
