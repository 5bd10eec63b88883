//===- LowerOps.h - Shared context of the per-operation lowerings -*- C++ -*-===//
//
// Private to lib/CodeGen: one function per operation kind, grouped in files
// by area, all writing through a LowerCtx.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_CODEGEN_LOWEROPS_H
#define STRATA_LIB_CODEGEN_LOWEROPS_H

#include "strata/CodeGen/IqlText.h"
#include "strata/CodeGen/Lowering.h"

namespace strata::codegen {

struct LowerCtx {
  const Operation &Op;
  const SchemaState &Before;
  const SchemaState &After;
  DiagnosticEngine &Diags;
  /// Readers tables of Before and After when the caller keeps them (a
  /// history cursor); null: built on demand from the state.
  const RuleReaders *BeforeReaders = nullptr;
  const RuleReaders *AfterReaders = nullptr;
  LoweredOperation Out;

  LowerCtx(const Operation &Op, const SchemaState &Before, const SchemaState &After,
           DiagnosticEngine &Diags)
      : Op(Op), Before(Before), After(After), Diags(Diags) {
    Out.Op = &Op;
  }

  /// The readers table of State (Before or After), if one is kept.
  const RuleReaders *readersOf(const SchemaState &State) const {
    return &State == &Before ? BeforeReaders : &State == &After ? AfterReaders : nullptr;
  }

  /// Appends S, spelt by lib/IQL's printer, as a step of Purpose.
  static void add(std::vector<IqlStatement> &To, iql::Statement S,
                  StepPurpose Purpose = StepPurpose::Apply, bool Lossy = false);

  /// Reports CodeGenUnsafeName unless Name passes the server's rule for What
  /// ("relation", "column", "index").
  bool checkName(llvm::StringRef What, llvm::StringRef Name);
  /// Every name of a declaration, and that the server reads it as schema.
  bool checkDeclaration(llvm::StringRef Name, const ColumnList &Columns);
  /// Guards hazard 1 of target-iql.md: `.rel drop Name` also drops a rule
  /// named Name. Base and derived relations share one namespace in the
  /// state, so only an inconsistent state fails it, and then lowering
  /// aborts (report_fatal_error) rather than emit a `.rel drop` that
  /// silently takes a rule with it.
  bool checkRelDrop(llvm::StringRef Name, const SchemaState &State);

  /// `+head <- body` lines for the clauses of derived relation Name (with
  /// Columns) against State, appended to To as steps of Purpose.
  bool clauses(llvm::StringRef Name, const ColumnList &Columns, const ClauseList &Clauses,
               const SchemaState &State, std::vector<IqlStatement> &To,
               StepPurpose Purpose = StepPurpose::DefineRule);

  /// The rules that read Relation, directly or through other rules, in an
  /// order where every rule comes after the rules it reads.
  /// Readers, when given, describes State (and saves a scan of every rule).
  static std::vector<const DerivedDef *> readerClosure(const SchemaState &State,
                                                       llvm::StringRef Relation,
                                                       const RuleReaders *Readers = nullptr);
  /// `.rule drop` of Rules, readers first (DropReader steps).
  void dropRules(const std::vector<const DerivedDef *> &Rules, std::vector<IqlStatement> &To);
  /// Re-creates the rules named in Rules from State, dependencies first
  /// (RecreateReader steps).
  bool recreateRules(const std::vector<const DerivedDef *> &Rules, const SchemaState &State,
                     std::vector<IqlStatement> &To);
};

/// One per operation kind (strata/AST/Operations.def), defined in the file
/// of its area: LowerRelations.cpp, LowerColumns.cpp, LowerRules.cpp,
/// LowerIndexes.cpp, LowerRawIql.cpp.
#define OPERATION(Kind, Name, Keyword, Marker, Tag) bool lower##Kind(const Kind &Op, LowerCtx &C);
#include "strata/AST/Operations.def"

/// The statements of a raw IQL block: common indentation removed, each line
/// at the left margin starts a statement, indented lines continue it (kept
/// indented), blank lines dropped.
std::vector<std::string> splitRawIql(llvm::StringRef Text);

} // namespace strata::codegen

#endif
