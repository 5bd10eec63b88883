//===- SerializeAST.cpp - Syntax trees as bytes ---------------------------===//
//
// Every struct is written field by field in declaration order, by a writer
// and a reader that mirror each other: one overload of write() and read()
// per AST struct, and generic ones for vectors, optionals, variants and the
// operations (which list their fields, see STRATA_OPERATION_FIELDS).
// Nothing is skipped because the parser happens to leave it at its default,
// so whatever a tree holds comes back.
//
// Expressions are the bulk of a file, so they are packed: the kind and a
// mask of the fields that differ from their defaults share one varint, and
// only those fields follow.
//
//===----------------------------------------------------------------------===//
#include "strata/Serialize/Serialize.h"
#include <algorithm>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <variant>

using namespace strata;
using namespace strata::serialize;

namespace {

/// The parser allows 100 open brackets and 1000 operators per expression,
/// and folds operator chains into a left spine one level per operator, so
/// its trees stay far below this. Deeper ones are damage.
constexpr unsigned MaxDepth = 4096;

/// Every element of every vector below takes at least two bytes (a string
/// length or a kind, and a location tag), so a count is checked against that.
constexpr size_t MinElementBytes = 2;

/// How many elements to reserve before reading them. Counts are already
/// bounded by the bytes left, but in a deep tree a damaged count at every
/// level could still add up; vectors inside recursive nodes reserve little.
template <typename T>
constexpr uint64_t ReserveLimit =
    std::is_same_v<T, ast::Expr> || std::is_same_v<T, ast::TypeExpr> ||
            std::is_same_v<T, ast::TypeField>
        ? 16
        : 4096;

/// The index of T among the alternatives of Variant.
template <typename T, typename Variant> struct AlternativeOf;
template <typename T, typename... Ts> struct AlternativeOf<T, std::variant<Ts...>> {
  static constexpr size_t index() {
    constexpr bool Same[] = {std::is_same_v<T, Ts>...};
    for (size_t I = 0; I < sizeof...(Ts); ++I)
      if (Same[I])
        return I;
    return sizeof...(Ts);
  }
};

// An operation's serialized tag is its alternative's index; caches written
// before a kind was added must still read, so the tags are pinned here.
#define OPERATION(Kind, Name, Keyword, Marker, Tag)                                                \
  static_assert(AlternativeOf<ast::Kind##Op, ast::OperationBody>::index() == Tag,                  \
                "Operations.def: tag of " #Kind " changed; keep the lines in tag order");
#include "strata/AST/Operations.def"

// The fields of an Expr that differ from their defaults, above its kind.
constexpr uint64_t HasText = 1 << 0;
constexpr uint64_t HasInt = 1 << 1;
constexpr uint64_t HasFloat = 1 << 2;
constexpr uint64_t BoolTrue = 1 << 3;
constexpr uint64_t HasOp = 1 << 4;
constexpr uint64_t HasOperands = 1 << 5;
constexpr uint64_t AllExprFields = (1 << 6) - 1;
constexpr unsigned ExprKindBits = 4;
static_assert(unsigned(ast::Expr::Kind::Error) < (1u << ExprKindBits));

/// Operands a kind must have; -1: any number.
int operandArity(ast::Expr::Kind K) {
  switch (K) {
  case ast::Expr::Kind::Negate:
  case ast::Expr::Kind::Paren:
    return 1;
  case ast::Expr::Kind::Binary:
    return 2;
  case ast::Expr::Kind::List:
  case ast::Expr::Kind::Call:
    return -1;
  default:
    return 0;
  }
}

uint64_t floatBits(double D) {
  uint64_t Bits;
  std::memcpy(&Bits, &D, sizeof Bits);
  return Bits;
}

class ASTWriter {
public:
  ASTWriter(const LocationEncoder &L, BinaryWriter &W) : L(L), W(W) {}

  void write(llvm::SMRange R) { L.write(R, W); }
  void write(const std::string &S) { W.str(S); }
  void write(const ast::Ident &I) {
    write(I.Name);
    write(I.Range);
  }
  template <typename E> void writeEnum(E V) { W.u64(static_cast<uint64_t>(V)); }

  template <typename T> void write(const std::vector<T> &V) {
    W.u64(V.size());
    for (const T &X : V)
      write(X);
  }
  template <typename T> void write(const std::optional<T> &O) {
    W.boolean(O.has_value());
    if (O)
      write(*O);
  }
  template <typename T> void write(const ast::BoxedOptional<T> &O) {
    W.boolean(O.has_value());
    if (O)
      write(*O);
  }
  template <typename... Ts> void write(const std::variant<Ts...> &V) {
    W.u64(V.index());
    std::visit([&](const auto &X) { write(X); }, V);
  }

  // ---- expressions, types, rules

  void write(const ast::Expr &E) {
    uint64_t Fields = (E.Text.empty() ? 0 : HasText) | (E.IntValue ? HasInt : 0) |
                      (floatBits(E.FloatValue) ? HasFloat : 0) | (E.BoolValue ? BoolTrue : 0) |
                      (E.Op != ast::BinaryOp::Add ? HasOp : 0) |
                      (E.Operands.empty() ? 0 : HasOperands);
    W.u64(Fields << ExprKindBits | static_cast<uint64_t>(E.TheKind));
    write(E.Range);
    if (Fields & HasText)
      write(E.Text);
    if (Fields & HasInt)
      W.i64(E.IntValue);
    if (Fields & HasFloat)
      W.f64(E.FloatValue);
    if (Fields & HasOp)
      writeEnum(E.Op);
    if (Fields & HasOperands)
      write(E.Operands);
  }

  void write(const ast::TypeExpr &T) {
    writeEnum(T.TheForm);
    write(T.Name);
    W.i64(T.Size);
    write(T.Element);
    write(T.Fields);
    write(T.Range);
  }
  void write(const ast::TypeField &F) {
    write(F.Name);
    write(F.Type);
  }

  void write(const ast::NamedArg &A) {
    write(A.Column);
    write(A.Value);
  }
  void write(const ast::Atom &A) {
    write(A.Relation);
    W.boolean(A.IsNamed);
    write(A.Args);
    write(A.NamedArgs);
    write(A.Range);
  }
  void write(const ast::BodyLiteral &B) {
    writeEnum(B.TheKind);
    write(B.TheAtom);
    writeEnum(B.Op);
    write(B.Lhs);
    write(B.Rhs);
    write(B.Range);
  }
  void write(const ast::AggregateArg &A) {
    write(A.Value);
    write(A.Order);
  }
  void write(const ast::HeadArg &A) {
    W.boolean(A.IsAggregate);
    write(A.Aggregate);
    write(A.AggArgs);
    write(A.Value);
    write(A.Range);
  }
  void write(const ast::Clause &C) {
    write(C.Head);
    write(C.HeadArgs);
    write(C.HeadRange);
    write(C.Body);
    write(C.Range);
  }

  // ---- declarations

  void write(const ast::Column &C) {
    write(C.Name);
    write(C.Type);
    write(C.Fill);
    write(C.RenamedFrom);
    write(C.Range);
  }
  void write(const ast::RelationDecl &D) {
    write(D.Name);
    write(D.RenamedFrom);
    write(D.Columns);
    W.boolean(D.BlockForm);
    write(D.Range);
  }
  void write(const ast::DerivedDecl &D) {
    write(D.Name);
    write(D.RenamedFrom);
    write(D.Columns);
    write(D.Clauses);
    write(D.Range);
  }
  void write(const ast::IndexOption &O) {
    write(O.Key);
    writeEnum(O.ValueKind);
    write(O.Value);
    write(O.ValueRange);
  }
  void write(const ast::IndexDecl &D) {
    write(D.Name);
    write(D.Relation);
    write(D.Column);
    write(D.Options);
    W.boolean(D.HasOptionList);
    write(D.Range);
  }

  // ---- migrations

  void write(const ast::ColumnPosition &P) {
    W.boolean(P.First);
    write(P.After);
    write(P.Range);
  }
  void write(const ast::CastExpr &C) {
    write(C.Var);
    write(C.Body);
  }
  void write(const ast::IqlText &T) {
    write(T.Text);
    write(T.Range);
  }
  /// Every operation kind: its fields in the order fields() lists them.
  template <typename Op> auto write(const Op &O) -> decltype(O.fields(), void()) {
    std::apply([&](const auto &...Field) { (write(Field), ...); }, O.fields());
  }
  template <typename B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0> void write(B V) {
    W.boolean(V);
  }
  void write(const ast::Operation &O) {
    write(O.Body);
    write(O.Range);
  }
  void write(const ast::MigrationDecl &M) {
    write(M.Name);
    write(M.Depends);
    write(M.Replaces);
    write(M.Operations);
    write(M.Range);
  }

  void write(const ast::Comment &C) {
    write(C.Text);
    write(C.Range);
  }

private:
  const LocationEncoder &L;
  BinaryWriter &W;
};

/// Mirrors ASTWriter. Reads into default-constructed nodes (fresh vector
/// elements, a just-emplaced variant alternative) and fails the reader on
/// anything out of range; the caller checks R.ok() once at the end.
class ASTReader {
public:
  ASTReader(BinaryReader &R, const LocationDecoder &L) : R(R), L(L) {}

  void read(llvm::SMRange &Out) { Out = L.read(R); }
  void read(std::string &Out) {
    llvm::StringRef S = R.str();
    Out.assign(S.data(), S.size());
  }
  void read(ast::Ident &I) {
    read(I.Name);
    read(I.Range);
  }
  void read(bool &B) { B = R.boolean(); }
  /// Enums are validated: Last is the largest enumerator.
  template <typename E> void readEnum(E &Out, E Last) {
    uint64_t V = R.u64();
    if (V > static_cast<uint64_t>(Last)) {
      R.fail();
      return;
    }
    Out = static_cast<E>(V);
  }

  template <typename T> void read(std::vector<T> &V) {
    uint64_t N = R.count(MinElementBytes);
    V.clear();
    V.reserve(std::min(N, ReserveLimit<T>));
    for (uint64_t I = 0; I < N && R.ok(); ++I)
      read(V.emplace_back());
  }
  template <typename T> void read(std::optional<T> &O) {
    if (R.boolean())
      read(O.emplace());
    else
      O.reset();
  }
  template <typename T> void read(ast::BoxedOptional<T> &O) {
    if (R.boolean())
      read(O.emplace());
    else
      O.reset();
  }
  template <typename... Ts> void read(std::variant<Ts...> &V) { readAlternative<0>(V, R.u64()); }
  template <size_t I, typename... Ts> void readAlternative(std::variant<Ts...> &V, uint64_t Index) {
    if constexpr (I < sizeof...(Ts)) {
      if (Index == I)
        read(V.template emplace<I>());
      else
        readAlternative<I + 1>(V, Index);
    } else {
      R.fail();
    }
  }

  // ---- expressions, types, rules

  void read(ast::Expr &E) {
    Nested Guard(*this);
    if (!R.ok())
      return;
    uint64_t Head = R.u64();
    uint64_t Kind = Head & ((1u << ExprKindBits) - 1);
    uint64_t Fields = Head >> ExprKindBits;
    if (Kind > uint64_t(ast::Expr::Kind::Error) || Fields > AllExprFields) {
      R.fail();
      return;
    }
    E.TheKind = static_cast<ast::Expr::Kind>(Kind);
    read(E.Range);
    if (Fields & HasText)
      read(E.Text);
    else
      E.Text.clear();
    E.IntValue = Fields & HasInt ? R.i64() : 0;
    E.FloatValue = Fields & HasFloat ? R.f64() : 0;
    E.BoolValue = Fields & BoolTrue;
    E.Op = ast::BinaryOp::Add;
    if (Fields & HasOp)
      readEnum(E.Op, ast::BinaryOp::Mod);
    if (Fields & HasOperands)
      read(E.Operands);
    else
      E.Operands.clear();
    // Printers and checkers index operands by kind without checking.
    int Arity = operandArity(E.TheKind);
    if (Arity >= 0 && E.Operands.size() != size_t(Arity))
      R.fail();
  }

  void read(ast::TypeExpr &T) {
    Nested Guard(*this);
    if (!R.ok())
      return;
    readEnum(T.TheForm, ast::TypeExpr::Form::Record);
    read(T.Name);
    T.Size = R.i64();
    read(T.Element);
    read(T.Fields);
    read(T.Range);
  }
  void read(ast::TypeField &F) {
    read(F.Name);
    read(F.Type);
  }

  void read(ast::NamedArg &A) {
    read(A.Column);
    read(A.Value);
  }
  void read(ast::Atom &A) {
    read(A.Relation);
    read(A.IsNamed);
    read(A.Args);
    read(A.NamedArgs);
    read(A.Range);
  }
  /// A comparison's side. An atom's sides are written as empty
  /// expressions and stay unallocated.
  void readSide(const ast::BodyLiteral &B, ast::Boxed<ast::Expr> &Side) {
    ast::Expr E;
    read(E);
    if (B.TheKind == ast::BodyLiteral::Kind::Comparison)
      Side = std::move(E);
    else
      Side = ast::Boxed<ast::Expr>();
  }
  void read(ast::BodyLiteral &B) {
    readEnum(B.TheKind, ast::BodyLiteral::Kind::Comparison);
    read(B.TheAtom);
    readEnum(B.Op, ast::CompareOp::Ge);
    readSide(B, B.Lhs);
    readSide(B, B.Rhs);
    read(B.Range);
  }
  void read(ast::AggregateArg &A) {
    read(A.Value);
    read(A.Order);
  }
  void read(ast::HeadArg &A) {
    read(A.IsAggregate);
    read(A.Aggregate);
    read(A.AggArgs);
    read(A.Value);
    read(A.Range);
  }
  void read(ast::Clause &C) {
    read(C.Head);
    read(C.HeadArgs);
    read(C.HeadRange);
    read(C.Body);
    read(C.Range);
  }

  // ---- declarations

  void read(ast::Column &C) {
    read(C.Name);
    read(C.Type);
    read(C.Fill);
    read(C.RenamedFrom);
    read(C.Range);
  }
  void read(ast::RelationDecl &D) {
    read(D.Name);
    read(D.RenamedFrom);
    read(D.Columns);
    read(D.BlockForm);
    read(D.Range);
  }
  void read(ast::DerivedDecl &D) {
    read(D.Name);
    read(D.RenamedFrom);
    read(D.Columns);
    read(D.Clauses);
    read(D.Range);
  }
  void read(ast::IndexOption &O) {
    read(O.Key);
    readEnum(O.ValueKind, ast::IndexOption::Kind::Float);
    read(O.Value);
    read(O.ValueRange);
  }
  void read(ast::IndexDecl &D) {
    read(D.Name);
    read(D.Relation);
    read(D.Column);
    read(D.Options);
    read(D.HasOptionList);
    read(D.Range);
  }

  // ---- migrations

  void read(ast::ColumnPosition &P) {
    read(P.First);
    read(P.After);
    read(P.Range);
  }
  void read(ast::CastExpr &C) {
    read(C.Var);
    read(C.Body);
  }
  void read(ast::IqlText &T) {
    read(T.Text);
    read(T.Range);
  }
  template <typename Op> auto read(Op &O) -> decltype(O.fields(), void()) {
    std::apply([&](auto &...Field) { (read(Field), ...); }, O.fields());
  }
  void read(ast::Operation &O) {
    read(O.Body);
    read(O.Range);
  }
  void read(ast::MigrationDecl &M) {
    read(M.Name);
    read(M.Depends);
    read(M.Replaces);
    read(M.Operations);
    read(M.Range);
  }

  void read(ast::Comment &C) {
    read(C.Text);
    read(C.Range);
  }

private:
  /// Counts the levels of recursive nodes being read; too deep fails.
  class Nested {
  public:
    explicit Nested(ASTReader &Reader) : Reader(Reader) {
      if (++Reader.Depth > MaxDepth)
        Reader.R.fail();
    }
    ~Nested() { --Reader.Depth; }

  private:
    ASTReader &Reader;
  };

  BinaryReader &R;
  const LocationDecoder &L;
  unsigned Depth = 0;
};

} // namespace

void strata::serialize::writeExpr(const ast::Expr &E, const LocationEncoder &L, BinaryWriter &W) {
  ASTWriter(L, W).write(E);
}

bool strata::serialize::readExpr(BinaryReader &R, const LocationDecoder &L, ast::Expr &Out) {
  ASTReader(R, L).read(Out);
  return R.ok();
}

void strata::serialize::writeClause(const ast::Clause &C, const LocationEncoder &L,
                                    BinaryWriter &W) {
  ASTWriter(L, W).write(C);
}

bool strata::serialize::readClause(BinaryReader &R, const LocationDecoder &L, ast::Clause &Out) {
  // Vectors and optionals are reset as they are read; the rest is assigned.
  ASTReader(R, L).read(Out);
  return R.ok();
}

void strata::serialize::writeItem(const ast::Item &I, const LocationEncoder &L, BinaryWriter &W) {
  ASTWriter(L, W).write(I);
}

bool strata::serialize::readItem(BinaryReader &R, const LocationDecoder &L, ast::Item &Out) {
  ASTReader(R, L).read(Out);
  return R.ok();
}

void strata::serialize::writeComment(const ast::Comment &C, const LocationEncoder &L,
                                     BinaryWriter &W) {
  ASTWriter(L, W).write(C);
}

bool strata::serialize::readComment(BinaryReader &R, const LocationDecoder &L, ast::Comment &Out) {
  ASTReader(R, L).read(Out);
  return R.ok();
}
