//===- Fingerprint.cpp - A schema state's meaning as a hash ---------------===//
//
// Two states with equal fingerprints give the autodetector nothing to do,
// so makemigrations can answer "no changes" from the fingerprints the build
// cache keeps with each state, without reading either state back.
//
// The fingerprint hashes a byte encoding of everything the autodetector
// compares: each relation's columns (names and types), each derived
// relation's columns and clauses, each index and its parameters, in name
// order. A clause is encoded field by field with its variables numbered by
// first appearance, so renaming variables changes nothing, and a rule's
// clauses are sorted, as canonicalClauses sorts them. Equal encodings mean
// equal canonical texts (the printer reads no field the encoding leaves
// out); the converse may fail on spellings that print alike (`01` and `1`),
// which only means a full comparison runs. Two xxHash64s over the encoding
// with different prefixes make 128 bits.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/Autodetect.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>
#include <cstring>

using namespace strata;

namespace {
class Encoder {
public:
  explicit Encoder(std::string &Out) : Out(Out) {}

  void clause(const ast::Clause &C) {
    Vars.clear();
    text(C.Head.Name);
    count(C.HeadArgs.size());
    for (const ast::HeadArg &A : C.HeadArgs)
      headArg(A);
    count(C.Body.size());
    for (const ast::BodyLiteral &L : C.Body)
      literal(L);
  }

  void count(uint64_t N) { Out.append(reinterpret_cast<const char *>(&N), sizeof N); }
  /// Length-prefixed, so that no two sequences of texts encode alike.
  void text(llvm::StringRef S) {
    count(S.size());
    Out.append(S.data(), S.size());
  }

private:
  void expr(const ast::Expr &E) {
    count(uint64_t(E.TheKind));
    if (E.TheKind == ast::Expr::Kind::Variable) {
      count(variableNumber(E.Text));
      return;
    }
    text(E.Text);
    count(uint64_t(E.IntValue));
    uint64_t Bits;
    std::memcpy(&Bits, &E.FloatValue, sizeof Bits);
    count(Bits);
    count(E.BoolValue);
    count(uint64_t(E.Op));
    count(E.Operands.size());
    for (const ast::Expr &O : E.Operands)
      expr(O);
  }

  void literal(const ast::BodyLiteral &L) {
    count(uint64_t(L.TheKind));
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison) {
      count(uint64_t(L.Op));
      expr(L.Lhs);
      expr(L.Rhs);
      return;
    }
    const ast::Atom &A = L.TheAtom;
    text(A.Relation.Name);
    count(A.IsNamed);
    count(A.Args.size());
    for (const ast::Expr &E : A.Args)
      expr(E);
    count(A.NamedArgs.size());
    for (const ast::NamedArg &N : A.NamedArgs) {
      text(N.Column.Name);
      expr(N.Value);
    }
  }

  void headArg(const ast::HeadArg &A) {
    count(A.IsAggregate);
    if (!A.IsAggregate) {
      expr(A.Value);
      return;
    }
    text(A.Aggregate.Name);
    count(A.AggArgs.size());
    for (const ast::AggregateArg &G : A.AggArgs) {
      count(G.Order.has_value());
      if (G.Order)
        text(G.Order->Name);
      expr(G.Value);
    }
  }

  /// Numbered by first appearance. A clause has a handful of variables:
  /// a scan of a reused vector allocates nothing (a map per clause did,
  /// for each of them, and the fingerprint encodes every clause).
  uint64_t variableNumber(llvm::StringRef Name) {
    for (size_t I = 0; I < Vars.size(); ++I)
      if (Vars[I] == Name)
        return I;
    Vars.push_back(Name);
    return Vars.size() - 1;
  }

  std::string &Out;
  std::vector<llvm::StringRef> Vars;
};

std::string hex16(uint64_t V) {
  std::string Hex = llvm::utohexstr(V, /*LowerCase=*/true);
  return std::string(16 - Hex.size(), '0') + Hex;
}

void columns(const ColumnList &Cs, Encoder &E) {
  E.count(Cs.size());
  for (const ColumnDef &C : Cs.Columns) {
    E.text(C.Name);
    E.text(C.Ty.str());
  }
}
} // namespace

std::string strata::schemaFingerprint(const SchemaState &S) {
  // The second hash is of the same bytes after a prefix: room for it is
  // kept at the front, so the encoding is never copied.
  const llvm::StringRef Prefix = "strata fingerprint\n";
  std::string Out(Prefix.size(), '\0');
  Encoder E(Out);
  E.count(S.relationCount());
  for (const auto &[Name, R] : S.relations()) {
    E.text(Name);
    columns(R->Columns, E);
  }
  E.count(S.derivedCount());
  std::vector<std::string> Clauses;
  for (const auto &[Name, D] : S.derived()) {
    E.text(Name);
    columns(D->Columns, E);
    Clauses.resize(D->Clauses.size()); // the strings keep their capacity
    for (size_t I = 0; I < D->Clauses.size(); ++I) {
      Clauses[I].clear();
      Encoder(Clauses[I]).clause(*D->Clauses[I]);
    }
    std::sort(Clauses.begin(), Clauses.end());
    E.count(Clauses.size());
    for (const std::string &C : Clauses)
      E.text(C);
  }
  E.count(S.indexCount());
  for (const auto &[Name, I] : S.indexes()) {
    E.text(Name);
    E.text(I->Relation);
    E.text(I->Column);
    E.count(uint64_t(I->TheMetric));
    E.count(uint64_t(I->M));
    E.count(uint64_t(I->EfConstruction));
    E.count(uint64_t(I->EfSearch));
  }
  uint64_t First = llvm::xxHash64(llvm::StringRef(Out).drop_front(Prefix.size()));
  Out.replace(0, Prefix.size(), Prefix.data(), Prefix.size());
  uint64_t Second = llvm::xxHash64(Out);
  return hex16(First) + hex16(Second);
}
