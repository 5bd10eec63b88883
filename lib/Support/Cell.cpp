//===- Cell.cpp - Reply cells and their JSON text -------------------------===//
#include "strata/Support/Cell.h"
#include "strata/Support/Json.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <charconv>
#include <cmath>

using namespace strata;

llvm::Optional<bool> Cell::getAsBoolean() const {
  if (const bool *P = std::get_if<bool>(&V))
    return *P;
  return llvm::None;
}

llvm::Optional<int64_t> Cell::getAsInteger() const {
  if (const int64_t *P = std::get_if<int64_t>(&V))
    return *P;
  return llvm::None;
}

llvm::Optional<double> Cell::getAsNumber() const {
  if (const int64_t *P = std::get_if<int64_t>(&V))
    return double(*P);
  if (const double *P = std::get_if<double>(&V))
    return *P;
  return llvm::None;
}

llvm::Optional<llvm::StringRef> Cell::getAsString() const {
  if (const std::string *P = std::get_if<std::string>(&V))
    return llvm::StringRef(*P);
  return llvm::None;
}

Cell Cell::fromJson(const llvm::json::Value &V) {
  switch (V.kind()) {
  case llvm::json::Value::Null:
    return nullptr;
  case llvm::json::Value::Boolean:
    return *V.getAsBoolean();
  case llvm::json::Value::String:
    return V.getAsString()->str();
  case llvm::json::Value::Number:
    // getAsUINT64 answers only for integers; a negative whole double
    // cannot be told from an integer and becomes one.
    if (llvm::Optional<uint64_t> U = V.getAsUINT64(); U && *U <= uint64_t(INT64_MAX))
      return int64_t(*U);
    if (llvm::Optional<int64_t> I = jsonInteger(V); I && *I < 0)
      return *I;
    return *V.getAsNumber();
  case llvm::json::Value::Array: {
    ListT L;
    for (const llvm::json::Value &E : *V.getAsArray())
      L.push_back(fromJson(E));
    return L;
  }
  case llvm::json::Value::Object: {
    ObjectT O;
    for (const auto &KV : *V.getAsObject())
      O.emplace(KV.first.str(), fromJson(KV.second));
    return O;
  }
  }
  return nullptr;
}

llvm::json::Value Cell::toJson() const {
  switch (kind()) {
  case Kind::Null:
    return nullptr;
  case Kind::Boolean:
    return *getAsBoolean();
  case Kind::Integer:
    return *getAsInteger();
  case Kind::Double:
    return *getAsNumber();
  case Kind::String: {
    llvm::StringRef S = *getAsString(); // llvm::json asserts on invalid UTF-8
    return llvm::json::isUTF8(S) ? S.str() : llvm::json::fixUTF8(S);
  }
  case Kind::List: {
    llvm::json::Array A;
    for (const Cell &E : *getAsList())
      A.push_back(E.toJson());
    return A;
  }
  case Kind::Object: {
    llvm::json::Object O;
    for (const auto &[Key, E] : *getAsObject())
      O[Key] = E.toJson();
    return O;
  }
  }
  return nullptr;
}

std::string strata::doubleText(double D) {
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

namespace {
std::string stringJson(llvm::StringRef S) {
  // llvm::json asserts on invalid UTF-8; the text is fixed up rather than lost.
  return llvm::formatv("{0}",
                       llvm::json::Value(llvm::json::isUTF8(S) ? S.str() : llvm::json::fixUTF8(S)))
      .str();
}

void writeCell(const Cell &C, std::string &Out) {
  switch (C.kind()) {
  case Cell::Kind::Null:
    Out += "null";
    return;
  case Cell::Kind::Boolean:
    Out += *C.getAsBoolean() ? "true" : "false";
    return;
  case Cell::Kind::Integer:
    Out += std::to_string(*C.getAsInteger());
    return;
  case Cell::Kind::Double:
    Out += doubleText(*C.getAsNumber());
    return;
  case Cell::Kind::String:
    Out += stringJson(*C.getAsString());
    return;
  case Cell::Kind::List: {
    Out += '[';
    for (const Cell &E : *C.getAsList()) {
      if (Out.back() != '[')
        Out += ',';
      writeCell(E, Out);
    }
    Out += ']';
    return;
  }
  case Cell::Kind::Object: {
    Out += '{';
    for (const auto &[Key, E] : *C.getAsObject()) {
      if (Out.back() != '{')
        Out += ',';
      Out += stringJson(Key) + ":";
      writeCell(E, Out);
    }
    Out += '}';
    return;
  }
  }
}
} // namespace

std::string strata::cellJson(const Cell &C) {
  std::string Out;
  writeCell(C, Out);
  return Out;
}

namespace {
/// Reads text parseJson has already accepted, so it need not diagnose.
class CellReader {
public:
  explicit CellReader(llvm::StringRef Text) : Text(Text) {}

  Cell read() {
    skipSpace();
    char C = Pos < Text.size() ? Text[Pos] : '\0';
    if (C == '[')
      return readList();
    if (C == '{')
      return readObject();
    if (C == '"')
      return readString();
    if (Text.substr(Pos).startswith("true"))
      return Pos += 4, Cell(true);
    if (Text.substr(Pos).startswith("false"))
      return Pos += 5, Cell(false);
    if (Text.substr(Pos).startswith("null"))
      return Pos += 4, Cell();
    return readNumber();
  }

private:
  llvm::StringRef Text;
  size_t Pos = 0;

  void skipSpace() {
    while (Pos < Text.size() && llvm::StringRef(" \t\r\n").contains(Text[Pos]))
      ++Pos;
  }
  /// Consumes C (after any space) if it comes next.
  bool eat(char C) {
    skipSpace();
    if (Pos < Text.size() && Text[Pos] == C)
      return ++Pos, true;
    return false;
  }

  Cell readList() {
    ++Pos;
    Cell::ListT L;
    if (eat(']'))
      return L;
    do
      L.push_back(read());
    while (eat(','));
    eat(']');
    return L;
  }

  Cell readObject() {
    ++Pos;
    Cell::ObjectT O;
    if (eat('}'))
      return O;
    do {
      skipSpace();
      std::string Key = readString().getAsString()->str();
      eat(':');
      O[Key] = read(); // the last of repeated keys wins, as in llvm::json
    } while (eat(','));
    eat('}');
    return O;
  }

  /// llvm::json decodes the escapes of the one string token.
  Cell readString() {
    size_t Begin = Pos++;
    while (Pos < Text.size() && Text[Pos] != '"')
      Pos += Text[Pos] == '\\' ? 2 : 1;
    ++Pos;
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text.slice(Begin, Pos));
    if (!V) {
      llvm::consumeError(V.takeError());
      return std::string();
    }
    return V->getAsString()->str();
  }

  /// A fraction or an exponent makes a double, as the writer spells one.
  Cell readNumber() {
    size_t Begin = Pos;
    while (Pos < Text.size() && llvm::StringRef("+-.eE0123456789").contains(Text[Pos]))
      ++Pos;
    std::string Token = Text.slice(Begin, Pos).str();
    if (Token.find_first_of(".eE") == std::string::npos) {
      int64_t I = 0;
      auto [End, Ec] = std::from_chars(Token.data(), Token.data() + Token.size(), I);
      if (Ec == std::errc() && End == Token.data() + Token.size())
        return I;
    }
    return std::strtod(Token.c_str(), nullptr);
  }
};
} // namespace

llvm::Expected<Cell> strata::parseCell(llvm::StringRef Text) {
  llvm::Expected<llvm::json::Value> Checked = parseJson(Text);
  if (!Checked)
    return Checked.takeError();
  return CellReader(Text).read();
}
