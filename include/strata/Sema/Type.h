//===- Type.h - Semantic column types ---------------------------*- C++ -*-===//
//
// The column types the InputLayer server accepts, resolved from their
// syntactic form (ast::TypeExpr). A Type is a small value: scalar kinds carry
// no payload, compound ones share an immutable payload, so copying is cheap.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SEMA_TYPE_H
#define STRATA_SEMA_TYPE_H

#include "strata/AST/Type.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata {

class Type;

struct RecordField;

class Type {
public:
  enum class Kind : unsigned char { Int, Float, String, Bool, Vector, List, Record };

  static Type intTy() { return Type(Kind::Int); }
  static Type floatTy() { return Type(Kind::Float); }
  static Type stringTy() { return Type(Kind::String); }
  static Type boolTy() { return Type(Kind::Bool); }
  /// `vector` (Dim 0: any dimension) or `vector(Dim)`.
  static Type vectorTy(uint32_t Dim = 0);
  static Type listTy(Type Element);
  /// Fields keep their declared order.
  static Type recordTy(std::vector<RecordField> Fields);

  Kind kind() const { return TheKind; }
  bool isNumeric() const { return TheKind == Kind::Int || TheKind == Kind::Float; }
  /// 0 when the vector has no fixed dimension (or this is not a vector).
  uint32_t vectorDim() const { return Dim; }
  /// The element type of a list. Only valid for lists.
  const Type &element() const;
  /// The fields of a record; empty for other kinds.
  const std::vector<RecordField> &fields() const;

  /// The canonical spelling: `int`, `vector(384)`, `list[string]`,
  /// `{street: string, zip: int}`.
  void print(llvm::raw_ostream &OS) const;
  std::string str() const;

  /// Structural equality.
  friend bool operator==(const Type &A, const Type &B);
  friend bool operator!=(const Type &A, const Type &B) { return !(A == B); }

  /// Whether values of the two types can be compared with each other:
  /// equal kinds, or both numeric (int and float mix).
  static bool comparable(const Type &A, const Type &B);

private:
  explicit Type(Kind K) : TheKind(K) {}

  struct Payload;
  Kind TheKind;
  uint32_t Dim = 0;
  std::shared_ptr<const Payload> Data;
};

bool operator==(const Type &A, const Type &B);

struct RecordField {
  std::string Name;
  Type Ty;
};

/// The largest vector dimension Strata accepts.
constexpr int64_t MaxVectorDimension = 1 << 20;

/// Resolves a type as written. Rejects what the server rejects (`timestamp`,
/// `symbol`, `int64`, `vector[N]`, named types, ...) with a diagnostic and
/// returns nullopt; every problem inside the type is reported.
std::optional<Type> resolveType(const ast::TypeExpr &T, DiagnosticEngine &Diags);

} // namespace strata

#endif
