//===- main.cpp - The `strata` driver: dispatch to subcommands ------------===//
#include "Commands.h"
#include "strata/Engine/StateFile.h"
#include "strata/Parse/Lexers.h"
#include "strata/Support/Version.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <new>

using namespace strata::driver;

namespace {
/// `strata help` lists the commands by what a person is doing: writing the
/// schema and its migrations, reviewing what they will do, or deploying.
struct CommandGroup {
  const char *Title;
  std::vector<const CommandSpec *> Commands;
};

const CommandGroup &groupAt(size_t I) {
  static const CommandGroup Groups[] = {
      {"author a schema and its migrations",
       {&InitCommand, &CheckCommand, &FmtCommand, &MakeMigrationsCommand, &SquashCommand,
        &HashCommand, &ParseCommand, &LspCommand}},
      {"review what the migrations do",
       {&ShowMigrationsCommand, &GraphCommand, &ReviewCommand, &EmitCommand, &PlanCommand,
        &VerifyCommand}},
      {"deploy to a target",
       {&StatusCommand, &MigrateCommand, &RevertCommand, &ExecCommand, &ServeCommand}},
  };
  return Groups[I];
}
constexpr size_t GroupCount = 3;

const CommandSpec *findCommand(llvm::StringRef Name) {
  for (size_t G = 0; G < GroupCount; ++G)
    for (const CommandSpec *C : groupAt(G).Commands)
      if (Name == C->Name)
        return C;
  return nullptr;
}

void printCommandLine(llvm::StringRef Name, llvm::StringRef Summary, llvm::raw_ostream &OS) {
  OS << "  " << Name;
  OS.indent(Name.size() < 16 ? 16 - Name.size() : 1);
  OS << Summary << '\n';
}

void printOverview(llvm::raw_ostream &OS) {
  OS << "usage: strata COMMAND [options] [arguments]\n\n"
        "Strata is a schema-migration compiler for InputLayer knowledge graphs.\n"
        "New here? `strata init` creates a project to start from.\n";
  for (size_t G = 0; G < GroupCount; ++G) {
    OS << '\n' << groupAt(G).Title << ":\n";
    for (const CommandSpec *C : groupAt(G).Commands)
      printCommandLine(C->Name, C->Summary, OS);
  }
  OS << '\n';
  printCommandLine("help", "show help for a command: strata help COMMAND", OS);
  OS << "\nRun `strata COMMAND --help` for a command's options.\n";
}

int help(const std::vector<std::string> &Args) {
  if (Args.empty()) {
    printOverview(llvm::outs());
    return ExitOk;
  }
  const CommandSpec *C = findCommand(Args[0]);
  if (!C) {
    llvm::errs() << "strata help: error: unknown command `" << Args[0] << "`\n";
    return ExitUsage;
  }
  printCommandHelp(*C, llvm::outs());
  return ExitOk;
}

/// Testing hook (docs/safety.md, "Testing hooks"): STRATA_TEST_JOURNAL=S:P
/// sets the journal policy, so that tests reach the journal and its
/// compaction with small states: S bytes below which the state file is
/// rewritten whole, P the journal's size limit in percent of the state file
/// (and a single record's: a P given bounds the journal alone, as it did
/// before records had a limit of their own). An empty P keeps the defaults.
void applyJournalTestHook() {
  const char *Env = std::getenv("STRATA_TEST_JOURNAL");
  if (!Env)
    return;
  auto [Small, Percent] = llvm::StringRef(Env).split(':');
  strata::engine::JournalPolicy &P = strata::engine::journalPolicy();
  uint64_t Value = 0;
  if (!Small.getAsInteger(10, Value))
    P.SmallStateBytes = Value;
  if (!Percent.getAsInteger(10, Value))
    P.CompactPercent = P.RecordPercent = Value;
}

/// Testing hook: STRATA_REFERENCE_LEXER=1 parses with the lexer generated
/// from the grammar instead of the hand-written scanner, so that the whole
/// test suite can be run on the reference path (docs/performance.md).
void applyReferenceLexerHook() {
  const char *Env = std::getenv("STRATA_REFERENCE_LEXER");
  if (Env && llvm::StringRef(Env) == "1")
    strata::selectLexer(strata::LexerKind::Generated);
  // STRATA_ANTLR_PARSER=1 keeps the scanner but parses every file with the
  // ANTLR parser instead of the recursive-descent one.
  const char *Antlr = std::getenv("STRATA_ANTLR_PARSER");
  if (Antlr && llvm::StringRef(Antlr) == "1")
    strata::selectParser(strata::ParserKind::Antlr);
}
} // namespace

int main(int Argc, char **Argv) {
  std::vector<std::string> Args(Argv + 1, Argv + Argc);
  if (Args.empty()) {
    printOverview(llvm::errs());
    return ExitUsage;
  }
  std::string Name = Args.front();
  Args.erase(Args.begin());
  if (Name == "help" || Name == "--help" || Name == "-h")
    return help(Args);
  if (Name == "--version") {
    llvm::outs() << "strata " << strata::StrataVersion << "\n";
    return ExitOk;
  }
  const CommandSpec *C = findCommand(Name);
  if (!C) {
    llvm::errs() << "strata: error: unknown command `" << Name
                 << "`\nrun `strata help` for the list of commands\n";
    return ExitUsage;
  }
  alignHeapToHugePages();
  applyJournalTestHook();
  applyReferenceLexerHook();
  Invocation Inv(*C);
  if (std::optional<int> Early = Inv.parse(Args))
    return *Early;
  // The last line of defence: the engine's memory budget stops a large
  // statement with an error first. An allocation that fails anyway ends
  // the command before it saves anything (a file: target is written only
  // at the end, and only from a state every statement finished with).
  try {
    return C->Run(Inv);
  } catch (const std::bad_alloc &) {
    llvm::outs().flush();
    llvm::errs() << "strata " << Name
                 << ": error: out of memory; nothing was saved (`--max-memory` bounds what one "
                    "statement may use)\n";
    return ExitDiagnostics;
  }
}
