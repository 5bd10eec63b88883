//===- Lowering.h - Migration operations to IQL command streams -*- C++ -*-===//
//
// Each operation lowers to a forward and a backward list of IQL statements
// that the InputLayer server accepts, computed from the schema state before
// the operation (named-argument atoms become positional with the columns of
// that moment). Each statement is a typed lib/IQL tree, tagged with the step
// it is of its operation, and its text, exactly what the server will
// receive, printed from the tree by lib/IQL's printer. The verifier and the
// executor read the trees, never the text back.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_CODEGEN_LOWERING_H
#define STRATA_CODEGEN_LOWERING_H

#include "strata/IQL/Syntax.h"
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Migrate/Operation.h"
#include "strata/Sema/SchemaState.h"
#include "strata/Support/Diagnostics.h"
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// What a statement does for its operation, where an operation lowers to
/// several steps (a column change, a rule replacement, a rename).
enum class StepPurpose {
  Apply,          // the operation's one effect: declare, drop, index
  DropReader,     // a rule reading the changed relation, dropped first
  DropIndex,      // an index on the changed relation, dropped first
  DeclareStage,   // the staging relation declared
  MoveToStage,    // every fact moved into the staging relation
  DropOriginal,   // the relation dropped once its facts moved out
  Redeclare,      // the relation declared with its new columns (or name)
  MoveBack,       // every fact moved into the re-declared relation
  DropStage,      // the staging relation dropped
  RecreateIndex,  // an index dropped first, created again
  DropRule,       // the rule itself dropped (replace, rename)
  DefineRule,     // one clause of the rule being defined
  RecreateReader, // one clause of a rule dropped first, defined again
  Raw,            // a statement of a `run iql` block, the author's text
};
/// Its name in machine-readable output: "move-to-stage".
llvm::StringRef stepPurposeName(StepPurpose P);
/// What the step does, for a reader: "move the facts into the staging
/// relation" (empty for Apply and Raw: the operation says it).
llvm::StringRef stepPurposeTitle(StepPurpose P);

/// One IQL statement. Text is a single line unless the statement needs
/// continuation lines, which then start with whitespace (IQL's rule).
struct IqlStatement {
  std::string Text;
  /// A backward statement that cannot restore what forward removed (the
  /// column a forward `add column` created is dropped with its values).
  bool Lossy = false;
  StepPurpose Purpose = StepPurpose::Apply;
  /// The statement Text spells. A generated statement always has one, and
  /// Text is its print (the tree's own Text is left empty: one copy). A `run iql` statement has the
  /// parse of the author's text (kept verbatim in Text), made once when it was lowered; none when
  /// the text holds only comments or does not parse (ParseError then says why the server would
  /// refuse it).
  std::optional<iql::Statement> Tree;
  std::string ParseError;
};

/// A statement written as IQL text (a `run iql` statement, verbatim): its
/// text parsed once, here, by lib/IQL.
IqlStatement rawIqlStatement(std::string Text);

struct LoweredOperation {
  const Operation *Op = nullptr;
  std::vector<IqlStatement> Forward;
  /// In execution order: run after the forward statements of this and every
  /// later operation have been undone.
  std::vector<IqlStatement> Backward;
  /// No backward exists (`run iql` without a backward block).
  bool Irreversible = false;
};

struct LoweredMigration {
  const Migration *M = nullptr;
  std::vector<LoweredOperation> Ops;

  /// Every forward statement, operation by operation.
  std::vector<const IqlStatement *> forward() const;
  /// Every backward statement: operations newest first.
  std::vector<const IqlStatement *> backward() const;
};

/// Lowers every operation of M, each against the state before it (replayed
/// from Before). Reports what cannot be lowered (e.g. a value that cannot
/// be written safely) and returns nullopt.
std::optional<LoweredMigration> lowerMigration(const Migration &M, const SchemaState &Before,
                                               DiagnosticEngine &Diags);

/// Lowers one operation: Before is the state before it, After the state
/// after it (Op applied to Before). Reports at Op.loc() what cannot be
/// lowered and returns nullopt.
std::optional<LoweredOperation> lowerOperation(const Operation &Op, const SchemaState &Before,
                                               const SchemaState &After, DiagnosticEngine &Diags);

/// Lowers one operation with the readers tables of Before and After (kept
/// in step by the caller); the output is lowerOperation's.
std::optional<LoweredOperation> lowerOperation(const Operation &Op, const SchemaState &Before,
                                               const SchemaState &After,
                                               const RuleReaders &BeforeReaders,
                                               const RuleReaders &AfterReaders,
                                               DiagnosticEngine &Diags);

/// Walks a history migration by migration, lowering each against the state
/// its predecessors leave, without copying the state: two states (before
/// and after the current operation) and their readers tables are kept in
/// lock-step, each operation applied once to each. Lowering the migrations
/// of a linear history one after another this way costs what the
/// migrations change, not the size of the schema.
class LoweringCursor {
public:
  explicit LoweringCursor(SchemaState Start = SchemaState());
  /// The state after every migration lowered or applied so far.
  const SchemaState &state() const { return Cur; }
  /// Lowers M against state() and advances past it. On failure (reported)
  /// returns nullopt and the cursor is unusable.
  std::optional<LoweredMigration> lower(const Migration &M, DiagnosticEngine &Diags);
  /// Advances past M without lowering it. False (reported) when an
  /// operation does not apply; the cursor is then unusable.
  bool apply(const Migration &M, DiagnosticEngine &Diags);
  /// Whether the last lower() failed because an operation does not apply
  /// (rather than because one cannot be lowered).
  bool applyFailed() const { return ApplyFailed; }

private:
  bool ApplyFailed = false;
  SchemaState Cur, Next;
  RuleReaders CurReaders, NextReaders;
};

/// The legal helper relation a column change of Relation stages facts in:
/// `<relation>_strata_stage`. Lowering refuses a change when this name is
/// taken in the state (it would be overwritten and then dropped).
std::string stagingName(llvm::StringRef Relation);

} // namespace strata

#endif
