//===- Stream.h - Writing command streams as .iql or JSON -------*- C++ -*-===//
//
// The .iql form is a program the server's `.load` runs as-is: one statement
// a line (continuation lines indented), each preceded, unless comments are
// off, by `// <migration>: <operation> (<file>:<line>)`, with ` [lossy]`
// appended when the statement cannot restore what it replaces.
//
// The JSON form, version 1 (docs: `strata help emit`):
//
//   {
//     "version": 1,
//     "direction": "forward" | "backward",
//     "migration": "0002_x",            // `emit` only
//     "from": "zero" | NAME, "to": ..., // `plan` only
//     "statements": [
//       { "text": "<the statement, exactly as sent>",
//         "migration": "0002_x", "operation": "<describe()>",
//         "file": "0002_x.mig", "line": 7, "lossy": false,
//         "step": "<stepPurposeName()>" }
//     ],
//     "irreversible": [   // operations the backward stream cannot undo
//       { "migration": ..., "operation": ..., "file": ..., "line": ... }
//     ]
//   }
//
// A new field may be added within version 1; a field changing meaning or
// disappearing bumps the version.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_CODEGEN_STREAM_H
#define STRATA_CODEGEN_STREAM_H

#include "strata/CodeGen/Lowering.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace strata {

constexpr int IqlStreamJsonVersion = 1;

/// Where an operation was written: the migration's file name and the line
/// (0 for an operation with no source).
struct SourcePos {
  std::string File;
  unsigned Line = 0;
};
SourcePos sourceOf(const Migration &M, const Operation &Op, const llvm::SourceMgr &SM);

/// One statement of a stream and where it comes from.
struct StreamItem {
  const Migration *M = nullptr;
  const LoweredOperation *Op = nullptr;
  const IqlStatement *S = nullptr; // null: Op is irreversible (backward only)
};

/// Steps' streams in order, each migration forward or backward (its
/// operations newest first).
std::vector<StreamItem> streamOf(const std::vector<const LoweredMigration *> &Steps, bool Backward);

void writeIql(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM, bool Comments,
              llvm::raw_ostream &OS);

/// Header fields beyond version and direction ("migration", or "from" and
/// "to"), written in order.
using JsonHeader = std::vector<std::pair<std::string, std::string>>;
void writeJson(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM, bool Backward,
               const JsonHeader &Header, llvm::raw_ostream &OS);

} // namespace strata

#endif
