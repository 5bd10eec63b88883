//===- ClientEmulator.cpp - The server's line-by-line client, replayed ----===//
//
// Which kind of statement a line is (a command, a session rule, a session
// fact, ...) is read from lib/IQL's parse of it, never from its text: the
// tool and the engine then cannot disagree about what a line says.
//
//===----------------------------------------------------------------------===//
#include "ClientEmulator.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/IQL/Parser.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::conformance;
using llvm::StringRef;

namespace {
void appendLines(StringRef Text, std::vector<std::string> &Out) {
  llvm::SmallVector<StringRef, 16> Lines;
  Text.split(Lines, '\n');
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();
  for (StringRef L : Lines)
    Out.push_back(L.str());
}

/// R as the client prints it, after reading the reply's JSON: its doubles
/// as the client's JSON reader reads them (strata::clientReadBack).
std::string printed(const Reply &R) {
  Reply AsRead = R;
  for (std::vector<Cell> &Row : AsRead.Rows)
    for (Cell &C : Row)
      C = clientReadBack(C);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  exec::printReply(AsRead, OS);
  return OS.str();
}

bool failed(const Reply &R) { return exec::replyFailure(R).has_value(); }

/// The one statement Line holds, or None when it holds none, several, or
/// one the parser refuses (the engine then answers with the server's
/// error, which the client prints like any reply).
llvm::Optional<iql::Statement> parseLine(StringRef Line) {
  std::vector<iql::SourceStatement> Parts = iql::splitProgram(Line);
  if (Parts.size() != 1)
    return llvm::None;
  llvm::Expected<iql::Statement> St = iql::parseStatement(Parts.front().Text);
  if (!St) {
    llvm::consumeError(St.takeError());
    return llvm::None;
  }
  return std::move(*St);
}

} // namespace

std::string conformance::followUpQuery(const iql::Atom &Head) {
  static const char *const Names[] = {"X", "Y", "Z", "W", "V", "U", "T", "S", "R", "Q"};
  std::vector<std::string> Vars;
  for (size_t I = 0, N = engine::headColumns(Head); I < N; ++I)
    Vars.push_back(I < 10 ? Names[I] : fmt::format("V{}", I));
  return fmt::format("?{}({})", Head.Relation, llvm::join(Vars, ", "));
}

void ClientEmulator::display(StringRef Program, Response &Out) {
  Reply R = Session.execute(Program);
  Out.Failed = Out.Failed || failed(R);
  // In script mode the client prints an error frame's message as it is.
  appendLines(R.IsError ? R.ErrorMessage : printed(R), Out.Lines);
}

void ClientEmulator::describeRelation(StringRef Line, StringRef Name, Response &Out) {
  Reply R = Session.execute(Line);
  Out.Failed = failed(R);
  if (R.IsError || R.isMessage()) {
    appendLines(R.IsError ? R.ErrorMessage : printed(R), Out.Lines);
    return;
  }
  Out.Lines.push_back(fmt::format("Relation: {}", Name.str()));
  if (R.Rows.empty()) {
    Out.Lines.push_back("  No data.");
    return;
  }
  appendLines(printed(R), Out.Lines);
  // The client replaces the table's `N rows` footer with one that also
  // names the server's total; the engine sends every row, so both agree.
  Out.Lines.back() = fmt::format("{} of {} total rows", R.Rows.size(), R.Rows.size());
}

void ClientEmulator::sessionRule(StringRef Line, const iql::Atom &Head, Response &Out) {
  Reply R = Session.execute(Line);
  if (R.IsError) {
    Out.Failed = true;
    appendLines(R.ErrorMessage, Out.Lines);
    return;
  }
  Out.Failed = failed(R);
  display(followUpQuery(Head), Out);
  Out.Lines.push_back(fmt::format("(session: {} rule(s))", ++SessionRules));
}

void ClientEmulator::command(StringRef Line, const iql::Statement &St, Response &Out) {
  using Id = iql::MetaCommandId;
  if (St.Command == Id::Load && St.Words.size() >= 2) {
    loadScript(St.Words[1], Out);
    return;
  }
  // The client reads `.rel list` as a command of its own, not as the
  // relation `list`.
  if (St.Command == Id::RelDescribe && St.Words[1] != "list") {
    describeRelation(Line, St.Words[1], Out);
    return;
  }
  bool SwitchesGraph = St.Command == Id::KgUse || St.Command == Id::KgCreate;
  bool ClearsSession = St.Command == Id::SessionClear;
  display(Line, Out);
  // The engine's session drops its rules and facts with the graph, as the
  // server's does; the client says so.
  if (SwitchesGraph && (SessionRules || SessionFacts))
    Out.Lines.push_back(fmt::format("(Cleared {} session rule(s), {} session fact(s))",
                                    SessionRules, SessionFacts));
  if (SwitchesGraph || ClearsSession)
    SessionRules = SessionFacts = 0;
}

void ClientEmulator::loadScript(StringRef Path, Response &Out) {
  Out.Lines.push_back(fmt::format("Loading file: {}", Path));
  StringRef Relative = Path;
  llvm::SmallString<256> File(ScriptRoot);
  if (Relative.consume_front("examples/iql/"))
    llvm::sys::path::append(File, Relative);
  else
    File = Path;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Text = llvm::MemoryBuffer::getFile(File);
  if (!Text) {
    Out.Lines.push_back(fmt::format("Failed to read script '{}': No such file or directory "
                                    "(os error 2)",
                                    Path));
    Out.Failed = true;
    return;
  }
  LoadedStatementsLeft = iql::splitProgram((*Text)->getBuffer()).size();
  if (LoadedStatementsLeft == 0)
    Out.Lines.push_back("File loaded.");
}

ClientEmulator::Response ClientEmulator::send(StringRef Line) {
  size_t Pending = LoadedStatementsLeft;
  Response Out = sendOne(Line);
  if (Pending && --LoadedStatementsLeft == 0)
    Out.Lines.push_back("File loaded.");
  return Out;
}

ClientEmulator::Response ClientEmulator::sendOne(StringRef Line) {
  Response Out;
  Line = Line.trim();
  llvm::Optional<iql::Statement> St = parseLine(Line);
  if (!St) {
    display(Line, Out);
    return Out;
  }
  switch (St->K) {
  case iql::Statement::Kind::Meta:
    command(Line, *St, Out);
    return Out;
  case iql::Statement::Kind::SessionRule:
    sessionRule(Line, St->Rule.Head, Out);
    return Out;
  case iql::Statement::Kind::SessionFact: {
    // The client counts a session fact once the server took it.
    Reply R = Session.execute(Line);
    Out.Failed = failed(R);
    appendLines(R.IsError ? R.ErrorMessage : printed(R), Out.Lines);
    if (!R.IsError)
      ++SessionFacts;
    return Out;
  }
  default:
    display(Line, Out);
    return Out;
  }
}
