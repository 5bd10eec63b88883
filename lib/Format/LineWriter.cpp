//===- LineWriter.cpp - Comment placement and blank lines -----------------===//
#include "LineWriter.h"
#include <algorithm>

using namespace strata;
using namespace strata::format::detail;

unsigned strata::format::detail::leadingWidth(llvm::StringRef Line) {
  unsigned Width = 0;
  for (char C : Line) {
    if (C == ' ')
      ++Width;
    else if (C == '\t')
      Width = (Width / 8 + 1) * 8;
    else
      break;
  }
  return Width;
}

std::string strata::format::detail::shiftComment(llvm::StringRef Text, unsigned FromCol,
                                                 unsigned ToCol) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Text.split(Parts, '\n');
  std::string Out = Parts.front().rtrim().str();
  for (size_t I = 1; I < Parts.size(); ++I) {
    llvm::StringRef Line = Parts[I].rtrim();
    Out += '\n';
    if (Line.trim().empty())
      continue;
    long Width = long(leadingWidth(Line)) + long(ToCol) - long(FromCol);
    Out.append(size_t(std::max(Width, 0L)), ' ');
    Out += Line.ltrim().str();
  }
  return Out;
}

LineWriter::LineWriter(const ast::SourceFile &File, const llvm::SourceMgr &SM,
                       const FormatOptions &Opts)
    : SM(SM), Opts(Opts), BufferID(File.BufferID) {
  for (const ast::Comment &C : File.Comments)
    Comments.push_back(&C);
  // The parser records them in order already; sorting keeps the cursor
  // correct even if that ever changes.
  std::stable_sort(Comments.begin(), Comments.end(),
                   [](const ast::Comment *A, const ast::Comment *B) {
                     return A->Range.Start.getPointer() < B->Range.Start.getPointer();
                   });
  Claimed.assign(Comments.size(), false);
}

void LineWriter::claimComments(const char *Begin, const char *End) {
  for (size_t I = 0; I < Comments.size(); ++I) {
    const char *P = Comments[I]->Range.Start.getPointer();
    if (P >= Begin && P < End)
      Claimed[I] = true;
  }
}

unsigned LineWriter::lineOf(const char *P) const {
  return SM.FindLineNumber(llvm::SMLoc::getFromPointer(P), BufferID);
}

unsigned LineWriter::columnOf(const char *P) const {
  const char *Start = SM.getMemoryBuffer(BufferID)->getBufferStart();
  const char *LineStart = P;
  while (LineStart > Start && LineStart[-1] != '\n')
    --LineStart;
  return unsigned(P - LineStart);
}

bool LineWriter::blankInSource(const char *From, const char *To) const {
  if (!From || !To || From >= To)
    return false;
  llvm::StringRef Between(From, size_t(To - From));
  size_t NL = Between.find('\n');
  while (NL != llvm::StringRef::npos) {
    size_t NextNL = Between.find('\n', NL + 1);
    if (NextNL == llvm::StringRef::npos)
      return false;
    if (Between.slice(NL + 1, NextNL).trim().empty())
      return true;
    NL = NextNL;
  }
  return false;
}

std::string &LineWriter::startLine(unsigned Indent, const char *SourceStart) {
  bool WantBlank = !Lines.empty() &&
                   (NextBlank == Blank::Force ||
                    (NextBlank == Blank::Preserve && blankInSource(LastSourceEnd, SourceStart)));
  if (WantBlank)
    Lines.emplace_back();
  Lines.emplace_back(size_t(Indent * Opts.IndentWidth), ' ');
  NextBlank = Blank::Preserve;
  return Lines.back();
}

bool LineWriter::trails(const ast::Comment &C) const {
  if (LastCodeLine < 0 || LastCodeLine + 1 != long(Lines.size()))
    return false;
  const char *P = C.Range.Start.getPointer();
  return P >= LastCodeEnd && lineOf(P) == lineOf(LastCodeEnd);
}

void LineWriter::appendTrailing(const ast::Comment &C) {
  std::string &Line = Lines[size_t(LastCodeLine)];
  size_t LastNL = Line.rfind('\n');
  unsigned Col = unsigned(Line.size() - (LastNL == std::string::npos ? 0 : LastNL + 1)) + 1;
  Line += ' ';
  Line += shiftComment(C.Text, columnOf(C.Range.Start.getPointer()), Col);
  LastCodeEnd = C.Range.End.getPointer();
  LastSourceEnd = LastCodeEnd;
}

void LineWriter::ownComment(unsigned Indent, const ast::Comment &C) {
  std::string &Line = startLine(Indent, C.Range.Start.getPointer());
  Line += shiftComment(C.Text, columnOf(C.Range.Start.getPointer()), Indent * Opts.IndentWidth);
  LastSourceEnd = C.Range.End.getPointer();
  LastCodeLine = -1;
}

void LineWriter::placeCommentsBefore(const char *Begin, const char *End, unsigned Indent) {
  for (; Next < Comments.size(); ++Next) {
    if (Claimed[Next])
      continue;
    const ast::Comment &C = *Comments[Next];
    const char *P = C.Range.Start.getPointer();
    if (End && P >= End)
      break;
    // A comment between the previous code and this line, on the previous
    // code's source line, stays where the author put it. Anything else
    // (own-line comments, comments inside this element) leads the element.
    if ((!Begin || P < Begin) && trails(C))
      appendTrailing(C);
    else
      ownComment(Indent, C);
  }
}

void LineWriter::placeTrailingBefore(const char *Limit) {
  for (; Next < Comments.size(); ++Next) {
    if (Claimed[Next])
      continue;
    const ast::Comment &C = *Comments[Next];
    if (C.Range.Start.getPointer() >= Limit || !trails(C))
      break;
    appendTrailing(C);
  }
}

void LineWriter::code(unsigned Indent, llvm::StringRef Text, const char *Begin, const char *End,
                      unsigned CommentIndent) {
  placeCommentsBefore(Begin, End, CommentIndent);
  std::string &Line = startLine(Indent, Begin);
  Line += Text.str();
  LastCodeLine = long(Lines.size()) - 1;
  LastCodeEnd = End;
  LastSourceEnd = End;
}

void LineWriter::closeBlock(unsigned Indent, const char *Begin, const char *End,
                            llvm::StringRef Text) {
  placeCommentsBefore(Begin, End, Indent + 1);
  NextBlank = Blank::Suppress;
  code(Indent, Text, Begin, End);
}

void LineWriter::raw(unsigned Indent, llvm::StringRef Text) {
  if (Text.empty())
    Lines.emplace_back();
  else
    Lines.push_back(std::string(size_t(Indent * Opts.IndentWidth), ' ') + Text.str());
  LastCodeLine = -1;
}

std::string LineWriter::finish() {
  placeCommentsBefore(nullptr, nullptr, 0);
  std::string Out;
  for (const std::string &L : Lines) {
    Out += L;
    Out += '\n';
  }
  return Out;
}
