//===- Differential.h - Checker and engine, statement by statement -*- C++ -*-===//
//
// Runs one IQL program through both front ends a migration meets: the
// embedded engine (engine::Session, the ground truth where it matches the
// server's transcripts) and the checker (`strata verify`: readMigrationStatement
// and IqlCatalog::execute, with Sema's rule checks), each keeping its state
// across the program, and records for every statement whether both give the
// same verdict (accepted or refused) and, where both refuse, the same kind
// of failure (FailureKind.h).
//
// Statements a migration can never contain are run on the engine (they
// change its state, as `.kg use` does) but not compared; each is counted
// under the reason it is excluded. docs/iql-backend.md lists the reasons.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_DIFFTEST_DIFFERENTIAL_H
#define STRATA_DIFFTEST_DIFFERENTIAL_H

#include "FailureKind.h"
#include "llvm/ADT/StringRef.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace strata::difftest {

struct Verdict {
  bool Accepted = true;
  std::string Message; // the refusal, when refused
  FailureKind Kind = FailureKind::Other;
};

struct StatementOutcome {
  unsigned Line = 0;
  std::string Text;
  /// Why the statement is not compared because a migration never contains
  /// it; empty when it may.
  std::string Excluded;
  /// Why the statement cannot be compared although a migration may contain
  /// it: there is no server verdict and the engine says it does not do
  /// what the server does (a function or aggregate it does not implement),
  /// or such a statement came earlier and the engine's state may differ
  /// from the server's from there on. Noted against the engine.
  std::string Uncomparable;
  Verdict Engine, Checker;
  /// What the real server printed for the statement, when the program has
  /// a transcript (X.iql.out) that holds it.
  std::optional<Verdict> Server;
  /// The documented exception this disagreement falls under, if any.
  std::string Exception;

  bool compared() const { return Excluded.empty() && Uncomparable.empty(); }
  /// The verdict the checker must match: the server's where the transcript
  /// has it (the engine is checked against it separately), else the
  /// engine's.
  const Verdict &reference() const { return Server ? *Server : Engine; }
  bool verdictsAgree() const { return reference().Accepted == Checker.Accepted; }
  bool kindsAgree() const {
    return reference().Accepted || Checker.Accepted || reference().Kind == Checker.Kind;
  }
  bool agrees() const { return verdictsAgree() && kindsAgree(); }
  /// The server accepts what the engine and the checker both refuse, for
  /// the same kind of reason: a gap of what they share (the parser in
  /// lib/IQL, the function tables), noted against the engine; the checker
  /// is stricter than the server there, never more lenient.
  bool sharedEngineGap() const {
    return Server && Server->Accepted && !Engine.Accepted && !Checker.Accepted &&
           Engine.Kind == Checker.Kind;
  }
  /// The engine differs from the server's transcript (verdict or kind).
  bool engineDiffersFromServer() const {
    return Server && (Server->Accepted != Engine.Accepted ||
                      (!Server->Accepted && Server->Kind != Engine.Kind));
  }
};

/// Every statement of Program (split as the server splits a program), in
/// order, on a fresh engine and a fresh checker catalog. Transcript is the
/// text of the program's `.iql.out` (the server's client transcript), or
/// empty.
std::vector<StatementOutcome> runDifferential(llvm::StringRef Program,
                                              llvm::StringRef Transcript = "");

} // namespace strata::difftest

#endif
