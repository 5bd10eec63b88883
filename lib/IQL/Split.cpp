//===- Split.cpp - An IQL program to its statements ------------------------===//
//
// The server's rule: comments go, a line that starts with a space or a tab
// continues the previous statement, and blank lines separate nothing.
//
//===----------------------------------------------------------------------===//
#include "strata/IQL/Parser.h"

using namespace strata::iql;
using llvm::StringRef;

/// Blanks out `//` and `/* */` comments (outside strings), keeping newlines
/// so that line numbers stay right.
static std::string stripComments(StringRef Program) {
  std::string Out;
  Out.reserve(Program.size());
  bool InString = false, InBlock = false;
  for (size_t I = 0; I < Program.size(); ++I) {
    char C = Program[I];
    char Next = I + 1 < Program.size() ? Program[I + 1] : '\0';
    if (InBlock) {
      if (C == '*' && Next == '/') {
        InBlock = false;
        ++I;
      } else if (C == '\n') {
        Out += '\n';
      }
      continue;
    }
    if (InString) {
      Out += C;
      if (C == '\\' && Next != '\0' && Next != '\n') {
        Out += Next;
        ++I;
      } else if (C == '"' || C == '\n') {
        InString = false;
      }
      continue;
    }
    if (C == '"') {
      InString = true;
      Out += C;
    } else if (C == '/' && Next == '/') {
      while (I < Program.size() && Program[I] != '\n')
        ++I;
      if (I < Program.size())
        Out += '\n';
    } else if (C == '/' && Next == '*') {
      InBlock = true;
      ++I;
    } else {
      Out += C;
    }
  }
  return Out;
}

std::vector<SourceStatement> strata::iql::splitProgram(StringRef Program) {
  std::string Text = stripComments(Program);
  std::vector<SourceStatement> Out;
  StringRef Rest = Text;
  unsigned LineNo = 0;
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    Rest = Tail;
    ++LineNo;
    Line = Line.rtrim(" \t\r\f\v");
    if (Line.trim().empty())
      continue;
    bool Continues = (Line[0] == ' ' || Line[0] == '\t') && !Out.empty();
    if (Continues)
      Out.back().Text += " " + Line.trim().str();
    else
      Out.push_back({LineNo, LineNo, Line.trim().str()});
    Out.back().EndLine = LineNo;
  }
  return Out;
}

StringRef strata::iql::statementSource(StringRef Program, const SourceStatement &S) {
  unsigned Line = 1;
  size_t Begin = 0;
  for (size_t I = 0; I < Program.size() && Line < S.Line; ++I)
    if (Program[I] == '\n') {
      ++Line;
      Begin = I + 1;
    }
  size_t End = Begin;
  for (; End < Program.size(); ++End)
    if (Program[End] == '\n' && Line++ == S.EndLine)
      break;
  return Program.slice(Begin, End).rtrim("\r");
}

std::vector<StringRef>
strata::iql::statementSources(StringRef Program, const std::vector<SourceStatement> &Statements) {
  std::vector<size_t> LineStarts = {0}; // of line I + 1
  for (size_t I = 0; I < Program.size(); ++I)
    if (Program[I] == '\n')
      LineStarts.push_back(I + 1);
  auto startOf = [&](unsigned Line) {
    return Line - 1 < LineStarts.size() ? LineStarts[Line - 1] : Program.size();
  };
  std::vector<StringRef> Out;
  for (const SourceStatement &S : Statements) {
    // Up to the line break that ends S.EndLine, as statementSource.
    size_t End = S.EndLine < LineStarts.size() ? LineStarts[S.EndLine] - 1 : Program.size();
    Out.push_back(Program.slice(startOf(S.Line), End).rtrim("\r"));
  }
  return Out;
}
