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

/// How a table's rows are laid out: each column's width and whether it is
/// right-aligned (a column of numbers).
struct Layout {
  std::vector<size_t> Widths;
  std::vector<char> RightAligned;
};

/// The bytes of one row of cells First.. of Texts, laid out by L: a bar,
/// then each cell padded and closed by a bar, then a newline. A row of no
/// columns is two bars, as the client prints it (`││`).
size_t rowBytes(const CellTexts &Texts, size_t First, const Layout &L) {
  static constexpr size_t Bar = sizeof("│") - 1;
  size_t Need = Bar + 1 + (L.Widths.empty() ? Bar : 0);
  for (size_t I = 0; I < L.Widths.size(); ++I) {
    size_t Chars = Texts.Chars[First + I];
    Need += 2 + (L.Widths[I] > Chars ? L.Widths[I] - Chars : 0) +
            (Texts.Begin[First + I + 1] - Texts.Begin[First + I]) + Bar;
  }
  return Need;
}

/// Writes the row of rowBytes() bytes at P; returns its end.
char *writeRow(char *P, const CellTexts &Texts, size_t First, const Layout &L) {
  // A constant size: the compiler writes the bar's three bytes in place.
  auto PutBar = [&P] {
    std::memcpy(P, "│", sizeof("│") - 1);
    P += sizeof("│") - 1;
  };
  PutBar();
  for (size_t I = 0; I < L.Widths.size(); ++I) {
    size_t Chars = Texts.Chars[First + I];
    size_t Pad = L.Widths[I] > Chars ? L.Widths[I] - Chars : 0;
    *P++ = ' ';
    if (L.RightAligned[I])
      P = std::fill_n(P, Pad, ' ');
    uint32_t From = Texts.Begin[First + I], To = Texts.Begin[First + I + 1];
    std::memcpy(P, Texts.Text.data() + From, To - From);
    P += To - From;
    if (!L.RightAligned[I])
      P = std::fill_n(P, Pad, ' ');
    *P++ = ' ';
    PutBar();
  }
  if (L.Widths.empty())
    PutBar();
  *P++ = '\n';
  return P;
}

/// Rows of Texts written to OS a 64 KB block at a time: one write per
/// row costs more than formatting it (a reply may have hundreds of
/// thousands of rows), and the block is filled in place.
void writeRows(llvm::raw_ostream &OS, const CellTexts &Texts, size_t Rows, const Layout &L) {
  size_t Columns = L.Widths.size();
  // Room for a typical row each, up to 64 KB (a row that needs more
  // widens it).
  std::string Block(std::min<size_t>(64 * 1024, Rows * 64), '\0');
  size_t Used = 0;
  for (size_t Row = 0; Row < Rows; ++Row) {
    size_t Need = rowBytes(Texts, Row * Columns, L);
    if (Used + Need > Block.size()) {
      OS.write(Block.data(), Used);
      Used = 0;
      if (Need > Block.size())
        Block.resize(Need);
    }
    writeRow(&Block[Used], Texts, Row * Columns, L);
    Used += Need;
  }
  OS.write(Block.data(), Used);
}

void printTable(const Reply &R, llvm::raw_ostream &OS) {
  size_t NumColumns = R.Columns.size();
  Layout L;
  CellTexts Header;
  for (const std::string &C : R.Columns) {
    L.Widths.push_back(C.size()); // bytes, as the client measures headers
    Header.Text += C;
    Header.Begin.push_back(uint32_t(Header.Text.size()));
    Header.Chars.push_back(uint32_t(charCount(C)));
  }
  L.RightAligned.assign(NumColumns, 1);
  CellTexts Texts;
  Texts.Text.reserve(R.Rows.size() * NumColumns * 8);
  Texts.Begin.reserve(R.Rows.size() * NumColumns + 1);
  Texts.Chars.reserve(R.Rows.size() * NumColumns);
  for (const auto &Row : R.Rows)
    for (size_t I = 0; I < NumColumns; ++I) {
      if (I >= Row.size()) {
        L.RightAligned[I] = 0;
        Texts.Begin.push_back(uint32_t(Texts.Text.size()));
        Texts.Chars.push_back(0);
        continue;
      }
      L.RightAligned[I] &= char(isNumber(Row[I]));
      L.Widths[I] = std::max(L.Widths[I], Texts.add(Row[I]));
    }
  for (size_t &W : L.Widths)
    W = std::min(W, MaxColumnWidth);

  printRule(OS, L.Widths, "┌", "┬", "┐");
  Layout HeaderLayout{L.Widths, std::vector<char>(NumColumns, 0)};
  writeRows(OS, Header, 1, HeaderLayout);
  printRule(OS, L.Widths, "├", "┼", "┤");
  writeRows(OS, Texts, R.Rows.size(), L);
  printRule(OS, L.Widths, "└", "┴", "┘");
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
