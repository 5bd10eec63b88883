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
#include <cstdint>
#include <map>
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
  /// Whether the session holds rules or facts of its own (ephemeral data
  /// that a query's rows may come from).
  bool hasSessionData() const;

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
/// The path is distrusted: a symbolic link is followed once and must lead
/// to a regular file; FIFOs, devices and directories are refused; files
/// larger than MaxStateFileBytes are refused; the new state goes to a
/// fresh O_EXCL temporary, never through a planted link.
///
/// Digest (optional) is the SHA-256 of the body: loadStateFile sets it
/// ("" for a missing file); saveStateFile writes nothing when it already
/// equals the state's digest (so a command that changed nothing never
/// rewrites the file), and updates it after a write.
llvm::Expected<Engine> loadStateFile(llvm::StringRef Path, std::string *Digest = nullptr);
llvm::Error saveStateFile(const Engine &E, llvm::StringRef Path, std::string *Digest = nullptr);

/// What loadStateFile does once the file's bytes are read: checks the
/// header, length and checksum of Text and reads the body. Path only names
/// the file in errors. (Also the fuzzers' way in, without a file.)
llvm::Expected<Engine> parseStateFile(llvm::StringRef Text, llvm::StringRef Path,
                                      std::string *Digest = nullptr);
/// The file's text for a body that Engine::serialize wrote: the header,
/// then Body.
std::string stateFileText(llvm::StringRef Body);

/// The body digest in the state file's header ("" when there is no file),
/// reading only the header: to tell whether another process wrote it.
llvm::Expected<std::string> readStateDigest(llvm::StringRef Path);

/// Path with a symbolic link followed once; an error when it leads
/// nowhere or to something other than a regular file. A missing path is
/// returned as it is (a fresh engine).
llvm::Expected<std::string> resolveStatePath(llvm::StringRef Path);

/// The largest state file read: 4 GiB. Larger ones are refused (a state
/// that big belongs on a server).
constexpr uint64_t MaxStateFileBytes = uint64_t(4) << 30;

} // namespace strata::engine

#endif
