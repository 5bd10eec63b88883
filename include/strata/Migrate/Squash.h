//===- Squash.h - One migration in place of a run of them -------*- C++ -*-===//
//
// `strata squash FROM TO` (Django's squashmigrations): the operations of a
// linear run of migrations, concatenated, with pairs that cancel removed.
// The originals stay; the squashed migration lists them in `replaces`. A
// database that has applied none of them runs the squashed one; one that
// applied them all treats it as applied.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_MIGRATE_SQUASH_H
#define STRATA_MIGRATE_SQUASH_H

#include "strata/Migrate/MigrationGraph.h"
#include "strata/Migrate/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include <optional>
#include <vector>

namespace strata {

/// Removes cancelling pairs to a fixpoint: create then drop of one relation,
/// rule or index; add then drop of one column; a rename followed by its
/// reverse. Consecutive renames of one object fold into one (a->b, b->c
/// gives a->c). A pair cancels only when no operation between them touches
/// the object (or reads it). `run iql` blocks everything across it.
std::vector<OperationPtr> squashOperations(llvm::ArrayRef<OperationPtr> Ops);

/// The migrations FROM..TO, in order, when they form a linear chain (each
/// depends on exactly the one before, and nothing else depends on the ones
/// before TO). Reports and returns nullopt otherwise.
std::optional<std::vector<const Migration *>> squashChain(const MigrationGraph &G,
                                                          llvm::StringRef From, llvm::StringRef To,
                                                          DiagnosticEngine &Diags);

/// The leaves of G, leaving out a squashed migration whose replaced
/// migrations are all present (they stand for it), unless nothing else is
/// left.
std::vector<const Migration *> effectiveLeaves(const MigrationGraph &G);

} // namespace strata

#endif
