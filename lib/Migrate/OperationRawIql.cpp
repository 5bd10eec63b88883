//===- OperationRawIql.cpp - Raw IQL blocks ---------------------------------===//
//
// Each kind: built from its parsed form, applied to a schema state,
// inverted, described and printed (see OperationImpl.h).
//
//===----------------------------------------------------------------------===//
#include "OperationImpl.h"
#include "strata/AST/Printer.h"
#include "strata/Sema/Sema.h"

using namespace strata;
using namespace strata::opimpl;

OperationPtr opimpl::buildRunIql(ast::RunIqlOp &&O, llvm::SMRange Loc, DiagnosticEngine &Diags) {
  std::optional<std::string> Backward;
  if (O.Backward)
    Backward = O.Backward->Text;
  return std::make_shared<RunIql>(O.Forward.Text, std::move(Backward), Loc);
}

OperationPtr RunIql::inverse() const {
  if (!Backward)
    return nullptr;
  return std::make_shared<RunIql>(*Backward, Forward);
}
void RunIql::print(llvm::raw_ostream &OS) const {
  OS << "run iql {\n";
  printIqlBlock("forward", Forward, OS);
  if (Backward)
    printIqlBlock("backward", *Backward, OS);
  OS << '}';
}
