//===- ShadowTarget.h - An in-memory copy of what a plan touches -*- C++ -*-===//
//
// The pre-checks predict a whole plan: they copy the relations its
// statements name or read from the real target into a fresh embedded
// engine (the shadow), then run the plan's statements there one by one,
// checking each move against the shadow's state at that point. The real
// target only answers one query per copied relation (none when it runs in
// this process: its facts are copied directly).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_SHADOWTARGET_H
#define STRATA_LIB_EXEC_SHADOWTARGET_H

#include "strata/Exec/Target.h"
#include "strata/Sema/SchemaState.h"
#include <memory>
#include <string>
#include <vector>

namespace strata::exec {

/// A relation to copy into the shadow.
struct ShadowRelation {
  std::string Name;
  size_t Arity = 0;
  /// Its declaration in the state the plan starts from; null for a name
  /// that state does not know (only facts left there by hand are copied).
  const ColumnList *Columns = nullptr;
};

/// Why a shadow could not be made.
struct ShadowFailure {
  std::string Why;
  /// The real target did not answer (rather than: its facts cannot be
  /// copied, e.g. a record value IQL has no literal for).
  bool Transport = false;
};

/// Copies the facts of each relation (then its declaration: facts that
/// break it, which the real target may hold, are copied as they are) from
/// Real into a fresh in-memory engine: engine to engine when Real runs in
/// this process (file:), else by reading `?name(V0, .., Vn)` on Real and
/// inserting the rows as IQL text. The shadow's describe() is Real's, so
/// messages name the real target.
std::unique_ptr<Target> makeShadow(Target &Real, const std::vector<ShadowRelation> &Relations,
                                   ShadowFailure &Failure);

} // namespace strata::exec

#endif
