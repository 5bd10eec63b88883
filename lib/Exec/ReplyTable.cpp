//===- ReplyTable.cpp - Replies as the server's client prints them ---------===//
//
// The layout follows what the InputLayer client printed in the server's own
// transcripts (../shared/conformance/iql/): a box-drawn table whose columns
// are as wide as their widest cell (capped at 40 characters, longer cells
// cut to 39 and an ellipsis), numbers right-aligned when a whole column is
// numeric, everything else left-aligned, and a `N rows` footer. Widths
// count characters, except that a header is measured in bytes, as the
// client does; the two differ only for non-ASCII headers.
//
//===----------------------------------------------------------------------===//
#include "strata/AST/Printer.h"
#include "strata/Exec/ReplyFormat.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <charconv>
#include <cstring>

using namespace strata;

namespace {

constexpr size_t MaxColumnWidth = 40;

/// Characters (code points) in UTF-8 Text.
size_t charCount(llvm::StringRef Text) {
  return llvm::count_if(Text,
                        [](char C) { return (static_cast<unsigned char>(C) & 0xC0) != 0x80; });
}

/// The first N characters of UTF-8 Text.
llvm::StringRef firstChars(llvm::StringRef Text, size_t N) {
  size_t Seen = 0;
  for (size_t I = 0; I < Text.size(); ++I)
    if ((static_cast<unsigned char>(Text[I]) & 0xC0) != 0x80 && Seen++ == N)
      return Text.take_front(I);
  return Text;
}

bool isNumber(const Cell &C) { return C.isNumber(); }

void printRule(llvm::raw_ostream &OS, llvm::ArrayRef<size_t> Widths, llvm::StringRef Left,
               llvm::StringRef Joint, llvm::StringRef Right) {
  OS << Left;
  for (size_t I = 0; I < Widths.size(); ++I) {
    if (I)
      OS << Joint;
    for (size_t J = 0; J < Widths[I] + 2; ++J)
      OS << "─";
  }
  OS << Right << '\n';
}

/// The text of every cell of a table, in one buffer (a reply may hold
/// hundreds of thousands of cells): cell I is Text[Begin[I], Begin[I+1]),
/// Chars[I] characters wide. Row-major, NumColumns a row.
struct CellTexts {
  std::string Text;
  std::vector<uint32_t> Begin{0};
  std::vector<uint32_t> Chars;

  llvm::StringRef cell(size_t I) const {
    return llvm::StringRef(Text).slice(Begin[I], Begin[I + 1]);
  }
  /// Appends C's text, cut to MaxColumnWidth characters; its width
  /// before the cut.
  size_t add(const Cell &C) {
    size_t Start = Text.size();
    if (llvm::Optional<int64_t> I = C.getAsInteger()) {
      // The most common cell, written without a string of its own.
      char Digits[24];
      auto [End, Error] = std::to_chars(Digits, Digits + sizeof Digits, *I);
      (void)Error; // 24 characters hold any 64-bit integer
      Text.append(Digits, size_t(End - Digits));
      Begin.push_back(uint32_t(Text.size()));
      Chars.push_back(uint32_t(End - Digits));
      return Chars.back();
    }
    Text += exec::cellText(C);
    llvm::StringRef Appended = llvm::StringRef(Text).drop_front(Start);
    size_t Width = charCount(Appended);
    size_t Shown = Width;
    if (Width > MaxColumnWidth) {
      Text.resize(Start + firstChars(Appended, MaxColumnWidth - 1).size());
      Text += "…";
      Shown = MaxColumnWidth;
    }
    Begin.push_back(uint32_t(Text.size()));
    Chars.push_back(uint32_t(Shown));
    return Width;
  }
};

/// One row of cells First.. of Texts, padded to Widths, appended to Out:
/// its bytes counted first, then copied in place (a reply may have
/// hundreds of thousands of rows).
void appendCells(std::string &Out, const CellTexts &Texts, size_t First,
                 llvm::ArrayRef<size_t> Widths, const std::vector<bool> &RightAligned) {
  static constexpr llvm::StringLiteral Bar = "│";
  size_t Need = Bar.size() + 1;
  for (size_t I = 0; I < Widths.size(); ++I) {
    size_t Chars = Texts.Chars[First + I];
    Need += Bar.size() + 2 + (Widths[I] > Chars ? Widths[I] - Chars : 0) +
            (Texts.Begin[First + I + 1] - Texts.Begin[First + I]);
  }
  size_t At = Out.size();
  Out.resize(At + Need);
  char *P = &Out[At];
  auto Put = [&P](llvm::StringRef S) {
    std::memcpy(P, S.data(), S.size());
    P += S.size();
  };
  for (size_t I = 0; I < Widths.size(); ++I) {
    size_t Chars = Texts.Chars[First + I];
    size_t Pad = Widths[I] > Chars ? Widths[I] - Chars : 0;
    Put(Bar);
    *P++ = ' ';
    if (RightAligned[I])
      P = std::fill_n(P, Pad, ' ');
    Put(Texts.cell(First + I));
    if (!RightAligned[I])
      P = std::fill_n(P, Pad, ' ');
    *P++ = ' ';
  }
  Put(Bar);
  *P++ = '\n';
}

void printTable(const Reply &R, llvm::raw_ostream &OS) {
  size_t NumColumns = R.Columns.size();
  std::vector<size_t> Widths;
  CellTexts Header;
  for (const std::string &C : R.Columns) {
    Widths.push_back(C.size()); // bytes, as the client measures headers
    Header.Text += C;
    Header.Begin.push_back(uint32_t(Header.Text.size()));
    Header.Chars.push_back(uint32_t(charCount(C)));
  }
  std::vector<bool> Numeric(NumColumns, true);
  CellTexts Texts;
  Texts.Text.reserve(R.Rows.size() * NumColumns * 8);
  for (const auto &Row : R.Rows)
    for (size_t I = 0; I < NumColumns; ++I) {
      if (I >= Row.size()) {
        Numeric[I] = false;
        Texts.Begin.push_back(uint32_t(Texts.Text.size()));
        Texts.Chars.push_back(0);
        continue;
      }
      Numeric[I] = Numeric[I] && isNumber(Row[I]);
      Widths[I] = std::max(Widths[I], Texts.add(Row[I]));
    }
  for (size_t &W : Widths)
    W = std::min(W, MaxColumnWidth);

  printRule(OS, Widths, "┌", "┬", "┐");
  std::string Lines;
  appendCells(Lines, Header, 0, Widths, std::vector<bool>(NumColumns, false));
  OS << Lines;
  printRule(OS, Widths, "├", "┼", "┤");
  // Rows are written a block at a time: one call per row costs more than
  // formatting it.
  Lines.clear();
  for (size_t Row = 0; Row < R.Rows.size(); ++Row) {
    appendCells(Lines, Texts, Row * NumColumns, Widths, Numeric);
    if (Lines.size() >= 64 * 1024) {
      OS << Lines;
      Lines.clear();
    }
  }
  OS << Lines;
  printRule(OS, Widths, "└", "┴", "┘");
  OS << R.Rows.size() << " rows\n";
}

} // namespace

std::string exec::cellText(const Cell &C) {
  switch (C.kind()) {
  case Cell::Kind::Null:
    return "null";
  case Cell::Kind::Boolean:
    return *C.getAsBoolean() ? "true" : "false";
  case Cell::Kind::Integer:
    return std::to_string(*C.getAsInteger());
  case Cell::Kind::Double:
    return doubleText(*C.getAsNumber());
  case Cell::Kind::String:
    return ast::quoteString(*C.getAsString());
  case Cell::Kind::List: {
    std::string Out = "[";
    for (const Cell &Item : *C.getAsList()) {
      if (Out.size() > 1)
        Out += ", ";
      Out += cellText(Item);
    }
    return Out + "]";
  }
  case Cell::Kind::Object: {
    std::string Out = "{"; // keys sorted, as the server's maps are
    for (const auto &[Key, Item] : *C.getAsObject()) {
      if (Out.size() > 1)
        Out += ", ";
      Out += Key + ": " + cellText(Item);
    }
    return Out + "}";
  }
  }
  return "";
}

void exec::printReply(const Reply &R, llvm::raw_ostream &OS) {
  if (R.IsError) {
    llvm::StringRef Message = R.ErrorMessage;
    OS << (Message.startswith("Error") ? "" : "Error: ") << Message << '\n';
    for (const ValidationError &E : R.ValidationErrors)
      OS << "  line " << E.Line << ": " << E.Message << '\n';
    return;
  }
  if (R.isMessage()) {
    for (const auto &Row : R.Rows)
      if (llvm::Optional<llvm::StringRef> Text = Row.empty() ? llvm::None : Row[0].getAsString())
        OS << *Text << '\n';
    return;
  }
  if (R.Rows.empty()) {
    OS << "No results.\n";
    return;
  }
  printTable(R, OS);
}

std::string exec::exampleRows(const Reply &R, size_t Max) {
  std::string Out;
  for (size_t I = 0; I < R.Rows.size() && I < Max; ++I) {
    std::string Row;
    for (const Cell &C : R.Rows[I])
      Row += (Row.empty() ? "" : ", ") + cellText(C);
    Out += (Out.empty() ? "(" : "; (") + Row + ")";
  }
  return Out;
}
