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
#include "strata/Support/Json.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <charconv>
#include <cmath>

using namespace strata;
using llvm::json::Value;

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

/// A double as the server's JSON library prints it: the shortest digits
/// that read back to the same value, in plain notation while the decimal
/// point stays within 16 digits of them (always with a fractional part,
/// `5.0`), in `1.5e20` / `1e-7` notation otherwise.
std::string doubleText(double D) {
  if (!std::isfinite(D))
    return "null"; // JSON has no NaN or infinity; the server sends null
  if (D == 0)
    return std::signbit(D) ? "-0.0" : "0.0";
  char Buf[64];
  auto [End, Ec] =
      std::to_chars(Buf, Buf + sizeof(Buf), std::fabs(D), std::chars_format::scientific);
  if (Ec != std::errc())
    return "null";
  llvm::StringRef Sci(Buf, End - Buf); // d[.ddd]e[+-]XX
  auto [Mantissa, ExpText] = Sci.split('e');
  std::string Digits = Mantissa.str();
  Digits.erase(std::remove(Digits.begin(), Digits.end(), '.'), Digits.end());
  int Exp10 = 0;
  ExpText.consume_front("+");
  bool NegExp = ExpText.consume_front("-");
  ExpText.getAsInteger(10, Exp10);
  if (NegExp)
    Exp10 = -Exp10;
  int Len = int(Digits.size());
  int K = Exp10 - (Len - 1); // value = Digits * 10^K
  int Point = Len + K;       // digits before the decimal point
  std::string Out = D < 0 ? "-" : "";
  if (K >= 0 && Point <= 16)
    Out += Digits + std::string(K, '0') + ".0";
  else if (Point > 0 && Point <= 16)
    Out += Digits.substr(0, Point) + "." + Digits.substr(Point);
  else if (Point > -5 && Point <= 0)
    Out += "0." + std::string(-Point, '0') + Digits;
  else
    Out += Digits.substr(0, 1) + (Len > 1 ? "." + Digits.substr(1) : "") + "e" +
           std::to_string(Point - 1);
  return Out;
}

/// llvm::json keeps a number's kind private; getAsUINT64 answers only for
/// integers, so it tells a non-negative integer from a double. A negative
/// whole double (`-5.0`) cannot be told from an integer and prints as one.
std::string numberText(const Value &V) {
  if (llvm::Optional<uint64_t> U = V.getAsUINT64())
    return std::to_string(*U);
  llvm::Optional<double> D = V.getAsNumber();
  if (llvm::Optional<int64_t> I = jsonInteger(V); I && *D < 0)
    return std::to_string(*I);
  return doubleText(*D);
}

bool isNumber(const Value &V) { return V.kind() == Value::Number; }

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

std::string exec::cellText(const Value &Cell) {
  switch (Cell.kind()) {
  case Value::Null:
    return "null";
  case Value::Boolean:
    return *Cell.getAsBoolean() ? "true" : "false";
  case Value::Number:
    return numberText(Cell);
  case Value::String:
    return ast::quoteString(*Cell.getAsString());
  case Value::Array: {
    std::string Out = "[";
    for (const Value &Item : *Cell.getAsArray()) {
      if (Out.size() > 1)
        Out += ", ";
      Out += cellText(Item);
    }
    return Out + "]";
  }
  case Value::Object: {
    // llvm::json::Object is unordered; the server's maps are sorted by key.
    const llvm::json::Object &O = *Cell.getAsObject();
    std::vector<llvm::StringRef> Keys;
    for (const auto &KV : O)
      Keys.push_back(KV.first);
    llvm::sort(Keys);
    std::string Out = "{";
    for (llvm::StringRef K : Keys) {
      if (Out.size() > 1)
        Out += ", ";
      Out += K.str() + ": " + cellText(*O.get(K));
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
    for (const Value &Cell : R.Rows[I])
      Row += (Row.empty() ? "" : ", ") + cellText(Cell);
    Out += (Out.empty() ? "(" : "; (") + Row + ")";
  }
  return Out;
}
