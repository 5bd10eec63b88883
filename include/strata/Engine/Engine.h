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
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <memory>
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

  /// The whole persistent state (graphs, schemas, facts, persistent rules,
  /// indexes; not session rules) as deterministic text that deserialize
  /// reads back to an equal engine.
  std::string serialize() const;
  static llvm::Expected<Engine> deserialize(llvm::StringRef Text);

  Store &store() { return *TheStore; }
  const Store &store() const { return *TheStore; }

private:
  std::unique_ptr<Store> TheStore;
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

private:
  struct SessionState;
  Engine &TheEngine;
  std::string Graph;
  std::unique_ptr<SessionState> State;
};

/// The state file of a `file:` target.
///
/// Written crash-safely: the text goes to a temporary file in the same
/// directory, is fsync'ed, then renamed over the old file (and the
/// directory fsync'ed). It starts with a header that carries a format
/// version, the body's length and a checksum, so a torn or edited file is
/// reported (naming the file and what is wrong), never silently reset.
/// A missing file loads as a fresh engine.
llvm::Expected<Engine> loadStateFile(llvm::StringRef Path);
llvm::Error saveStateFile(const Engine &E, llvm::StringRef Path);

} // namespace strata::engine

#endif
