//===- main.cpp - strata-difftest: checker against engine, statement by statement
//
// The differential test of issue 11 (docs/iql-backend.md): every statement
// of every program is run through the embedded engine and through the
// checker `strata verify` uses, and every place where they give a
// different verdict, or refuse for a different kind of reason, is reported.
// Programs come from files (the shared conformance corpus) or from a
// seeded generator of migration-shaped programs, valid and mutated.
//
//===----------------------------------------------------------------------===//
#include "Differential.h"
#include "Generator.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <fmt/format.h>
#include <map>

using namespace strata;
using namespace strata::difftest;

namespace {

const char *const Usage =
    "usage: strata-difftest [options] [PATH...]\n"
    "\n"
    "Runs every statement of every .iql program under each PATH (a directory,\n"
    "searched recursively, or a file) through the embedded engine and through\n"
    "the checker of `strata verify`, and reports every statement where their\n"
    "verdicts (accepted or refused) or the kinds of their refusals differ.\n"
    "Where PROGRAM.iql.out holds the real server's transcript, the server's\n"
    "verdict is the reference for the checker and the engine is compared\n"
    "with it too. Statements a migration never contains are run but not\n"
    "compared; they are counted by reason.\n"
    "\n"
    "options:\n"
    "  --generate N   also run N generated programs (valid and mutated)\n"
    "  --seed S       the generator's first seed (default 1); program I uses S+I\n"
    "  --show-generated  print each generated program before its results\n"
    "  --engine-notes list every statement where the engine's verdict or kind\n"
    "                 differs from the server's transcript\n"
    "  --verbose      also list every compared statement with both verdicts\n"
    "  --require-agreement  exit 1 when any disagreement is not a documented\n"
    "                 exception\n"
    "  --help         show this help\n"
    "\n"
    "exit status: 0 it ran (and agreed, under --require-agreement), 1 a\n"
    "disagreement under --require-agreement or unreadable input, 2 usage error\n";

struct Options {
  std::vector<std::string> Paths;
  unsigned Generate = 0;
  uint64_t Seed = 1;
  bool ShowGenerated = false, Verbose = false, RequireAgreement = false, EngineNotes = false;
};

struct Totals {
  unsigned Programs = 0, Statements = 0, Compared = 0;
  unsigned BothAccept = 0, BothRefuseSameKind = 0;
  unsigned VerdictDisagree = 0, KindDisagree = 0;
  unsigned WithServer = 0, EngineDiffers = 0, SharedGaps = 0;
  std::map<std::string, unsigned> Excluded, Uncomparable, Exceptions;
  std::map<std::string, unsigned> RefusalKinds; // agreed refusals, by kind
};

std::string oneLine(llvm::StringRef Text) {
  std::string S;
  for (char C : Text)
    S += C == '\n' ? std::string("\\n") : std::string(1, C);
  return S;
}

std::string describe(const Verdict &V) {
  if (V.Accepted)
    return "accepted";
  return fmt::format("refused [{}] {}", failureKindName(V.Kind).str(), oneLine(V.Message));
}

void report(llvm::StringRef Where, const StatementOutcome &O, llvm::StringRef Tag) {
  llvm::outs() << Tag << " " << Where << ":" << O.Line << ": `" << oneLine(O.Text) << "`\n";
  if (O.Server)
    llvm::outs() << "    server:  " << describe(*O.Server) << "\n";
  llvm::outs() << "    engine:  " << describe(O.Engine) << "\n";
  if (O.compared())
    llvm::outs() << "    checker: " << describe(O.Checker) << "\n";
}

void tally(llvm::StringRef Where, const std::vector<StatementOutcome> &Outcomes,
           const Options &Opts, Totals &T) {
  ++T.Programs;
  for (const StatementOutcome &O : Outcomes) {
    ++T.Statements;
    T.WithServer += O.Server.has_value();
    if (O.engineDiffersFromServer()) {
      ++T.EngineDiffers;
      if (Opts.EngineNotes)
        report(Where, O, "ENGINE-DIFFERS");
    }
    if (!O.Excluded.empty()) {
      ++T.Excluded[O.Excluded];
      continue;
    }
    if (!O.Uncomparable.empty()) {
      ++T.Uncomparable[O.Uncomparable];
      if (Opts.EngineNotes)
        report(Where, O, "ENGINE-UNSUPPORTED");
      continue;
    }
    ++T.Compared;
    if (O.agrees()) {
      if (O.reference().Accepted) {
        ++T.BothAccept;
      } else {
        ++T.BothRefuseSameKind;
        ++T.RefusalKinds[failureKindName(O.reference().Kind).str()];
      }
      if (Opts.Verbose)
        report(Where, O, "AGREE");
      continue;
    }
    if (O.sharedEngineGap()) {
      ++T.SharedGaps;
      if (Opts.Verbose)
        report(Where, O, "SHARED-GAP");
      continue;
    }
    if (!O.Exception.empty()) {
      ++T.Exceptions[O.Exception];
      if (Opts.Verbose)
        report(Where, O, "EXCEPTION(" + O.Exception + ")");
      continue;
    }
    if (!O.verdictsAgree())
      ++T.VerdictDisagree;
    else
      ++T.KindDisagree;
    report(Where, O, O.verdictsAgree() ? "KIND-DISAGREE" : "DISAGREE");
  }
}

bool collect(llvm::StringRef Arg, std::vector<std::string> &Out) {
  if (!llvm::sys::fs::is_directory(Arg)) {
    if (!llvm::sys::fs::exists(Arg))
      return false;
    Out.push_back(Arg.str());
    return true;
  }
  std::vector<std::string> Found;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Arg, EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::StringRef(It->path()).endswith(".iql"))
      Found.push_back(It->path());
  llvm::sort(Found);
  llvm::append_range(Out, Found);
  return !EC;
}

void printSummary(const Totals &T) {
  unsigned Agree = T.BothAccept + T.BothRefuseSameKind;
  unsigned Exceptions = 0;
  for (const auto &[Name, N] : T.Exceptions)
    Exceptions += N;
  unsigned Excluded = 0;
  for (const auto &[Reason, N] : T.Excluded)
    Excluded += N;
  llvm::outs() << fmt::format("{} programs, {} statements: {} compared, {} excluded, {} not "
                              "comparable\n",
                              T.Programs, T.Statements, T.Compared, Excluded,
                              T.Statements - T.Compared - Excluded);
  llvm::outs() << fmt::format("{} agree with the reference ({} both accept, {} both refuse "
                              "with the same kind)\n",
                              Agree, T.BothAccept, T.BothRefuseSameKind);
  llvm::outs() << fmt::format("{} disagreements ({} verdict, {} kind), {} documented exceptions\n",
                              T.VerdictDisagree + T.KindDisagree, T.VerdictDisagree, T.KindDisagree,
                              Exceptions);
  llvm::outs() << fmt::format("{} statements have the server's verdict (the reference there); "
                              "the engine differs from it on {}\n",
                              T.WithServer, T.EngineDiffers);
  llvm::outs() << fmt::format("{} refused by both engine and checker for the same kind but "
                              "accepted by the server (engine gaps)\n",
                              T.SharedGaps);
  for (const auto &[Kind, N] : T.RefusalKinds)
    llvm::outs() << fmt::format("  refused by both as {}: {}\n", Kind, N);
  for (const auto &[Name, N] : T.Exceptions)
    llvm::outs() << fmt::format("  exception {}: {}\n", Name, N);
  for (const auto &[Reason, N] : T.Excluded)
    llvm::outs() << fmt::format("  excluded, {}: {}\n", Reason, N);
  for (const auto &[Reason, N] : T.Uncomparable)
    llvm::outs() << fmt::format("  not comparable, {}: {}\n", Reason, N);
}

/// 0 on success, else the exit status of a usage error.
int parseOptions(int Argc, char **Argv, Options &Opts) {
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    auto Number = [&](uint64_t &Out) {
      return I + 1 < Argc && !llvm::StringRef(Argv[++I]).getAsInteger(10, Out);
    };
    uint64_t N = 0;
    if (Arg == "--help" || Arg == "-h") {
      llvm::outs() << Usage;
      return -1;
    }
    if (Arg == "--generate" && Number(N))
      Opts.Generate = unsigned(N);
    else if (Arg == "--seed" && Number(N))
      Opts.Seed = N;
    else if (Arg == "--show-generated")
      Opts.ShowGenerated = true;
    else if (Arg == "--engine-notes")
      Opts.EngineNotes = true;
    else if (Arg == "--verbose")
      Opts.Verbose = true;
    else if (Arg == "--require-agreement")
      Opts.RequireAgreement = true;
    else if (Arg.startswith("-")) {
      llvm::errs() << "strata-difftest: error: bad option `" << Arg << "`\n" << Usage;
      return 2;
    } else
      Opts.Paths.push_back(Arg.str());
  }
  if (Opts.Paths.empty() && !Opts.Generate) {
    llvm::errs() << "strata-difftest: error: no PATH and no --generate\n" << Usage;
    return 2;
  }
  return 0;
}

} // namespace

int main(int Argc, char **Argv) {
  Options Opts;
  if (int Status = parseOptions(Argc, Argv, Opts))
    return Status < 0 ? 0 : Status;
  std::vector<std::string> Files;
  for (const std::string &P : Opts.Paths)
    if (!collect(P, Files)) {
      llvm::errs() << "strata-difftest: error: cannot read `" << P << "`\n";
      return 1;
    }
  Totals T;
  for (const std::string &F : Files) {
    auto Buffer = llvm::MemoryBuffer::getFile(F);
    if (!Buffer) {
      llvm::errs() << "strata-difftest: error: cannot read `" << F << "`\n";
      return 1;
    }
    std::string Transcript;
    if (auto Out = llvm::MemoryBuffer::getFile(F + ".out"))
      Transcript = (*Out)->getBuffer().str();
    tally(F, runDifferential((*Buffer)->getBuffer(), Transcript), Opts, T);
  }
  for (unsigned I = 0; I < Opts.Generate; ++I) {
    uint64_t Seed = Opts.Seed + I;
    std::string Program = generateProgram(Seed);
    std::string Name = fmt::format("generated(seed {})", Seed);
    if (Opts.ShowGenerated)
      llvm::outs() << "--- " << Name << "\n" << Program;
    tally(Name, runDifferential(Program), Opts, T);
  }
  printSummary(T);
  return Opts.RequireAgreement && T.VerdictDisagree + T.KindDisagree ? 1 : 0;
}
