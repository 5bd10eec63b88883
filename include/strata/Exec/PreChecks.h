//===- PreChecks.h - Which pre-checks a forward stream triggers -*- C++ -*-===//
//
// The one home of the rules that decide which pre-checks a migration's
// statements trigger (docs/targets.md). preCheckPlan (Executor.h) runs the
// checks this planner lists against a shadow or the target; `strata
// review` lists the same checks without a target.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_EXEC_PRECHECKS_H
#define STRATA_EXEC_PRECHECKS_H

#include "strata/CodeGen/Lowering.h"
#include "strata/IQL/Syntax.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <map>
#include <string>
#include <vector>

namespace strata::exec {

enum class PreCheckKind {
  /// A relation the migration creates, or a move fills, holds no facts.
  TargetEmpty,
  /// A move's body matches every fact of its source.
  MovesEveryFact,
  /// The values a move computes (a cast, a fill) are never null.
  ConversionNeverNull,
  /// Every value a move carries fits its declared column's type.
  TypesFit,
};

/// `target-empty`, `moves-every-fact`, `conversion-never-null`, `types-fit`.
llvm::StringRef preCheckKindName(PreCheckKind K);

struct PlannedPreCheck {
  PreCheckKind Kind;
  std::string Relation;
  std::string Description;
  /// TargetEmpty: the relation's arity and its role in the migration.
  size_t Arity = 0;
  std::string Role;
  /// The move checked (not TargetEmpty): its source and destination atoms'
  /// arguments as text (no destination for a move that only deletes), and
  /// its body as an IQL query body.
  std::string SourceRelation, SourceAtom;
  std::vector<std::string> SourceArgs, DestinationArgs;
  std::string BodyText;
  /// TypesFit: the destination's declared columns.
  iql::Schema Columns;
};

/// Lists, statement by statement, the pre-checks of the operations of
/// forward streams in order, keeping what earlier statements declared and
/// touched: a relation is checked empty once, and not after a statement
/// touched it.
class PreCheckPlanner {
public:
  /// With SkipTouchedSources the checks are meant for the target as it is
  /// before the plan runs (no shadow follows the statements): a move whose
  /// source an earlier statement touched cannot be checked there.
  explicit PreCheckPlanner(bool SkipTouchedSources = false)
      : SkipTouchedSources(SkipTouchedSources) {}

  /// The checks of every statement of Op, in order.
  std::vector<PlannedPreCheck> plan(const LoweredOperation &Op);
  /// The checks S (a statement of Op) triggers; then records what it
  /// declares and touches.
  std::vector<PlannedPreCheck> planStatement(const LoweredOperation &Op, const iql::Statement &S);

private:
  void planMove(const iql::Statement &S, std::vector<PlannedPreCheck> &Out);
  void planEmpty(const std::string &Relation, size_t Arity, const char *Role,
                 std::vector<PlannedPreCheck> &Out);
  void record(const iql::Statement &S);

  bool SkipTouchedSources;
  llvm::StringSet<> Touched, Checked;
  std::map<std::string, iql::Schema> Declared;
};

} // namespace strata::exec

#endif
