//===- SchemaState.h - The canonical schema -------------------*- C++ -*-===//
//
// What a schema means, independent of how it was written: relations, derived
// relations and indexes keyed by name. Iteration is always in sorted name
// order, so two schemas that declare the same things in different files or
// orders give equal states and identical dumps.
//
// Entries are immutable and shared: copying a state copies three maps of
// pointers, which keeps replaying thousands of migrations cheap. To change
// an entry, build a new one and put it in place of the old.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SEMA_SCHEMASTATE_H
#define STRATA_SEMA_SCHEMASTATE_H

#include "strata/AST/Rule.h"
#include "strata/IQL/Builtins.h"
#include "strata/Sema/Type.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata {

struct ColumnDef {
  std::string Name;
  Type Ty;
  /// Where the column was declared (invalid when it has no source).
  llvm::SMRange Loc;
};

/// The columns of a relation or derived relation, in declared order (the
/// order is the positional meaning of atoms).
struct ColumnList {
  std::vector<ColumnDef> Columns;

  size_t size() const { return Columns.size(); }
  /// The position of column Name, if any. Linear: relations are narrow.
  std::optional<size_t> find(llvm::StringRef Name) const;
};

struct RelationDef {
  std::string Name;
  ColumnList Columns;
  llvm::SMRange Loc; // the name in its declaration
};

struct DerivedDef {
  std::string Name;
  ColumnList Columns;
  /// In declared order; shared with every state that holds this relation.
  std::vector<std::shared_ptr<const ast::Clause>> Clauses;
  llvm::SMRange Loc;
};

/// HNSW distance metrics: the server's (strata/IQL/IndexMetrics.def).
using Metric = iql::IndexMetric;
/// `cosine`, `euclidean`, `dot_product`, `manhattan`.
llvm::StringRef metricName(Metric M);
/// A metric as the schema language spells it, case-insensitively: every
/// spelling the server reads (cosine|cos, euclidean|l2, dot_product|dot,
/// manhattan|l1) and Strata's own aliases euclid, dotproduct, inner and
/// taxicab (lowered to the canonical name).
std::optional<Metric> parseMetric(llvm::StringRef Spelling);

struct IndexDef {
  std::string Name;
  std::string Relation;
  std::string Column;
  // The server's defaults (index_manager.rs HnswConfig::default).
  Metric TheMetric = Metric::Cosine;
  int64_t M = 16;
  int64_t EfConstruction = 200;
  int64_t EfSearch = 50;
  llvm::SMRange Loc;
};

class SchemaState {
public:
  template <typename T> using Map = std::map<std::string, std::shared_ptr<const T>, std::less<>>;

  const Map<RelationDef> &relations() const { return Relations; }
  const Map<DerivedDef> &derived() const { return Derived; }
  const Map<IndexDef> &indexes() const { return Indexes; }

  const RelationDef *relation(llvm::StringRef Name) const;
  const DerivedDef *derivedRelation(llvm::StringRef Name) const;
  const IndexDef *index(llvm::StringRef Name) const;
  /// The columns of a relation or a derived relation named Name.
  const ColumnList *columnsOf(llvm::StringRef Name) const;
  /// Whether Name is taken by a relation or a derived relation.
  bool hasRelationName(llvm::StringRef Name) const { return columnsOf(Name); }

  /// Insert or replace (by name).
  void put(std::shared_ptr<const RelationDef> R);
  void put(std::shared_ptr<const DerivedDef> D);
  void put(std::shared_ptr<const IndexDef> I);
  bool eraseRelation(llvm::StringRef Name);
  bool eraseDerived(llvm::StringRef Name);
  bool eraseIndex(llvm::StringRef Name);

  size_t relationCount() const { return Relations.size(); }
  size_t derivedCount() const { return Derived.size(); }
  size_t indexCount() const { return Indexes.size(); }

  /// One item a line (derived relations with their clauses indented), in
  /// sorted name order within each kind. Source locations are not printed.
  void dump(llvm::raw_ostream &OS) const;

  /// Meaning, not provenance: source locations are ignored and clauses are
  /// compared by their canonical text.
  friend bool operator==(const SchemaState &A, const SchemaState &B);
  friend bool operator!=(const SchemaState &A, const SchemaState &B) { return !(A == B); }

private:
  Map<RelationDef> Relations;
  Map<DerivedDef> Derived;
  Map<IndexDef> Indexes;
};

bool operator==(const SchemaState &A, const SchemaState &B);
bool operator==(const ColumnDef &A, const ColumnDef &B);
bool operator==(const RelationDef &A, const RelationDef &B);
bool operator==(const DerivedDef &A, const DerivedDef &B);
bool operator==(const IndexDef &A, const IndexDef &B);

/// `name(col: type, ...)`
void printColumns(llvm::StringRef Name, const ColumnList &Columns, llvm::raw_ostream &OS);
/// `index N on rel(col) hnsw(metric: M, m: X, ef_construction: Y, ef_search: Z)`
void print(const IndexDef &I, llvm::raw_ostream &OS);

} // namespace strata

#endif
