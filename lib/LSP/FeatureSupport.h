//===- FeatureSupport.h - Pieces the request handlers share -----*- C++ -*-===//
#ifndef STRATA_LIB_LSP_FEATURESUPPORT_H
#define STRATA_LIB_LSP_FEATURESUPPORT_H

#include "strata/AST/SourceFile.h"
#include "strata/LSP/Positions.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SMLoc.h"

namespace strata::lsp {

/// The commands the code lens offers (workspace/executeCommand).
constexpr const char *MakeMigrationCommand = "strata.makeMigration";
constexpr const char *ShowPendingChangesCommand = "strata.showPendingChanges";

/// The semantic token legend, in the order of SemanticTokenType.
enum class SemanticTokenType {
  Relation,
  Derived,
  Index,
  Column,
  Type,
  Variable,
  Function,
  Comment,
  Migration,
  String,
  Number
};
llvm::ArrayRef<llvm::StringRef> semanticTokenTypes();
/// Bit 0: the token declares the name.
llvm::ArrayRef<llvm::StringRef> semanticTokenModifiers();

const char *strataVersion();

/// params.KEY as an LSP Position / Range; an InvalidParams error otherwise.
llvm::Expected<Position> positionParam(const llvm::json::Object &O, llvm::StringRef Key);
llvm::Expected<std::pair<Position, Position>> rangeParam(const llvm::json::Object &O,
                                                         llvm::StringRef Key);

/// The LSP range of R in Text (whose LineIndex is Lines).
llvm::json::Object rangeIn(llvm::SMRange R, llvm::StringRef Text, const LineIndex &Lines);

/// R as byte offsets into Text (clamped).
std::pair<size_t, size_t> offsetsIn(llvm::SMRange R, llvm::StringRef Text);

} // namespace strata::lsp

#endif
