//===- ChangeLog.h - What changed in a store since a point -------*- C++ -*-===//
//
// A state file's journal record holds what one commit changed (docs/safety.md,
// "The state journal"), so writing it must cost in proportion to the change,
// not to the state. Two kinds of change are told apart:
//  - facts: FactSet::insert and erase report each fact they add or remove,
//    kept as a net difference per fact set;
//  - everything else (graphs, relations and their schemas, rules, indexes,
//    and which fact set a relation holds): small next to the facts, so an
//    image of it is kept and compared. Definitions, which may be many (a
//    client adding thousands of rules, a history declaring thousands of
//    relations), are imaged again only when a statement could have changed
//    them: every one after a meta command that may change several, only
//    the indexes after an index command, else only the rules that rule
//    statements and rule commands named and the relations that schema
//    declarations named (Session.cpp says which); a command that only reads
//    changes none. A relation that now holds another fact set (replaced,
//    dropped and declared again, or new) is imaged again whether noted or
//    not, since a fact set's identity is never reused.
// A relation whose fact set was replaced, or that is new, is written whole;
// one whose set was changed in place gets only its difference. Once the
// facts changed outnumber those stored (a migration moving a large
// relation), listing them would cost more than writing the state whole:
// the log stops keeping them and take says so.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_CHANGELOG_H
#define STRATA_LIB_ENGINE_CHANGELOG_H

#include "Store.h"
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace strata::engine {

class ChangeLog {
public:
  /// Starts from S as it is now.
  explicit ChangeLog(const Store &S);

  void noteInsert(uint64_t Set, const Tuple &T);
  void noteErase(uint64_t Set, const Tuple &T);
  /// Any definition may have changed (a meta command ran).
  void noteDefinitions() { AllDefinitions = true; }
  /// Any index may have changed (not the rules).
  void noteIndexes() { AllIndexes = true; }
  /// The rule Name of graph Graph may have changed.
  void noteRule(const std::string &Graph, const std::string &Name) {
    NotedRules.emplace(Graph, Name);
  }
  /// The schema of relation Name of graph Graph may have changed.
  void noteRelation(const std::string &Graph, const std::string &Name) {
    NotedRelations.emplace(Graph, Name);
  }

  /// The journal record (StateText.h lines) that turns the state as it was
  /// at the start, or at the last take, into S; "" when nothing changed, or
  /// with Everything set when too much did (write S whole). S is the new
  /// starting point.
  std::string take(const Store &S, bool &Everything);

  /// A definition's lines. An image that keeps the baseline's shares
  /// them, so telling it unchanged costs a pointer comparison, not a copy
  /// and a comparison of the text.
  using Text = std::shared_ptr<const std::string>;
  static Text text(std::string Lines) {
    return std::make_shared<const std::string>(std::move(Lines));
  }
  static bool differ(const Text &A, const Text &B) { return A != B && *A != *B; }

  /// A relation as the last take saw it.
  struct RelationImage {
    uint64_t Set = 0;
    Text Line; // relationLine
  };

private:
  struct GraphImage {
    std::map<std::string, RelationImage> Relations;
    std::map<std::string, Text> Rules;   // ruleLines
    std::map<std::string, Text> Indexes; // indexLine
  };
  using Image = std::map<std::string, GraphImage>;
  struct Delta {
    TupleSet Added, Removed;
  };

  static Image imageOf(const Store &S);
  /// imageOf, with definitions taken from the baseline except for new
  /// graphs, the noted rules, and relations noted or holding a new set.
  Image imageOfNoted(const Store &S) const;
  void notedRelationsImage(const std::string &Name, const Graph &G, const GraphImage &Prior,
                           GraphImage &Out) const;
  void graphChanges(const std::string &Name, const Graph &G, const GraphImage &Now,
                    const GraphImage *Before, std::string &Out);
  void relationChanges(const std::string &Name, const BaseRelation &R, const RelationImage &Now,
                       const RelationImage *Before, std::string &Out);

  void restart(const Store &S);

  /// Remembers Baseline and the fact sets it names.
  void setBaseline(Image I);

  Image Baseline;
  /// The fact sets of Baseline: only their changes are kept, since a
  /// relation holding any other set is written whole.
  std::unordered_set<uint64_t> BaselineSets;
  std::unordered_map<uint64_t, Delta> Facts;
  uint64_t Noted = 0, Limit = 0; // facts noted since the last take, and how many may be
  bool Overflowed = false;
  bool AllDefinitions = false, AllIndexes = false;
  std::set<std::pair<std::string, std::string>> NotedRules, NotedRelations;
};

} // namespace strata::engine

#endif
