//===- VerifyCommand.cpp - `strata verify` --------------------------------===//
//
// Lowers every migration of the history and verifies it by abstract
// interpretation (strata/Verify/Verifier.h): forward from the state before
// it must reach the state after it, backward must return, every statement
// must be one the server accepts and no rule may break on the way.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "strata/CodeGen/Lowering.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Verify/History.h"
#include "strata/Verify/Lints.h"
#include "strata/Verify/Verifier.h"

using namespace strata;
using namespace strata::driver;

namespace strata::driver {
int runVerifyIql(Invocation &Inv);
}

namespace {

int runVerify(Invocation &Inv) {
  if (Inv.flag("--iql"))
    return runVerifyIql(Inv); // VerifyIql.cpp
  if (!Inv.positional().empty())
    return Inv.usageError("`verify` takes no arguments");
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G)
    return Inv.finish();
  DiagnosticEngine &Diags = Inv.diags();
  LintOptions Lint;
  Lint.Strict = Inv.flag("--strict");
  HistoryVerification R = verifyHistory(*G, Lint, Diags);
  if (!R.Ok || Diags.hasErrors())
    return Inv.finish();
  size_t Verified = R.Verified, Statements = R.Statements;
  const std::vector<std::string> &ForwardOnly = R.ForwardOnly;
  llvm::outs() << "verified " << Verified << (Verified == 1 ? " migration" : " migrations") << " ("
               << Statements << " statements)\n";
  for (const std::string &N : ForwardOnly)
    llvm::outs() << "  " << N << ": forward only (an operation has no backward)\n";
  return Inv.finish();
}

} // namespace

const CommandSpec strata::driver::VerifyCommand = {
    "verify",
    "check that every migration's IQL is accepted and reversible",
    "verify [--strict] [options]\n       strata verify --iql FILE...",
    "Lowers every migration of the history to IQL and runs the statements on\n"
    "a model of the server's catalog (relations, rule clauses, indexes):\n"
    "forward from the state before the migration must give the state after\n"
    "it, backward must give the state before again, every statement must be\n"
    "one the server accepts (names, types, statement shapes) and no rule may\n"
    "be left reading a relation that is missing or has another shape. Stops\n"
    "at the first statement that breaks and names its migration and\n"
    "operation. A migration with an irreversible `run iql` is checked forward\n"
    "only. Exit status 1 on a failure.\n"
    "Also reports the safety lints of every migration (docs/lints.md):\n"
    "warnings, or errors that fail the command with --strict.\n"
    "With --iql, checks IQL files instead (e.g. `strata emit` or `strata plan`\n"
    "output): each is split into statements as the server splits a program and\n"
    "every statement must pass the same acceptance rules; each rejected one is\n"
    "reported as FILE:LINE. No project is read.",
    {{"--strict", nullptr, "report safety lints as errors (exit status 1)"},
     {"--iql", nullptr, "validate the IQL files given as arguments instead"}},
    runVerify,
};
