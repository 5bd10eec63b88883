//===- RuleBodyIndex.h - Which relations a graph's rule bodies read -*- C++ -*-===//
//
// Registering a rule must tell whether it closes a cycle, and a cycle
// through the new rule comes back through some body that reads its head.
// Asking that of every rule made registering a chain of N rules quadratic
// (issue 18, item 5); this table answers it by a lookup. It counts, per
// relation, the clauses whose body names it in an atom or a negation, and
// per index, the clauses that search it (which relation an index search
// reads depends on the indexes the graph has when it is asked).
//
// The table belongs to its graph. It is built from the rules on first use
// and then kept up to date by the session's rule commands (Session.cpp),
// which tell it of each clause they add or remove; whatever else replaces
// a graph's rules (reading a journal record) calls forget(), and the next
// question builds it again.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_RULEBODYINDEX_H
#define STRATA_LIB_ENGINE_RULEBODYINDEX_H

#include "IqlTypes.h"
#include <string>
#include <unordered_map>
#include <vector>

namespace strata::engine {

struct Graph;

/// The index an index search (`hnsw_nearest("idx", ...)`) names, or ""
/// when its first argument is not a string constant.
std::string searchedIndex(const Atom &A);

/// The relation a body literal reads: an atom's own, an index search's
/// indexed relation ("" when G has no such index), none ("") for a
/// comparison.
std::string readRelation(const Graph &G, const Literal &L);

class RuleBodyIndex {
public:
  /// Whether some clause of G's rules reads Relation (readRelation).
  /// G must be the graph that holds this table.
  bool someBodyReads(const Graph &G, const std::string &Relation) const;

  /// The clause was added to, or is about to be removed from, the rules.
  void added(const Clause &C) { count(C, +1); }
  void removed(const Clause &C) { count(C, -1); }
  void removed(const std::vector<Clause> &Clauses) {
    for (const Clause &C : Clauses)
      removed(C);
  }
  /// The rules changed in ways not told: build the table again when next
  /// asked.
  void forget();

private:
  void count(const Clause &C, long By) const;

  mutable bool Built = false;
  mutable std::unordered_map<std::string, long> Relations, Indexes;
};

} // namespace strata::engine

#endif
