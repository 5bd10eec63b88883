//===- OperationImpl.h - Shared by the per-area operation files -*- C++ -*-===//
//
// Private to lib/Migrate. Each operation kind's behaviour sits in the file
// of its area (OperationRelations.cpp, OperationColumns.cpp,
// OperationRules.cpp, OperationIndexes.cpp, OperationRawIql.cpp): how it is
// built from its parsed form, applied, inverted, described and printed.
// Operation.cpp holds what they share and the dispatch from a parsed
// operation to its builder, generated from strata/AST/Operations.def.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_MIGRATE_OPERATIONIMPL_H
#define STRATA_LIB_MIGRATE_OPERATIONIMPL_H

#include "strata/Migrate/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::opimpl {

/// One builder per operation kind: the typed operation for a parsed one,
/// or null after reporting what needs no schema state (an unknown type, a
/// bad index option). A builder may take what it keeps out of O (a rule's
/// clauses, which a history holds thousands of) instead of copying it.
#define OPERATION(Kind, Name, Keyword, Marker, Tag)                                                \
  OperationPtr build##Kind(ast::Kind##Op &&O, llvm::SMRange Loc, DiagnosticEngine &Diags);
#include "strata/AST/Operations.def"

/// A readers table for a call that passed none.
struct ReadersFor {
  // A unique_ptr, not an optional: GCC 12 -O3 warns (wrongly) that the
  // optional's map may be used uninitialized.
  std::unique_ptr<RuleReaders> Own;
  RuleReaders *R;
  ReadersFor(const SchemaState &State, RuleReaders *Given) : R(Given) {
    if (!R) {
      Own = std::make_unique<RuleReaders>(State);
      R = Own.get();
    }
  }
  RuleReaders *operator->() { return R; }
};

/// The context an operation reports in, and the checks of the state after
/// it that several kinds share.
struct Reporter {
  const Operation &Op;
  DiagnosticEngine &Diags;

  template <typename... Args> DiagnosticBuilder report(DiagKind K, Args &&...A) {
    return Diags.reportAt(K, Op.loc(), std::forward<Args>(A)...);
  }
  bool unknown(llvm::StringRef What, llvm::StringRef Name) {
    report(DiagKind::OpUnknownName, Op.describe(), What.str(), Name.str());
    return false;
  }
  bool exists(const SchemaState &State, llvm::StringRef Name) {
    const char *Kind = State.relation(Name) ? "relation" : "derived relation";
    report(DiagKind::OpNameExists, Op.describe(), Name.str(), std::string(Kind));
    return false;
  }
  bool mismatch(const std::string &Detail) {
    report(DiagKind::OpStateMismatch, Op.describe(), Detail);
    return false;
  }

  /// After Relation was dropped, renamed or reshaped: every rule reading it
  /// must still check against State. Skip: a reader that no longer exists.
  /// Unaffected, when given, tells a reader the change cannot have broken
  /// (it checked against the state before): it is not checked again.
  bool checkReaders(const SchemaState &State, RuleReaders &Readers, llvm::StringRef Relation,
                    llvm::StringRef Skip = "",
                    llvm::function_ref<bool(const DerivedDef &)> Unaffected = nullptr);
  /// No index may sit on Relation (or on its column Column, when given).
  bool checkIndexes(const SchemaState &State, llvm::StringRef Relation,
                    llvm::StringRef Column = "");
  /// Negation or aggregation through recursion involving Name: checks the
  /// derived relations reachable from it (any cycle through Name lies
  /// among them), not the whole state.
  bool checkStrataAround(const SchemaState &State, llvm::StringRef Name);
};

// ---- Text of parts, for messages and print() --------------------------------

std::string columnsText(llvm::StringRef Name, const ColumnList &Columns);
std::string indexText(const IndexDef &I);
std::string hnswOptions(const IndexDef &I);
std::string placeText(const ColumnPlace &P);
void printClauses(const ClauseList &Clauses, llvm::raw_ostream &OS);
void printPlace(const ColumnPlace &P, llvm::raw_ostream &OS);
void printColumnAndFill(const std::string &Relation, const ColumnDef &C,
                        const std::optional<ast::Expr> &Fill, llvm::raw_ostream &OS);
void printCast(const char *Keyword, const std::optional<Cast> &C, llvm::raw_ostream &OS);
/// The body of a `forward` or `backward` block: one line stays inline;
/// several lines are re-indented as a block, keeping relative indentation.
void printIqlBlock(const char *Keyword, llvm::StringRef Text, llvm::raw_ostream &OS);

// ---- Comparisons and state edits -----------------------------------------------

bool sameParams(const IndexDef &A, const IndexDef &B);
bool sameClauses(const ClauseList &A, const ClauseList &B);
std::vector<ast::Clause> copyClauses(const ClauseList &Clauses);
/// Where a place puts a column in Columns (which does not hold it).
std::optional<size_t> insertionIndex(const ColumnPlace &P, const ColumnList &Columns);
std::shared_ptr<const RelationDef> makeRelation(std::string Name, ColumnList Columns,
                                                llvm::SMRange Loc);
/// The stored relation Name, reporting when there is none.
const RelationDef *storedRelation(const SchemaState &State, llvm::StringRef Name, Reporter &Rep);

} // namespace strata::opimpl

#endif
