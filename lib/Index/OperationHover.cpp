//===- OperationHover.cpp - A migration operation's effect, for hover -----===//
//
// Says nothing of its own about operations: the description, the inverse
// and the data-safety come from lib/Migrate, the statements and the titles
// of their steps from lib/CodeGen's lowering, as `strata plan` shows them.
//
//===----------------------------------------------------------------------===//
#include "OperationHover.h"
#include "strata/CodeGen/Lowering.h"
#include "strata/Migrate/Operation.h"

using namespace strata;
using namespace strata::index;

namespace {

/// Applies every operation of E's migration before Stop (all of them when
/// Stop is null) to State. False when one does not build or apply.
bool applyFile(const FileEntry &E, const ast::Operation *Stop, SchemaState &State,
               DiagnosticEngine &Diags) {
  for (const ast::Item &It : E.AST.Items) {
    auto *M = std::get_if<ast::MigrationDecl>(&It);
    if (!M)
      continue;
    for (const ast::Operation &Op : M->Operations) {
      if (&Op == Stop)
        return true;
      OperationPtr Typed = buildOperation(Op, Diags);
      if (!Typed || !Typed->apply(State, Diags))
        return false;
    }
  }
  return true;
}

/// The state before Op: the migration files before E (in path order, which
/// is the order of their numbers), then E's operations before Op.
std::optional<SchemaState> stateBefore(const SymbolIndex::Impl &I, const FileEntry &E,
                                       const ast::Operation &Op, DiagnosticEngine &Diags) {
  SchemaState State;
  for (const auto &[Path, F] : I.Files) {
    if (F.get() == &E)
      break;
    if (F->isMigration() && !F->AST.HasSyntaxErrors && !applyFile(*F, nullptr, State, Diags))
      return std::nullopt;
  }
  if (!applyFile(E, &Op, State, Diags))
    return std::nullopt;
  return State;
}

/// The forward statements, under the title of each step when there are
/// several (as `strata plan` groups them).
void writeStatements(const LoweredOperation &L, llvm::raw_ostream &OS) {
  bool OneStep = true;
  for (const IqlStatement &S : L.Forward)
    OneStep &= S.Purpose == L.Forward.front().Purpose;
  std::optional<StepPurpose> Current;
  for (const IqlStatement &S : L.Forward) {
    if (!OneStep && S.Purpose != Current) {
      llvm::StringRef Title = stepPurposeTitle(S.Purpose);
      OS << (Current ? "```\n" : "") << "- " << (Title.empty() ? stepPurposeName(S.Purpose) : Title)
         << (S.Lossy ? " [lossy]" : "") << "\n```iql\n";
      Current = S.Purpose;
    } else if (OneStep && !Current) {
      OS << "```iql\n";
      Current = S.Purpose;
    }
    OS << S.Text << "\n";
  }
  if (Current)
    OS << "```\n";
}

void writeLowering(const SymbolIndex::Impl &I, const FileEntry &E, const ast::Operation &Op,
                   const Operation &Typed, llvm::raw_ostream &OS) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<SchemaState> Before = stateBefore(I, E, Op, Diags);
  if (!Before)
    return;
  SchemaState After = *Before;
  if (!Typed.apply(After, Diags))
    return;
  std::optional<LoweredOperation> L = lowerOperation(Typed, *Before, After, Diags);
  if (!L || L->Forward.empty())
    return;
  OS << "\nForward:\n";
  writeStatements(*L, OS);
}

} // namespace

void strata::index::describeOperation(const SymbolIndex::Impl &I, const FileEntry &E,
                                      const ast::Operation &Op, llvm::raw_ostream &OS) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  OperationPtr Typed = buildOperation(Op, Diags);
  if (!Typed) {
    OS << "`" << ast::operationKeyword(Op.Body.index()) << "`: "
       << (Diags.diagnostics().empty() ? "does not build" : Diags.diagnostics().front().Message)
       << "\n";
    return;
  }
  OS << "**" << Typed->describe() << "**\n\n";
  if (!Typed->isDataSafe())
    OS << "Can lose facts.\n\n";
  OperationPtr Inverse = Typed->inverse();
  if (Inverse)
    OS << "Undone by `" << Inverse->describe() << "`.\n";
  else
    OS << "Irreversible: nothing undoes it.\n";
  writeLowering(I, E, Op, *Typed, OS);
}
