//===- Transcript.h - The server's client transcripts, read back -*- C++ -*-===//
//
// A `.iql.out` file is what the InputLayer client printed while it ran an
// `.iql` program line by line: a connection preamble, then for every
// request a `> LINE` echo followed by the client's output for it. This
// reads the requests and their output blocks, and reads a block back into
// what it says: a table (columns and rows as printed cells) or message
// lines.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_CONFORMANCE_TRANSCRIPT_H
#define STRATA_CONFORMANCE_TRANSCRIPT_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace strata::conformance {

struct Step {
  unsigned Line = 0;               // 1-based line of the `> ` echo
  std::string Request;             // the text after `> `
  std::vector<std::string> Output; // the lines printed for it
};

/// Every `> ` step of a transcript, in order; lines before the first echo
/// (the connection preamble) are dropped.
std::vector<Step> readTranscript(llvm::StringRef Text);

/// What an output block says, with the client's own notes about session
/// rules and facts (`(session: N rule(s))`, `(Cleared ...)`) left out.
struct Outcome {
  bool IsTable = false;
  /// Tables: false for `No results.` / `No data.`, which show no header.
  bool HasHeader = false;
  std::vector<std::string> Columns;
  std::vector<std::vector<std::string>> Rows; // cell texts, trimmed
  /// Everything else: the printed lines.
  std::vector<std::string> Messages;
};

Outcome readOutcome(const std::vector<std::string> &Block);

/// Whether a line the client printed for a command reports a failure, by
/// the executor's rule (strata/Exec/ReplyCheck.h).
bool looksLikeFailure(llvm::StringRef Line);

} // namespace strata::conformance

#endif
