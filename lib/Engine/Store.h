//===- Store.h - The knowledge graphs an engine holds -----------*- C++ -*-===//
//
// A graph has base relations (an optional schema and a set of facts),
// persistent rules (a name and its clauses, in the order they were added;
// a cleared rule keeps its name with no clauses) and HNSW index
// definitions. Derived relations are never stored: they are computed when
// a statement reads them.
//
// A relation's facts change only through FactSet::insert and erase, which
// tell the store's ChangeLog (when it keeps one) what changed, so that a
// state file's journal can be written in proportion to the change
// (ChangeLog.h). Each FactSet has an identity; a set that is replaced
// rather than changed in place (copied, moved, re-created under its name)
// gets a new one, and the change log then writes it whole.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_STORE_H
#define STRATA_LIB_ENGINE_STORE_H

#include "IqlTypes.h"
#include "RuleBodyIndex.h"
#include "llvm/ADT/Optional.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata::engine {

class ChangeLog;

/// A relation's facts: read as a TupleSet, changed only by insert/erase.
/// A copy shares the tuples until either side changes them (then that
/// side copies them first): the pre-checks copy whole relations into a
/// shadow engine that mostly only reads them, or empties them at once.
class FactSet {
public:
  FactSet() : Facts(sharedEmpty()), Id(freshId()) {}
  FactSet(const FactSet &O) : Facts(O.Facts), Id(freshId()) {}
  FactSet(FactSet &&O) noexcept : Facts(std::move(O.Facts)), Id(freshId()) {
    O.Facts = sharedEmpty();
    O.Id = freshId();
  }
  FactSet &operator=(const FactSet &O) {
    Facts = O.Facts;
    Id = freshId();
    return *this;
  }
  FactSet &operator=(FactSet &&O) noexcept {
    if (this != &O) {
      Facts = std::move(O.Facts);
      O.Facts = sharedEmpty();
    }
    Id = freshId();
    O.Id = freshId();
    return *this;
  }

  /// Adds T; true when it was not there. Log (may be null) hears of it.
  bool insert(Tuple T, ChangeLog *Log);
  /// Removes T; true when it was there. Log (may be null) hears of it.
  bool erase(const Tuple &T, ChangeLog *Log);

  /// Makes room for N facts in all, so that a bulk insert does not
  /// rehash as it grows (the facts and the identity stay as they are).
  void reserve(size_t N) { writable().reserve(N); }

  const TupleSet &set() const { return *Facts; }
  operator const TupleSet &() const { return *Facts; }
  size_t size() const { return Facts->size(); }
  bool empty() const { return Facts->empty(); }
  TupleSet::const_iterator begin() const { return Facts->begin(); }
  TupleSet::const_iterator end() const { return Facts->end(); }
  uint64_t id() const { return Id; }

private:
  static uint64_t freshId();
  /// One empty set that every empty FactSet starts from (never changed:
  /// it always has another owner, so writable() copies it).
  static const std::shared_ptr<TupleSet> &sharedEmpty();
  /// The tuples, copied first when another FactSet shares them.
  TupleSet &writable();
  std::shared_ptr<TupleSet> Facts;
  uint64_t Id;
};

struct BaseRelation {
  llvm::Optional<Schema> Columns;
  FactSet Tuples;
};

struct Graph {
  std::map<std::string, BaseRelation> Relations;
  std::map<std::string, std::vector<Clause>> Rules;
  std::map<std::string, IndexSpec> Indexes;
  /// Which relations Rules' bodies read; whoever changes Rules tells it
  /// (RuleBodyIndex.h).
  RuleBodyIndex BodyIndex;
};

class Store {
public:
  Store();
  ~Store();
  std::map<std::string, Graph> Graphs;
  /// What changed since the last Engine::takeChanges; null unless
  /// Engine::recordChanges was called.
  std::unique_ptr<ChangeLog> Changes;
  ChangeLog *changes() { return Changes.get(); }
};

} // namespace strata::engine

#endif
