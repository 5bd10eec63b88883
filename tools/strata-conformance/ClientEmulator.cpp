//===- ClientEmulator.cpp - The server's line-by-line client, replayed ----===//
#include "ClientEmulator.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/ReplyFormat.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
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

std::string printed(const Reply &R) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  exec::printReply(R, OS);
  return OS.str();
}

bool failed(const Reply &R) { return exec::replyFailure(R).has_value(); }

/// Byte offset of `<-` outside string literals, or npos.
size_t arrowOutsideStrings(StringRef S) {
  bool InString = false;
  for (size_t I = 0; I < S.size(); ++I) {
    if (InString) {
      if (S[I] == '\\')
        ++I;
      else if (S[I] == '"')
        InString = false;
    } else if (S[I] == '"') {
      InString = true;
    } else if (S.substr(I).startswith("<-")) {
      return I;
    }
  }
  return StringRef::npos;
}

/// How many comma-separated arguments Args (the text between a head's
/// parentheses) has; commas inside strings, brackets and `name<...>`
/// aggregates do not count.
unsigned countArguments(StringRef Args) {
  if (Args.trim().empty())
    return 0;
  unsigned Count = 1;
  int Depth = 0;
  bool InString = false;
  for (size_t I = 0; I < Args.size(); ++I) {
    char C = Args[I];
    if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"')
        InString = false;
      continue;
    }
    if (C == '"')
      InString = true;
    else if (C == '(' || C == '[' || C == '{')
      ++Depth;
    else if (C == ')' || C == ']' || C == '}')
      Depth = std::max(0, Depth - 1);
    else if (C == '<' && I > 0 && (llvm::isAlnum(Args[I - 1]) || Args[I - 1] == '_'))
      ++Depth;
    else if (C == '>' && Depth > 0)
      --Depth;
    else if (C == ',' && Depth == 0)
      ++Count;
  }
  return Count;
}
} // namespace

std::string conformance::followUpQuery(StringRef Rule) {
  size_t Arrow = arrowOutsideStrings(Rule);
  StringRef Head = Rule.substr(0, Arrow).trim();
  size_t Open = Head.find('(');
  StringRef Name = Head.substr(0, Open).trim();
  if (Name.empty())
    return "";
  unsigned Arity = 0;
  if (Open != StringRef::npos) {
    StringRef Args = Head.drop_front(Open + 1);
    Args.consume_back(")");
    Arity = countArguments(Args);
  }
  static const char *const Names[] = {"X", "Y", "Z", "W", "V", "U", "T", "S", "R", "Q"};
  std::vector<std::string> Vars;
  for (unsigned I = 0; I < Arity; ++I)
    Vars.push_back(I < 10 ? Names[I] : fmt::format("V{}", I));
  return fmt::format("?{}({})", Name.str(), llvm::join(Vars, ", "));
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

void ClientEmulator::sessionRule(StringRef Line, Response &Out) {
  Reply R = Session.execute(Line);
  if (R.IsError) {
    Out.Failed = true;
    appendLines(R.ErrorMessage, Out.Lines);
    return;
  }
  Out.Failed = failed(R);
  if (std::string Query = followUpQuery(Line); !Query.empty())
    display(Query, Out);
  Out.Lines.push_back(fmt::format("(session: {} rule(s))", ++SessionRules));
}

ClientEmulator::Response ClientEmulator::send(StringRef Line) {
  Response Out;
  Line = Line.trim();
  llvm::SmallVector<StringRef, 4> Words;
  Line.split(Words, ' ', -1, /*KeepEmpty=*/false);
  if (Line.startswith(".")) {
    bool SwitchesGraph = Words.size() >= 2 && Words[0] == ".kg" &&
                         (Words[1] == "use" || Words[1] == "create");
    bool ClearsSession = Words.size() == 2 && Words[0] == ".session" && Words[1] == "clear";
    if (Words.size() == 2 && Words[0] == ".rel" && Words[1] != "list") {
      describeRelation(Line, Words[1], Out);
      return Out;
    }
    display(Line, Out);
    if (SwitchesGraph && (SessionRules || SessionFacts)) {
      Out.Lines.push_back(fmt::format("(Cleared {} session rule(s), {} session fact(s))",
                                      SessionRules, SessionFacts));
      Session.execute(".session clear");
    }
    if (SwitchesGraph || ClearsSession)
      SessionRules = SessionFacts = 0;
    return Out;
  }
  if (Line.startswith("?") || Line.startswith("+") || Line.startswith("-")) {
    display(Line, Out);
    return Out;
  }
  if (arrowOutsideStrings(Line) != StringRef::npos) {
    sessionRule(Line, Out);
    return Out;
  }
  // A session fact; the client counts it once the server took it.
  Reply R = Session.execute(Line);
  Out.Failed = failed(R);
  appendLines(R.IsError ? R.ErrorMessage : printed(R), Out.Lines);
  if (!R.IsError)
    ++SessionFacts;
  return Out;
}
