//===- Serialize.h - Syntax trees and schema states as bytes ----*- C++ -*-===//
//
// Writes and reads the AST (every item kind, comments) and SchemaState in
// the encoding of Binary.h, for the build cache: a parsed file or an
// analysed schema read back from the cache must be exactly what parsing and
// analysing the same text gives, locations included.
//
// Locations are written relative to the files they point into: a range
// inside a registered file becomes (file, offset, length); anything else
// becomes "no location". Reading maps them into the buffers loaded now,
// optionally moved by a shift (an item behind an edit moved in its file).
//
// Readers return false (or nullopt) on any malformed input, never crash,
// and bound their recursion.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SERIALIZE_SERIALIZE_H
#define STRATA_SERIALIZE_SERIALIZE_H

#include "strata/AST/SourceFile.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Serialize/Binary.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <optional>
#include <vector>

namespace strata::serialize {

/// Turns ranges into (file, offset, length) for the files registered.
/// write() updates a lookup cache: one encoder per thread.
class LocationEncoder {
public:
  /// Registers Buffer as the next file (numbered from 0) and returns its
  /// number. Ranges inside it (end inclusive) are written as offsets.
  unsigned addFile(llvm::StringRef Buffer);
  /// An invalid range, or one outside every registered file, is written
  /// as "no location".
  void write(llvm::SMRange R, BinaryWriter &W) const;

private:
  /// The file holding [Start, End], if any.
  std::optional<size_t> find(uintptr_t Start, uintptr_t End) const;

  std::vector<llvm::StringRef> Files;
  mutable size_t LastHit = 0;
  /// Files by start address, for the lookups the last-hit cache misses;
  /// rebuilt after addFile. MaxEnd is the largest end up to that entry.
  struct Span {
    uintptr_t Begin, MaxEnd;
    size_t Index;
  };
  mutable std::vector<Span> ByAddress;
};

/// Turns (file, offset, length) back into ranges in the buffers loaded now.
class LocationDecoder {
public:
  /// File Index is now Buffer; each offset read for it is first moved by
  /// Shift. A range that then falls outside Buffer fails the read.
  void setFile(unsigned Index, llvm::StringRef Buffer, int64_t Shift = 0);
  /// Reads one range; a file never set fails the read.
  llvm::SMRange read(BinaryReader &R) const;

private:
  struct File {
    llvm::StringRef Buffer;
    int64_t Shift = 0;
    bool Set = false;
  };
  std::vector<File> Files;
};

void writeExpr(const ast::Expr &E, const LocationEncoder &L, BinaryWriter &W);
bool readExpr(BinaryReader &R, const LocationDecoder &L, ast::Expr &Out);

/// One rule clause (also what a derived relation of a SchemaState holds).
void writeClause(const ast::Clause &C, const LocationEncoder &L, BinaryWriter &W);
bool readClause(BinaryReader &R, const LocationDecoder &L, ast::Clause &Out);

/// Any item: relation, derived relation, index or migration.
void writeItem(const ast::Item &I, const LocationEncoder &L, BinaryWriter &W);
bool readItem(BinaryReader &R, const LocationDecoder &L, ast::Item &Out);

void writeComment(const ast::Comment &C, const LocationEncoder &L, BinaryWriter &W);
bool readComment(BinaryReader &R, const LocationDecoder &L, ast::Comment &Out);

/// Relations, derived relations (columns and clauses) and indexes, with
/// their locations as L sees them.
void writeSchemaState(const SchemaState &S, const LocationEncoder &L, BinaryWriter &W);
std::optional<SchemaState> readSchemaState(BinaryReader &R, const LocationDecoder &L);

} // namespace strata::serialize

#endif
