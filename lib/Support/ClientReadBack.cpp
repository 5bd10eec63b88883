//===- ClientReadBack.cpp - Doubles as the server's client reads them -----===//
//
// The server's client reads a reply's numbers with a JSON reader that does
// not round correctly: it collects the digits of the number into an
// unsigned 64-bit integer (ignoring the decimal point, but counting the
// digits after it into the exponent), converts that integer to a double,
// and then multiplies by 10^E or divides by 10^-E, each power of ten itself
// a correctly rounded double. Where the integer has more than 53 bits or
// the power is inexact, the printed value is one unit in the last place
// away from the value the server sent. The transcripts show the effect
// (11_types/43, 11_types/55); this file reproduces the reading so that the
// conformance runner prints what the client printed.
//
//===----------------------------------------------------------------------===//
#include "strata/Support/Cell.h"
#include "llvm/ADT/StringRef.h"
#include <array>
#include <cmath>
#include <cstdlib>
#include <string>

using namespace strata;

namespace {
constexpr int MaxPow10 = 308;

/// 10^0 .. 10^308, each the double nearest to the exact power.
const std::array<double, MaxPow10 + 1> &powersOfTen() {
  static const std::array<double, MaxPow10 + 1> Table = [] {
    std::array<double, MaxPow10 + 1> T{};
    for (int I = 0; I <= MaxPow10; ++I)
      T[I] = std::strtod(("1e" + std::to_string(I)).c_str(), nullptr);
    return T;
  }();
  return Table;
}

/// Significand * 10^Exp10, with the client's two roundings; an exponent
/// past the table divides by 10^308 first, as the client's reader does.
double scaleByPowerOfTen(uint64_t Significand, int Exp10) {
  double F = double(Significand);
  const auto &Pow = powersOfTen();
  while (std::abs(Exp10) > MaxPow10) {
    if (F == 0 || Exp10 > 0)
      return Exp10 > 0 && F != 0 ? HUGE_VAL : F;
    F /= Pow[MaxPow10];
    Exp10 += MaxPow10;
  }
  return Exp10 >= 0 ? F * Pow[Exp10] : F / Pow[-Exp10];
}

/// Reads JSON number Text (as doubleText writes it: at most 18 digits, so
/// the significand never overflows) the client's way.
double readLikeClient(llvm::StringRef Text) {
  bool Negative = Text.consume_front("-");
  uint64_t Significand = 0;
  int Exp10 = 0;
  bool AfterPoint = false;
  while (!Text.empty()) {
    char C = Text.front();
    if (C == '.') {
      AfterPoint = true;
    } else if (C >= '0' && C <= '9') {
      Significand = Significand * 10 + uint64_t(C - '0');
      if (AfterPoint)
        --Exp10;
    } else {
      break; // the exponent
    }
    Text = Text.drop_front();
  }
  if (Text.consume_front("e") || Text.consume_front("E")) {
    int Written = 0;
    Text.consume_front("+");
    bool NegativeExp = Text.consume_front("-");
    Text.getAsInteger(10, Written);
    Exp10 += NegativeExp ? -Written : Written;
  }
  double F = scaleByPowerOfTen(Significand, Exp10);
  return Negative ? -F : F;
}
} // namespace

double strata::clientReadBack(double D) {
  if (!std::isfinite(D))
    return D; // sent as null: nothing is read back
  return readLikeClient(doubleText(D));
}

Cell strata::clientReadBack(const Cell &C) {
  switch (C.kind()) {
  case Cell::Kind::Double:
    return Cell(clientReadBack(*C.getAsNumber()));
  case Cell::Kind::List: {
    Cell::ListT L;
    for (const Cell &E : *C.getAsList())
      L.push_back(clientReadBack(E));
    return Cell(std::move(L));
  }
  case Cell::Kind::Object: {
    Cell::ObjectT O;
    for (const auto &[Key, E] : *C.getAsObject())
      O.emplace(Key, clientReadBack(E));
    return Cell(std::move(O));
  }
  default:
    return C;
  }
}
