//===- PostCheckObjects.h - What a migration's post-condition compares -*- C++ -*-===//
//
// After a migration's statements the run compares the target's catalog
// with the state the history expects, for the objects the migration's
// generated statements name (docs/safety.md, "Post-conditions and drift").
// A planned step keeps of that state only those objects (and what
// comparing them reads), not the whole schema: a run of N/2 migrations
// over N relations kept N/2 copies of the state's maps, and a post-check
// that looks at a handful of objects has no use for the rest.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_POSTCHECKOBJECTS_H
#define STRATA_LIB_EXEC_POSTCHECKOBJECTS_H

#include "strata/Exec/Journal.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Verify/MigrationStatement.h"
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace strata::exec {

/// The kind and object of a lowered statement, when it has a tree.
std::optional<std::pair<MigrationStmtKind, std::string>> statementObject(const IqlStatement &St);

/// The objects the post-condition compares after Items: the names their
/// generated statements give (what a `run iql` block changes is the
/// author's, and the history cannot describe it).
std::set<std::string> checkedObjects(const std::vector<StreamItem> &Items);

/// The objects either direction of L checks.
std::set<std::string> checkedObjects(const LoweredMigration &L);

/// The part of State that comparing Names needs: the relations, derived
/// relations and indexes named, the indexes on a named relation, and the
/// relations a named derived relation's clauses read (their columns lower
/// its clauses when the clauses are counted).
SchemaState expectedObjects(const SchemaState &State, const std::set<std::string> &Names);

} // namespace strata::exec

#endif
