//===- Stream.h - Writing command streams as .iql or JSON -------*- C++ -*-===//
//
// A stream is read operation by operation: the statements an operation
// lowers to stand under it, in the order they run.
//
// The .iql form is a program the server's `.load` runs as-is: one statement
// a line (continuation lines indented). Unless comments are off it is
// grouped: `// migration <name>, forward|backward` opens each migration;
// each operation gets one header, `// <n>: <first line of its .mig text>
// (<file>:<line>)` (n counts the migration's operations from 1), then its
// statements; where an operation lowers to several steps (stage, move,
// drop, re-create rules...) each step's statements stand under
// `//   - <what the step does>`; ` [lossy]` marks a step (or an operation
// of one step) that cannot restore what it replaces; a blank line separates
// operations. With comments off, the statements alone, one after another.
//
// The JSON form, version 1 (docs: docs/iql-backend.md):
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
//         "step": "<stepPurposeName()>", "index": 1 }
//     ],
//     "irreversible": [   // operations the backward stream cannot undo
//       { "migration": ..., "operation": ..., "file": ..., "line": ... }
//     ],
//     "operations": [     // the stream's operations in order, grouping it
//       { "migration": ..., "index": 1, "operation": ..., "source": "<heading>",
//         "file": ..., "line": ..., "irreversible": false,
//         "statements": [0, 1] }   // positions in statements[]
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
  /// Op's position among M's operations, from 1 (0: not known).
  unsigned Index = 0;
  /// S is of Op's backward statements (or Op, irreversible, has none).
  bool Backward = false;
};

/// Steps' streams in order, each migration forward or backward (its
/// operations newest first).
std::vector<StreamItem> streamOf(const std::vector<const LoweredMigration *> &Steps, bool Backward);

/// The statements of one step of an operation: a run of statements with
/// the same purpose and lossiness.
struct StreamStep {
  StepPurpose Purpose = StepPurpose::Apply;
  bool Lossy = false;
  std::vector<const IqlStatement *> Statements;
};

/// One operation of a stream with its statements, in stream order.
struct StreamOperation {
  const Migration *M = nullptr;
  const LoweredOperation *Op = nullptr;
  unsigned Index = 0; // StreamItem::Index
  bool Backward = false;
  /// Positions in the item list grouped; empty when Op is irreversible.
  std::vector<size_t> Items;
  /// Its statements split into steps (one step: the operation does one
  /// thing, or all its statements serve one purpose).
  std::vector<StreamStep> Steps;
  bool irreversible() const { return Items.empty(); }
};

/// Groups consecutive items of one operation (a stream lists each
/// operation's statements together).
std::vector<StreamOperation> groupByOperation(const std::vector<StreamItem> &Items);

/// The operation as a reader knows it from its .mig file: the first line
/// of its spelling, without an opening brace (`add column employee.level:
/// int = 1 after salary`, `create rule senior(name: string)`).
std::string operationHeading(const Operation &Op);

/// Writes the items grouped by operation as writeIql does, without the
/// `// migration` lines: for a printer that names the migrations itself
/// (`migrate --plan`).
void writeIqlOperations(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM,
                        llvm::raw_ostream &OS);

/// Writes the items as .iql (grouped as the header comment says when
/// Comments, the statements alone otherwise).
void writeIql(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM, bool Comments,
              llvm::raw_ostream &OS);

/// Header fields beyond version and direction ("migration", or "from" and
/// "to"), written in order.
using JsonHeader = std::vector<std::pair<std::string, std::string>>;
void writeJson(const std::vector<StreamItem> &Items, const llvm::SourceMgr &SM, bool Backward,
               const JsonHeader &Header, llvm::raw_ostream &OS);

} // namespace strata

#endif
