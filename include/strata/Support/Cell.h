//===- Cell.h - One value of a reply, keeping its number kind ---*- C++ -*-===//
//
// A cell of a reply row: null, a boolean, an integer, a double, a string,
// a list or an object (keys sorted). llvm::json::Value keeps whether a
// number is an integer or a double private, and prints `-74.0` as `-74`,
// so a reply built from it cannot show a whole double as the server does.
// A Cell keeps the kind from the engine's value (or the frame's text) to
// the printed table and the written frame.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_CELL_H
#define STRATA_SUPPORT_CELL_H

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace strata {

class Cell {
public:
  enum class Kind { Null, Boolean, Integer, Double, String, List, Object };
  using ListT = std::vector<Cell>;
  using ObjectT = std::map<std::string, Cell>;

  Cell() = default;
  Cell(std::nullptr_t) {}
  Cell(bool B) : V(B) {}
  template <typename T, typename = std::enable_if_t<std::is_integral<T>::value &&
                                                    !std::is_same<T, bool>::value>>
  Cell(T I) : V(int64_t(I)) {}
  Cell(double D) : V(D) {}
  Cell(std::string S) : V(std::move(S)) {}
  Cell(const char *S) : V(std::string(S)) {}
  Cell(llvm::StringRef S) : V(S.str()) {}
  Cell(ListT L) : V(std::move(L)) {}
  Cell(ObjectT O) : V(std::move(O)) {}

  /// A cell from a JSON tree. llvm::json cannot tell a negative whole
  /// double from an integer, so such a number becomes an integer; read
  /// text with parseCell to keep the kind.
  static Cell fromJson(const llvm::json::Value &V);
  /// The cell as a JSON tree, which prints a whole double as an integer;
  /// write text with cellJson to keep the kind.
  llvm::json::Value toJson() const;

  Kind kind() const { return Kind(V.index()); }
  bool isNull() const { return kind() == Kind::Null; }
  bool isNumber() const { return kind() == Kind::Integer || kind() == Kind::Double; }
  llvm::Optional<bool> getAsBoolean() const;
  /// Only for an integer (a double, even a whole one, is not).
  llvm::Optional<int64_t> getAsInteger() const;
  /// For an integer or a double.
  llvm::Optional<double> getAsNumber() const;
  llvm::Optional<llvm::StringRef> getAsString() const;
  const ListT *getAsList() const { return std::get_if<ListT>(&V); }
  const ObjectT *getAsObject() const { return std::get_if<ObjectT>(&V); }

  /// Same kind and value (1 and 1.0 differ; doubles compare with ==).
  friend bool operator==(const Cell &A, const Cell &B) { return A.V == B.V; }
  friend bool operator!=(const Cell &A, const Cell &B) { return !(A == B); }

private:
  // Alternatives in the order of Kind.
  std::variant<std::monostate, bool, int64_t, double, std::string, ListT, ObjectT> V;
};

/// A double as the server's JSON library writes it: the shortest digits
/// that read back to the same value, always with a fraction (`5.0`) or an
/// exponent (`1e20`), so it reads back as a double; `null` if not finite.
std::string doubleText(double D);

/// The double the server's interactive client shows for D. The server
/// writes D as doubleText does; the client's JSON reader then takes the
/// digits as a 64-bit integer and multiplies or divides that (as a double)
/// by the power of ten of the exponent: two roundings, where a correct
/// reading has one. So `3e100` comes back as 3.0000000000000002e100 and
/// `0.09999999999999999` as 0.1 (conformance 11_types/55, 11_types/43);
/// most values come back unchanged.
double clientReadBack(double D);

/// C with every double in it (in lists and records too) replaced by
/// clientReadBack of it.
Cell clientReadBack(const Cell &C);

/// C as compact JSON text, object keys sorted, doubles by doubleText.
std::string cellJson(const Cell &C);

/// Reads JSON text (bounded in depth like parseJson) into a cell: a number
/// with a fraction or an exponent is a double, one without an integer (a
/// double if it does not fit in 64 bits).
llvm::Expected<Cell> parseCell(llvm::StringRef Text);

} // namespace strata

#endif
