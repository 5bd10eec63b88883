//===- main.cpp - strata-conformance: the engine against server transcripts ===//
//
// Replays every `.iql` program whose `.iql.out` transcript the real
// InputLayer server printed, on a fresh embedded engine per file, exactly
// as the server's line-by-line client sent it, and reports where the
// engine's replies disagree with the server's (docs/conformance.md). With
// --differential it compares the engine with itself instead: each program
// runs once with demand-driven and once with full evaluation
// (strata/Engine/Evaluation.h), and every reply must print the same.
//
//===----------------------------------------------------------------------===//
#include "ClientEmulator.h"
#include "Compare.h"
#include "Transcript.h"
#include "strata/Engine/Evaluation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <fmt/format.h>

using namespace strata;
using namespace strata::conformance;

namespace {

const char *const Usage =
    "usage: strata-conformance [--verbose] [--require-all] [--known-differences FILE]\n"
    "                          [--write-known-differences FILE] PATH...\n"
    "       strata-conformance --differential [--verbose] PATH...\n"
    "\n"
    "Runs every PROGRAM.iql under each PATH (a directory, searched recursively,\n"
    "or one .iql file) against the embedded engine, line by line as the\n"
    "InputLayer client did, and compares each reply with the transcript the\n"
    "real server printed in PROGRAM.iql.out. A table must have the same columns\n"
    "and rows (order aside); any other reply must agree on failure or success.\n"
    "Prints PASS or FAIL per file and a summary; exact text agreement is\n"
    "counted separately.\n"
    "\n"
    "options:\n"
    "  --verbose      show every disagreement with both sides' output\n"
    "  --require-all  exit 1 unless every statement agrees\n"
    "  --known-differences FILE\n"
    "                 FILE lists the programs known to disagree, one per line\n"
    "                 (`PATH REASON`, PATH as the PASS/FAIL lines print it;\n"
    "                 `#` starts a comment); exit 1 when a program not listed\n"
    "                 disagrees, a listed one now agrees, or a listed one is gone\n"
    "  --write-known-differences FILE\n"
    "                 write the programs that disagree now, each with its first\n"
    "                 difference as the reason, to FILE\n"
    "  --differential run each program (its transcript's requests, else its\n"
    "                 lines) with demand-driven and with full evaluation and\n"
    "                 compare the printed replies; exit 1 on any difference\n"
    "                 other than a limit reached by one side only\n"
    "  --help         show this help\n"
    "\n"
    "exit status: 0 it ran (disagreements are reported, not failed, unless\n"
    "--require-all or --known-differences), 1 a disagreement they refuse or\n"
    "unreadable input, 2 usage error\n";

struct Program {
  std::string Path;    // the .iql file
  std::string Display; // relative to the directory it was found under
};

struct Totals {
  unsigned Statements = 0, Agreeing = 0, Exact = 0;
  unsigned Files = 0, FilesAgreeing = 0;
  /// Each disagreeing program's display path and its first difference.
  std::vector<std::pair<std::string, std::string>> Disagreeing;
};

std::string percent(unsigned Part, unsigned Whole) {
  return fmt::format("{:.1f}%", Whole ? 100.0 * Part / Whole : 100.0);
}

bool collect(llvm::StringRef Arg, std::vector<Program> &Out) {
  if (!llvm::sys::fs::is_directory(Arg)) {
    if (!llvm::sys::fs::exists(Arg))
      return false;
    Out.push_back({Arg.str(), Arg.str()});
    return true;
  }
  std::vector<Program> Found;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Arg, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef P = It->path();
    if (!P.endswith(".iql"))
      continue;
    llvm::StringRef Rel = P.drop_front(Arg.size());
    Rel = Rel.ltrim('/');
    Found.push_back({P.str(), Rel.str()});
  }
  llvm::sort(Found, [](const Program &A, const Program &B) { return A.Display < B.Display; });
  llvm::append_range(Out, Found);
  return !EC;
}

void printBlock(llvm::StringRef Title, const std::vector<std::string> &Lines) {
  llvm::outs() << "      " << Title << ":\n";
  for (const std::string &L : Lines)
    llvm::outs() << "        | " << L << "\n";
}

/// Where the program's `.load examples/iql/...` paths point: the corpus's
/// root, the directory above the program's category.
std::string scriptRoot(const Program &P) {
  return llvm::sys::path::parent_path(llvm::sys::path::parent_path(P.Path)).str();
}

/// Runs one program; prints its PASS/FAIL line (and details when Verbose).
void runProgram(const Program &P, bool Verbose, Totals &T) {
  auto Buffer = llvm::MemoryBuffer::getFile(P.Path + ".out");
  if (!Buffer) {
    llvm::outs() << "SKIP " << P.Display << ": no transcript " << P.Display << ".out\n";
    return;
  }
  std::vector<Step> Steps = readTranscript((*Buffer)->getBuffer());
  engine::Engine Engine;
  engine::Session Session(Engine);
  // The corpus's root: the directory above the program's category.
  ClientEmulator Client(Session,
                        llvm::sys::path::parent_path(llvm::sys::path::parent_path(P.Path)).str());
  std::string FirstDifference;
  std::vector<std::string> Details;
  for (const Step &S : Steps) {
    ClientEmulator::Response R = Client.send(S.Request);
    Outcome Expected = readOutcome(S.Output), Actual = readOutcome(R.Lines);
    std::optional<std::string> Difference = outcomeDifference(Expected, Actual, R.Failed);
    bool Exact = R.Lines == S.Output;
    ++T.Statements;
    T.Agreeing += !Difference;
    T.Exact += Exact;
    std::string Where = fmt::format("line {} `{}`", S.Line, S.Request);
    if (Difference && FirstDifference.empty())
      FirstDifference = Where + ": " + *Difference;
    if (Verbose && (Difference || !Exact)) {
      llvm::outs() << "    " << Where << ": "
                   << (Difference ? *Difference : std::string("text differs")) << "\n";
      printBlock("server", S.Output);
      printBlock("engine", R.Lines);
    }
  }
  ++T.Files;
  if (FirstDifference.empty()) {
    ++T.FilesAgreeing;
    llvm::outs() << "PASS " << P.Display << "\n";
  } else {
    llvm::outs() << "FAIL " << P.Display << ": " << FirstDifference << "\n";
    T.Disagreeing.emplace_back(P.Display, FirstDifference);
  }
}

/// The requests of a program: its transcript's, else its non-blank lines.
std::vector<std::string> requestsOf(const Program &P) {
  std::vector<std::string> Out;
  if (auto Buffer = llvm::MemoryBuffer::getFile(P.Path + ".out")) {
    for (const Step &S : readTranscript((*Buffer)->getBuffer()))
      Out.push_back(S.Request);
    return Out;
  }
  if (auto Buffer = llvm::MemoryBuffer::getFile(P.Path)) {
    llvm::SmallVector<llvm::StringRef, 64> Lines;
    (*Buffer)->getBuffer().split(Lines, '\n');
    for (llvm::StringRef L : Lines)
      if (!L.trim().empty())
        Out.push_back(L.trim().str());
  }
  return Out;
}

/// Whether a reply says an evaluation limit stopped it: demand-driven
/// evaluation does less work, so it may finish where full evaluation
/// reaches a limit (and, rarely, the other way round).
bool limitReached(const std::vector<std::string> &Lines) {
  return llvm::any_of(Lines, [](llvm::StringRef L) { return L.contains("Evaluation stopped"); });
}

/// Runs one program both ways; counts its statements and those that print
/// the same. After a difference due to a limit the two states may differ,
/// so the rest of the program is not compared.
bool runDifferential(const Program &P, bool Verbose, Totals &T) {
  std::vector<std::string> Requests = requestsOf(P);
  engine::Engine Demand, Full;
  engine::Session DemandSession(Demand), FullSession(Full);
  ClientEmulator DemandClient(DemandSession, scriptRoot(P)), FullClient(FullSession, scriptRoot(P));
  bool Same = true;
  for (const std::string &Request : Requests) {
    engine::queryEvaluation() = engine::QueryEvaluation::DemandDriven;
    ClientEmulator::Response D = DemandClient.send(Request);
    engine::queryEvaluation() = engine::QueryEvaluation::Full;
    ClientEmulator::Response F = FullClient.send(Request);
    ++T.Statements;
    if (D.Lines == F.Lines) {
      ++T.Agreeing;
      continue;
    }
    bool Limit = limitReached(D.Lines) || limitReached(F.Lines);
    T.Exact += Limit; // counted apart: a limit, not a wrong answer
    if (!Limit)
      Same = false;
    if (Verbose || !Limit) {
      llvm::outs() << (Limit ? "LIMIT " : "DIFFERENT ") << P.Display << ": `" << Request << "`\n";
      printBlock("demand-driven", D.Lines);
      printBlock("full", F.Lines);
    }
    break;
  }
  engine::queryEvaluation() = engine::QueryEvaluation::DemandDriven;
  ++T.Files;
  T.FilesAgreeing += Same;
  return Same;
}

/// The programs a known-differences file lists, each with its reason.
bool readKnownDifferences(llvm::StringRef Path, llvm::StringMap<std::string> &Out) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return false;
  llvm::SmallVector<llvm::StringRef, 128> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.split('#').first.trim();
    if (!L.empty())
      Out[L.split(' ').first] = L.split(' ').second.trim().str();
  }
  return true;
}

/// Checks the run against the known differences; prints what broke the
/// list and returns false if anything did.
bool matchesKnownDifferences(const std::vector<Program> &Programs, const Totals &T,
                             const llvm::StringMap<std::string> &Known) {
  bool Ok = true;
  llvm::StringMap<bool> Disagrees, Ran;
  for (const auto &D : T.Disagreeing)
    Disagrees[D.first] = true;
  for (const Program &P : Programs)
    Ran[P.Display] = true;
  for (const auto &D : T.Disagreeing)
    if (!Known.count(D.first)) {
      llvm::outs() << "NEW DIFFERENCE " << D.first << ": " << D.second << "\n";
      Ok = false;
    }
  std::vector<std::string> Listed;
  for (const auto &K : Known)
    Listed.push_back(K.first().str());
  llvm::sort(Listed);
  for (const std::string &L : Listed) {
    if (!Ran.count(L)) {
      llvm::outs() << "LISTED BUT NOT RUN " << L << ": remove it from the list\n";
      Ok = false;
    } else if (!Disagrees.count(L)) {
      llvm::outs() << "NOW AGREES " << L << ": remove it from the list\n";
      Ok = false;
    }
  }
  llvm::outs() << fmt::format("{} programs disagree, {} listed as known differences: {}\n",
                              T.Disagreeing.size(), Known.size(),
                              Ok ? "as expected" : "the list is out of date");
  return Ok;
}

bool writeKnownDifferences(llvm::StringRef Path, const Totals &T) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return false;
  OS << "# Transcripts the embedded engine is known to disagree with, one per line:\n"
        "# the program, then the first difference. Written by\n"
        "# `strata-conformance --write-known-differences`; the list may only shrink\n"
        "# (docs/conformance.md).\n";
  for (const auto &D : T.Disagreeing) {
    std::string Reason = D.second;
    std::replace(Reason.begin(), Reason.end(), '\n', ' ');
    std::replace(Reason.begin(), Reason.end(), '#', ' ');
    if (Reason.size() > 160)
      Reason = Reason.substr(0, 157) + "...";
    OS << D.first << " " << Reason << "\n";
  }
  return true;
}

} // namespace

int main(int Argc, char **Argv) {
  bool Verbose = false, RequireAll = false, Differential = false;
  std::string KnownPath, WritePath;
  std::vector<std::string> Paths;
  for (int I = 1; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    if (Arg == "--help" || Arg == "-h") {
      llvm::outs() << Usage;
      return 0;
    }
    if (Arg == "--verbose")
      Verbose = true;
    else if (Arg == "--require-all")
      RequireAll = true;
    else if (Arg == "--differential")
      Differential = true;
    else if ((Arg == "--known-differences" || Arg == "--write-known-differences") && I + 1 < Argc)
      (Arg == "--known-differences" ? KnownPath : WritePath) = Argv[++I];
    else if (Arg.startswith("-")) {
      llvm::errs() << "strata-conformance: error: unknown option `" << Arg << "`\n" << Usage;
      return 2;
    } else
      Paths.push_back(Arg.str());
  }
  if (Paths.empty()) {
    llvm::errs() << "strata-conformance: error: no directory or .iql file given\n" << Usage;
    return 2;
  }
  std::vector<Program> Programs;
  for (const std::string &P : Paths)
    if (!collect(P, Programs)) {
      llvm::errs() << "strata-conformance: error: cannot read `" << P << "`\n";
      return 1;
    }
  if (Programs.empty()) {
    llvm::errs() << "strata-conformance: error: no .iql programs found\n";
    return 1;
  }
  if (Differential) {
    Totals T;
    bool Same = true;
    for (const Program &P : Programs)
      Same &= runDifferential(P, Verbose, T);
    llvm::outs() << fmt::format("{}/{} statements print the same under demand-driven and full "
                                "evaluation, {} stopped by a limit on one side only; {}/{} files "
                                "agree\n",
                                T.Agreeing, T.Statements, T.Exact, T.FilesAgreeing, T.Files);
    return Same ? 0 : 1;
  }
  llvm::StringMap<std::string> Known;
  if (!KnownPath.empty() && !readKnownDifferences(KnownPath, Known)) {
    llvm::errs() << "strata-conformance: error: cannot read `" << KnownPath << "`\n";
    return 1;
  }
  Totals T;
  for (const Program &P : Programs)
    runProgram(P, Verbose, T);
  llvm::outs() << fmt::format("{}/{} statements agree ({}), {}/{} files fully agree\n", T.Agreeing,
                              T.Statements, percent(T.Agreeing, T.Statements), T.FilesAgreeing,
                              T.Files);
  llvm::outs() << fmt::format("{}/{} statements print exactly as the server's client printed "
                              "them ({})\n",
                              T.Exact, T.Statements, percent(T.Exact, T.Statements));
  if (!WritePath.empty() && !writeKnownDifferences(WritePath, T)) {
    llvm::errs() << "strata-conformance: error: cannot write `" << WritePath << "`\n";
    return 1;
  }
  if (!KnownPath.empty() && !matchesKnownDifferences(Programs, T, Known))
    return 1;
  return RequireAll && T.Agreeing != T.Statements ? 1 : 0;
}
