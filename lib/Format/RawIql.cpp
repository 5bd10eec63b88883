//===- RawIql.cpp - Re-indenting the raw IQL of `run iql` -----------------===//
//
// Raw IQL is the author's text, kept verbatim except for indentation. IQL
// continuation lines start with whitespace, so the indentation of each line
// relative to the others is meaningful and is preserved: the whole body
// moves as one block to one level inside its `forward {` line.
//
//===----------------------------------------------------------------------===//
#include "Emitter.h"
#include <algorithm>
#include <climits>

using namespace strata;
using namespace strata::format::detail;

namespace {
struct BodyLine {
  std::string Text; // without leading blanks
  unsigned Width;   // of the leading blanks in the source
  bool OnBraceLine; // shares its source line with the opening `{`
};

/// The non-empty stretch of the body: trailing blanks dropped from every
/// line, blank lines at either end dropped, blank lines inside kept empty.
std::vector<BodyLine> bodyLines(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  Text.split(Parts, '\n');
  std::vector<BodyLine> Lines;
  for (size_t I = 0; I < Parts.size(); ++I) {
    llvm::StringRef Line = Parts[I].rtrim();
    Lines.push_back({Line.ltrim().str(), leadingWidth(Line), I == 0});
  }
  auto Blank = [](const BodyLine &L) { return L.Text.empty(); };
  while (!Lines.empty() && Blank(Lines.back()))
    Lines.pop_back();
  auto FirstText = std::find_if_not(Lines.begin(), Lines.end(), Blank);
  Lines.erase(Lines.begin(), FirstText);
  return Lines;
}
} // namespace

IqlLayout strata::format::detail::layoutIql(llvm::StringRef Text, bool HasLineComment) {
  std::vector<BodyLine> Lines = bodyLines(Text);
  IqlLayout Out;
  if (Lines.size() <= 1 && !HasLineComment) {
    Out.Inline = true;
    if (!Lines.empty())
      Out.Lines.push_back(Lines.front().Text);
    return Out;
  }
  // Text on the `{` line has no indentation of its own to keep; it starts
  // the block. Every other line keeps its offset from the least indented.
  unsigned Base = UINT_MAX;
  for (const BodyLine &L : Lines)
    if (!L.OnBraceLine && !L.Text.empty())
      Base = std::min(Base, L.Width);
  for (const BodyLine &L : Lines) {
    if (L.Text.empty()) {
      Out.Lines.emplace_back();
      continue;
    }
    unsigned Offset = L.OnBraceLine ? 0 : L.Width - Base;
    Out.Lines.push_back(std::string(Offset, ' ') + L.Text);
  }
  return Out;
}

bool strata::format::detail::hasLineComment(llvm::StringRef Text) {
  for (size_t I = 0; I < Text.size(); ++I) {
    llvm::StringRef Rest = Text.substr(I);
    if (Rest.startswith("//"))
      return true;
    if (Rest.startswith("/*")) {
      size_t Close = Text.find("*/", I + 2);
      if (Close == llvm::StringRef::npos)
        return false;
      I = Close + 1;
    } else if (Text[I] == '"') {
      for (++I; I < Text.size() && Text[I] != '"' && Text[I] != '\n'; ++I)
        if (Text[I] == '\\')
          ++I;
    }
  }
  return false;
}

void Emitter::iqlBlock(unsigned Indent, llvm::StringRef Keyword, const ast::IqlText &T) {
  const char *Open = T.Range.Start.getPointer() - 1; // the `{`
  const char *Close = T.Range.End.getPointer();      // the `}`
  IqlLayout L = layoutIql(T.Text, hasLineComment(T.Text));
  std::string Head = Keyword.str() + " {";
  if (L.Inline) {
    std::string Line = L.Lines.empty() ? Head + "}" : Head + " " + L.Lines.front() + " }";
    // A long statement reads better on its own line.
    if (L.Lines.empty() ||
        Indent * W.options().IndentWidth + Line.size() <= W.options().MaxInlineIqlWidth) {
      W.code(Indent, Line, Open, Close + 1);
      return;
    }
  }
  W.code(Indent, Head, Open, Open + 1);
  for (const std::string &Line : L.Lines)
    W.raw(Indent + 1, Line);
  W.closeBlock(Indent, Close, Close + 1);
}
