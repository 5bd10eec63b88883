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

void printCells(llvm::raw_ostream &OS, llvm::ArrayRef<std::string> Cells,
                llvm::ArrayRef<size_t> Widths, const std::vector<bool> &RightAligned) {
  OS << "│";
  for (size_t I = 0; I < Widths.size(); ++I) {
    if (I)
      OS << "│";
    size_t Chars = charCount(Cells[I]);
    size_t Pad = Widths[I] > Chars ? Widths[I] - Chars : 0;
    OS << ' ';
    if (RightAligned[I])
      OS.indent(Pad) << Cells[I];
    else
      OS << Cells[I] << std::string(Pad, ' ');
    OS << ' ';
  }
  OS << "│\n";
}

void printTable(const Reply &R, llvm::raw_ostream &OS) {
  size_t NumColumns = R.Columns.size();
  std::vector<size_t> Widths;
  for (const std::string &C : R.Columns)
    Widths.push_back(C.size()); // bytes, as the client measures headers
  std::vector<bool> Numeric(NumColumns, true);
  std::vector<std::vector<std::string>> Texts;
  for (const auto &Row : R.Rows) {
    std::vector<std::string> Cells(NumColumns);
    for (size_t I = 0; I < NumColumns; ++I) {
      if (I >= Row.size()) {
        Numeric[I] = false;
        continue;
      }
      Numeric[I] = Numeric[I] && isNumber(Row[I]);
      std::string Text = exec::cellText(Row[I]);
      Widths[I] = std::max(Widths[I], charCount(Text));
      if (charCount(Text) > MaxColumnWidth)
        Text = firstChars(Text, MaxColumnWidth - 1).str() + "…";
      Cells[I] = std::move(Text);
    }
    Texts.push_back(std::move(Cells));
  }
  for (size_t &W : Widths)
    W = std::min(W, MaxColumnWidth);

  printRule(OS, Widths, "┌", "┬", "┐");
  printCells(OS, R.Columns, Widths, std::vector<bool>(NumColumns, false));
  printRule(OS, Widths, "├", "┼", "┤");
  for (const auto &Cells : Texts)
    printCells(OS, Cells, Widths, Numeric);
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
