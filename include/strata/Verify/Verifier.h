//===- Verifier.h - Reversibility verification of lowered migrations -*- C++ -*-===//
//
// Abstract interpretation of a lowered migration over IqlCatalog: every
// forward statement is parsed by lib/IQL, checked (MigrationStatement.h)
// and executed on the catalog of the state before the migration; the
// result must model the state after it. Then every backward statement runs
// and the result must model the state before. After each statement the
// rules it could break are checked. The first statement that breaks is
// reported with the migration and the operation it came from.
//
// `run iql` is opaque to the schema state. Its statements are validated and
// executed like any other; relations, rules and indexes that a `run iql`
// creates and the state after does not know are the author's business and
// are not compared going forward, but the backward stream must remove them
// again (the comparison with the state before is exact). A `run iql` that
// changes an object the state manages makes the forward comparison fail. A
// migration with an irreversible operation is verified forward only.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_VERIFY_VERIFIER_H
#define STRATA_VERIFY_VERIFIER_H

#include "strata/CodeGen/Lowering.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include <memory>
#include <optional>
#include <string>

namespace strata {

struct VerifyFailure {
  enum class Phase { Forward, Backward } ThePhase = Phase::Forward;
  enum class Reason {
    Rejected,   // the server would not accept the statement's text
    Failed,     // the server answers with an error row
    RuleBroken, // a rule no longer checks against the relations present
    Mismatch,   // the end of the stream differs from the expected state
  } TheReason = Reason::Rejected;
  std::string Migration;
  /// The operation the statement came from (for Mismatch: the operation
  /// of the last statement that changed the differing object, if any).
  const Operation *Op = nullptr;
  /// 1-based position in the phase's stream; 0 when no statement is known.
  size_t Index = 0;
  std::string Statement;
  std::string Message;
};

struct VerifyResult {
  std::optional<VerifyFailure> Failure;
  /// False when an operation is irreversible: only forward was checked.
  bool BackwardChecked = false;
  size_t Statements = 0;
};

/// Verifies L (whose migration's name is L.M->Name when L.M is set) from
/// Before to After and back.
VerifyResult verifyMigration(const LoweredMigration &L, const SchemaState &Before,
                             const SchemaState &After);

/// Lowers and verifies the migrations of a history one after another
/// without rebuilding anything from the whole schema per migration: the
/// states before and after the migration are advanced operation by
/// operation (LoweringCursor), and one catalog is kept across migrations.
/// verify() gives verifyMigration's result: the catalog models the state
/// before, and only the objects the streams touch, the objects that differ
/// between the two states and the rules reading either are compared (the
/// rest cannot differ). Afterwards the catalog is brought to the state
/// after by running the forward stream again.
class HistoryVerifier {
public:
  explicit HistoryVerifier(SchemaState Start = SchemaState());
  ~HistoryVerifier();
  HistoryVerifier(const HistoryVerifier &) = delete;
  HistoryVerifier &operator=(const HistoryVerifier &) = delete;

  /// The state before the next migration.
  const SchemaState &before() const;
  /// Lowers M against before(). Returns nullopt after reporting; sets
  /// ApplyFailed when an operation of M does not apply.
  std::optional<LoweredMigration> lower(const Migration &M, DiagnosticEngine &Diags,
                                        bool &ApplyFailed);
  /// Verifies the last lowered migration (L) from before() to the state
  /// after it, and advances past it when it verifies.
  VerifyResult verifyAndAdvance(const LoweredMigration &L, DiagnosticEngine &Diags);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/// Reports F at its operation's location (or the migration's name).
void reportVerifyFailure(const VerifyFailure &F, const Migration *M, DiagnosticEngine &Diags);

} // namespace strata

#endif
