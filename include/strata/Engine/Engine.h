//===- Engine.h - The embedded knowledge-graph engine ------------*- C++ -*-===//
//
// An in-process implementation of the InputLayer server's IQL semantics for
// everything migrations and their users need (docs/engine.md): knowledge
// graphs (`.kg`), schema declarations, fact insert/delete (single and bulk),
// conditional delete, atomic update, persistent rules and `.rule` commands,
// `.rel` (including `.rel drop`'s removal of the same-name rule), `.index`,
// queries, with the server's reply messages. ../shared/conformance/iql/
// holds the server transcripts it is checked against.
//
// An Engine holds the knowledge graphs; a Session is one client's view of it
// (its current graph and its session rules), as one WebSocket connection is
// on the server. Neither is thread-safe: callers serialise access.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_ENGINE_ENGINE_H
#define STRATA_ENGINE_ENGINE_H

#include "strata/Engine/Reply.h"
#include "strata/IQL/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace strata::iql {
struct Atom;
} // namespace strata::iql

namespace strata::engine {

class Store; // the graphs; defined in lib/Engine

/// The columns a rule head fills: one per argument, except that a ranking
/// aggregate (`top_k<3, Name, Score:desc>`) fills one per variable.
size_t headColumns(const iql::Atom &Head);

/// What one graph holds, counted: enough to tell what a request changed
/// (the server's change notifications) without copying any fact.
struct GraphCensus {
  struct Relation {
    size_t Facts = 0;
    bool Declared = false; // has a schema
  };
  std::map<std::string, Relation> Relations;
  std::map<std::string, size_t> Rules; // persistent rule -> its clauses
};
/// Every graph's census, by graph name.
using Census = std::map<std::string, GraphCensus>;

class Engine {
public:
  /// A fresh engine holds one empty graph, `default`.
  Engine();
  ~Engine();
  Engine(Engine &&) noexcept;
  Engine &operator=(Engine &&) noexcept;

  /// Every graph's name, sorted.
  std::vector<std::string> graphNames() const;
  bool hasGraph(llvm::StringRef Name) const;
  /// Costs one step per relation and rule, not per fact.
  Census census() const;

  /// The whole persistent state (graphs, schemas, facts, persistent rules,
  /// indexes; not session rules) as deterministic text that deserialize
  /// reads back to an equal engine.
  std::string serialize() const;
  static llvm::Expected<Engine> deserialize(llvm::StringRef Text);

  /// Starts keeping what changes from now on, for a state file's journal
  /// (StateFile.h). Costs a copy of each fact added or removed until it is
  /// taken, and a look at every definition (not every fact) per take.
  void recordChanges();
  /// What changed since recordChanges or the last take, as a journal
  /// record; "" when nothing did, or when changes are not recorded. When
  /// more facts changed than the state holds, the record is "" and
  /// Everything (optional) is set: the state is best written whole.
  std::string takeChanges(bool *Everything = nullptr);
  /// Applies a record that takeChanges wrote (reading a journal).
  llvm::Error applyChanges(llvm::StringRef Record);

  Store &store() { return *TheStore; }
  const Store &store() const { return *TheStore; }

private:
  std::unique_ptr<Store> TheStore;
};

/// Some lines of the catalog, as `.rel`, `.rule list` and `.index list`
/// print them (without their headers).
struct CatalogLines {
  std::vector<std::string> Relations, Rules, Indexes;
};

class Session {
public:
  /// A session whose current graph is Graph (created when missing, as the
  /// server does for `?kg=NAME`).
  explicit Session(Engine &E, llvm::StringRef Graph = "default");
  ~Session();

  /// Runs Program as the server runs an `execute` request: every statement
  /// is parsed first and a parse failure refuses the whole program (an
  /// error reply listing the failing statements); then statements run in
  /// order and the reply is that of the last one (docs/engine.md says what
  /// the server does with several).
  Reply execute(llvm::StringRef Program);

  const std::string &currentGraph() const { return Graph; }
  /// Copies the stored facts of base relation Name from From's current
  /// graph into this session's graph, replacing any there, without its
  /// schema (as inserting them one by one into an undeclared relation
  /// would): an in-process copy, with no IQL text in between. Returns the
  /// facts copied; 0 when From has no such relation.
  size_t copyFactsFrom(const Session &From, llvm::StringRef Name);
  /// The catalog lines of the objects Names names in the current graph:
  /// relations, rules, and the indexes named or on a named relation. Costs
  /// a lookup per name (and a step per index), not a listing of the graph:
  /// a migration's post-condition reads only what the migration touched.
  CatalogLines catalogLinesOf(const std::set<std::string> &Names) const;
  /// Whether the session holds rules or facts of its own (ephemeral data
  /// that a query's rows may come from).
  bool hasSessionData() const;

  /// The rows execute(Query) would answer, visited one by one in no order
  /// and without building a reply, for a query that is one atom over a
  /// stored relation of the current graph (no rule of that name, no
  /// session data; arguments variables, wildcards or constants, no order
  /// or window). Those rows are distinct, as a reply's are. Columns is set
  /// to the reply's header. Returns the rows visited; nullopt, having
  /// visited none, for any other query (execute() then answers it).
  std::optional<size_t> scanQuery(llvm::StringRef Query, std::vector<std::string> &Columns,
                                  llvm::function_ref<void(const iql::Tuple &)> Row) const;

private:
  struct SessionState;
  Engine &TheEngine;
  std::string Graph;
  std::unique_ptr<SessionState> State;
};

} // namespace strata::engine

#endif
