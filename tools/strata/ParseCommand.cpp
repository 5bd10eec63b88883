//===- ParseCommand.cpp - `strata parse FILE --dump-ast` ------------------===//
#include "Commands.h"
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Parser.h"

using namespace strata;
using namespace strata::driver;

static int runParse(Invocation &Inv) {
  if (Inv.positional().size() != 1)
    return Inv.usageError("expected exactly one FILE");
  auto &File = keepUntilExit(parseFile(Inv.positional()[0], Inv.diags()));
  if (File && Inv.flag("--dump-ast"))
    ast::dumpAST(*File, Inv.sourceMgr(), llvm::outs());
  return Inv.finish();
}

const CommandSpec strata::driver::ParseCommand = {
    "parse",
    "parse one file and report syntax errors",
    "parse FILE [--dump-ast] [options]",
    "Parses one schema (.strata) or migration (.mig) file and reports every\n"
    "syntax error. Nothing is checked beyond syntax; see `strata check`.",
    {{"--dump-ast", nullptr, "print the syntax tree, one node a line with its line:column"}},
    runParse,
};
