//===- OperationHover.h - What a migration operation does -------*- C++ -*-===//
#ifndef STRATA_LIB_INDEX_OPERATIONHOVER_H
#define STRATA_LIB_INDEX_OPERATIONHOVER_H

#include "IndexImpl.h"
#include "llvm/Support/raw_ostream.h"

namespace strata::index {

/// Writes what Op (an operation of migration file E) does, as markdown:
/// Migrate's description of it, whether it can lose facts, what undoes
/// it, and, when the history before it replays, the IQL it lowers to step
/// by step, with CodeGen's titles for the steps.
void describeOperation(const SymbolIndex::Impl &I, const FileEntry &E, const ast::Operation &Op,
                       llvm::raw_ostream &OS);

} // namespace strata::index

#endif
