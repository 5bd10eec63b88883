//===- ClientEmulator.h - The server's line-by-line client, replayed -*- C++ -*-===//
//
// The transcripts were printed by the InputLayer client, which does more
// than forward a line: after a session rule it queries the rule's head and
// prints that table, it says how many session rules it has seen, it clears
// the session when the knowledge graph changes, and it frames `.rel NAME`
// with a title and a `N of M total rows` footer. To compare like with like,
// this sends each line to an embedded engine session the way that client
// sends it to the server, and prints the replies the way it prints them
// (script mode: no timings, no row limit, an error frame's message bare).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_CONFORMANCE_CLIENTEMULATOR_H
#define STRATA_CONFORMANCE_CLIENTEMULATOR_H

#include "strata/Engine/Engine.h"
#include "strata/IQL/Syntax.h"
#include <string>
#include <vector>

namespace strata::conformance {

class ClientEmulator {
public:
  /// ScriptRoot is where the transcripts' `.load examples/iql/...` paths
  /// point: the corpus's root directory (the client ran in the server's
  /// repository, whose examples/iql/ the corpus is).
  ClientEmulator(engine::Session &S, std::string ScriptRoot)
      : Session(S), ScriptRoot(std::move(ScriptRoot)) {}

  struct Response {
    std::vector<std::string> Lines; // what the client would have printed
    /// An error frame, or a reply the executor reads as a failure.
    bool Failed = false;
  };

  Response send(llvm::StringRef Line);

private:
  Response sendOne(llvm::StringRef Line);
  /// Runs Program and prints its reply as a plain command's.
  void display(llvm::StringRef Program, Response &Out);
  void describeRelation(llvm::StringRef Line, llvm::StringRef Name, Response &Out);
  void sessionRule(llvm::StringRef Line, const iql::Atom &Head, Response &Out);
  /// A `.` command: `.rel NAME` is framed, `.kg use`/`create` clear the
  /// session's rules and facts.
  void command(llvm::StringRef Line, const iql::Statement &St, Response &Out);
  /// `.load FILE`: the client reads FILE and sends its statements itself
  /// (the server refuses `.load`). The transcript shows each of them as a
  /// line of its own, which this replays like any other, so here it only
  /// says what the client said, and after the file's last statement
  /// `File loaded.`.
  void loadScript(llvm::StringRef Path, Response &Out);

  engine::Session &Session;
  std::string ScriptRoot;
  unsigned SessionRules = 0, SessionFacts = 0;
  /// Statements of a loaded file still to come before `File loaded.`.
  size_t LoadedStatementsLeft = 0;
};

/// The client's follow-up query for a session rule: `?head(X, Y, ...)`
/// with one variable per column of its head.
std::string followUpQuery(const iql::Atom &Head);

} // namespace strata::conformance

#endif
