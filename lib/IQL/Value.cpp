//===- Value.cpp - One cell of a fact ---------------------------------------===//
#include "strata/IQL/Value.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>

using namespace strata::iql;

namespace {
/// A list value's block.
struct ListBlock : detail::ValueBlock {
  explicit ListBlock(std::vector<Value> E) : Elements(std::move(E)) {}
  const std::vector<Value> Elements;
};
} // namespace

const std::string &detail::emptyText() {
  static const std::string Empty;
  return Empty;
}

void Value::releaseBlock() {
  // The sole owner needs no atomic decrement: no other value can copy
  // the block meanwhile.
  if (Payload.P->Owners.load(std::memory_order_acquire) != 1 &&
      Payload.P->Owners.fetch_sub(1, std::memory_order_acq_rel) != 1)
    return;
  if (K == Kind::String)
    delete static_cast<const detail::StringBlock *>(Payload.P);
  else
    delete static_cast<const ListBlock *>(Payload.P);
}

Value Value::boolean(bool B) {
  Value V;
  V.K = Kind::Bool;
  V.Payload.B = B;
  return V;
}

Value Value::integer(int64_t I) {
  Value V;
  V.K = Kind::Int;
  V.Payload.I = I;
  return V;
}

Value Value::real(double D) {
  Value V;
  V.K = Kind::Float;
  V.Payload.D = D == 0.0 ? 0.0 : D; // -0.0 and 0.0 are one value
  return V;
}

Value Value::string(std::string S) {
  Value V;
  V.K = Kind::String;
  V.Payload.P = S.empty() ? nullptr : new detail::StringBlock(std::move(S));
  return V;
}

Value Value::list(std::vector<Value> Elements) {
  Value V;
  V.K = Kind::List;
  V.Payload.P = Elements.empty() ? nullptr : new ListBlock(std::move(Elements));
  return V;
}

const std::vector<Value> &Value::asList() const {
  static const std::vector<Value> Empty;
  if (K == Kind::List && Payload.P)
    return static_cast<const ListBlock *>(Payload.P)->Elements;
  return Empty;
}

bool Value::equalSameKind(const Value &O) const {
  switch (K) {
  case Kind::Null:
    return true;
  case Kind::Bool:
    return Payload.B == O.Payload.B;
  case Kind::Int:
    return Payload.I == O.Payload.I;
  case Kind::Float:
    // Bitwise, so that NaN equals itself and sets stay sets.
    return std::memcmp(&Payload.D, &O.Payload.D, sizeof(double)) == 0;
  case Kind::String:
    return Payload.P == O.Payload.P || asString() == O.asString();
  case Kind::List:
    return Payload.P == O.Payload.P || asList() == O.asList();
  }
  return false;
}

size_t Value::stringHash() const {
  const auto *Block = static_cast<const detail::StringBlock *>(Payload.P);
  if (!Block)
    return std::hash<std::string>()(detail::emptyText());
  size_t H = Block->Hash.load(std::memory_order_relaxed);
  if (H == 0) {
    H = std::hash<std::string>()(Block->Text);
    Block->Hash.store(H, std::memory_order_relaxed);
  }
  return H;
}

using detail::mixHash;

size_t Value::hash() const {
  size_t H = size_t(K);
  switch (K) {
  case Kind::Null:
    return H;
  case Kind::Bool:
    return mixHash(H, Payload.B);
  case Kind::Int:
    return mixHash(H, std::hash<int64_t>()(Payload.I));
  case Kind::Float: {
    uint64_t Bits;
    std::memcpy(&Bits, &Payload.D, sizeof Bits);
    return mixHash(H, std::hash<uint64_t>()(Bits));
  }
  case Kind::String:
    return mixHash(H, stringHash());
  case Kind::List:
    for (const Value &E : asList())
      H = mixHash(H, E.hash());
    return H;
  }
  return H;
}

strata::Cell Value::toCell() const {
  switch (K) {
  case Kind::Null:
    return nullptr;
  case Kind::Bool:
    return Payload.B;
  case Kind::Int:
    return Payload.I;
  case Kind::Float:
    if (!std::isfinite(Payload.D))
      return nullptr; // JSON has no infinities
    return Payload.D;
  case Kind::String:
    return asString();
  case Kind::List: {
    strata::Cell::ListT L;
    for (const Value &E : asList())
      L.push_back(E.toCell());
    return L;
  }
  }
  return nullptr;
}

static std::string floatLiteral(double D) {
  if (std::isnan(D))
    return "null"; // never stored: arithmetic turns NaN into null
  if (std::isinf(D))
    return D > 0 ? "1e999" : "-1e999";
  char Buf[40];
  if (std::fabs(D) < 1e15 && std::trunc(D) == D) {
    std::snprintf(Buf, sizeof Buf, "%.1f", D);
    return Buf;
  }
  std::snprintf(Buf, sizeof Buf, "%.17g", D);
  std::string S = Buf;
  // Shortest text that reads back exactly, for readable state files.
  for (int Precision = 1; Precision < 17; ++Precision) {
    std::snprintf(Buf, sizeof Buf, "%.*g", Precision, D);
    if (std::strtod(Buf, nullptr) == D) {
      S = Buf;
      break;
    }
  }
  if (S.find_first_of(".eEn") == std::string::npos)
    S += ".0";
  return S;
}

static std::string quoted(const std::string &S) {
  std::string Out = "\"";
  for (char C : S) {
    switch (C) {
    case '"':
      Out += "\\\"";
      break;
    case '\\':
      Out += "\\\\";
      break;
    case '\n':
      Out += "\\n";
      break;
    case '\t':
      Out += "\\t";
      break;
    case '\r':
      Out += "\\r";
      break;
    default:
      Out += C;
    }
  }
  return Out + "\"";
}

std::string Value::literal() const {
  switch (K) {
  case Kind::Null:
    return "null";
  case Kind::Bool:
    return Payload.B ? "true" : "false";
  case Kind::Int:
    return std::to_string(Payload.I);
  case Kind::Float:
    return floatLiteral(Payload.D);
  case Kind::String:
    return quoted(asString());
  case Kind::List: {
    std::string S = "[";
    bool First = true;
    for (const Value &E : asList()) {
      if (!First)
        S += ", ";
      First = false;
      S += E.literal();
    }
    return S + "]";
  }
  }
  return "null";
}

static int rank(Value::Kind K) {
  switch (K) {
  case Value::Kind::Null:
    return 0;
  case Value::Kind::Bool:
    return 1;
  case Value::Kind::Int:
  case Value::Kind::Float:
    return 2;
  case Value::Kind::String:
    return 3;
  case Value::Kind::List:
    return 4;
  }
  return 5;
}

int strata::iql::compareValues(const Value &A, const Value &B) {
  int RA = rank(A.kind()), RB = rank(B.kind());
  if (RA != RB)
    return RA < RB ? -1 : 1;
  switch (A.kind()) {
  case Value::Kind::Null:
    return 0;
  case Value::Kind::Bool:
    return int(A.asBool()) - int(B.asBool());
  case Value::Kind::Int:
  case Value::Kind::Float: {
    if (A.kind() == Value::Kind::Int && B.kind() == Value::Kind::Int)
      return A.asInt() < B.asInt() ? -1 : A.asInt() > B.asInt() ? 1 : 0;
    double X = A.toDouble(), Y = B.toDouble();
    if (X < Y)
      return -1;
    if (X > Y)
      return 1;
    if (A.kind() != B.kind())
      return A.kind() == Value::Kind::Int ? -1 : 1;
    bool NX = std::isnan(X), NY = std::isnan(Y);
    return NX == NY ? 0 : NX ? 1 : -1;
  }
  case Value::Kind::String: {
    int C = A.asString().compare(B.asString());
    return C < 0 ? -1 : C > 0 ? 1 : 0;
  }
  case Value::Kind::List: {
    const auto &X = A.asList(), &Y = B.asList();
    for (size_t I = 0; I < X.size() && I < Y.size(); ++I)
      if (int C = compareValues(X[I], Y[I]))
        return C;
    return X.size() < Y.size() ? -1 : X.size() > Y.size() ? 1 : 0;
  }
  }
  return 0;
}
