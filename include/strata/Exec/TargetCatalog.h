//===- TargetCatalog.h - What a target says its schema is -------*- C++ -*-===//
//
// The catalog a target reports through its meta commands, read into a model
// that can be compared with the schema state the migration history expects
// (issue 12, item 2: post-conditions and drift):
//
//   `.rel`        every relation: its columns with their types
//   `.rule list`  every rule: its number of clauses
//   `.index list`  every index: relation, column and metric
//
// Three requests read everything; a remote target has no cheaper per-object
// form (`.rel NAME` answers with the relation's facts, not its columns'
// types). An engine in this process (file:) is asked for the objects a
// migration touched only, in the same words. What the replies do not carry is
// not compared: rule bodies (the server prints them in its own way) and an
// index's `m`, `ef_construction` and `ef_search` (docs/safety.md).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_TARGETCATALOG_H
#define STRATA_EXEC_TARGETCATALOG_H

#include "strata/Exec/Target.h"
#include "strata/Sema/SchemaState.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace strata::exec {

struct CatalogIndex {
  std::string Relation, Column;
  /// As the target prints it (`euclidean`, `cosine`, ...).
  std::string Metric;
};

struct TargetCatalog {
  /// Column name and type text, in order (a relation the target knows
  /// only from its facts has `any` columns, or none listed).
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> Relations;
  /// Rule name -> number of clauses.
  std::map<std::string, unsigned> Rules;
  std::map<std::string, CatalogIndex> Indexes;
  /// Relation name -> facts it holds, where `.rel` says (`tuples: K`).
  std::map<std::string, uint64_t> Facts;
};

/// Reads the catalog with `.rel`, `.rule list` and `.index list` (queries
/// only). Fails when a request fails (Lost, when given, is then set: the
/// connection is gone) or a reply line cannot be read.
llvm::Expected<TargetCatalog> readTargetCatalog(Target &T, bool *Lost = nullptr);

/// The catalog of the objects Names names (as catalogDifferences' Only):
/// from an engine in this process, those objects' lines alone
/// (engine::Session::catalogLinesOf), at a cost in proportion to Names;
/// from a remote target, readTargetCatalog.
llvm::Expected<TargetCatalog> readTargetCatalogOf(Target &T, const std::set<std::string> &Names,
                                                  bool *Lost = nullptr);

/// Reads only `.rel` (one query): every relation's columns and, where the
/// target says, how many facts it holds (TargetCatalog::Facts); the rules
/// and indexes are left empty. For progress reports, which count the facts
/// a move will carry before it runs.
llvm::Expected<TargetCatalog> readRelationCatalog(Target &T);

/// How the catalog C differs from Want, one sentence per object, e.g.
/// "relation `a` has columns (id: int, y: string) on the target where the
/// history expects (id: int, x: int)". Only the objects named in Only are
/// compared (with the indexes on those relations), or every object when
/// Only is null. Strata's own relations (include/strata/IQL/Names.h) are
/// never compared.
std::vector<std::string> catalogDifferences(const TargetCatalog &C, const SchemaState &Want,
                                            const std::set<std::string> *Only = nullptr);

} // namespace strata::exec

#endif
