//===- SerializeTest.cpp - Cache encoding: round trips and damage ---------===//
//
// What is read back must be exactly what was parsed or analysed: the dumps
// agree, and so does a fingerprint of every field and every range (as
// offsets from one buffer, so equal fingerprints mean identical pointers).
// Damaged bytes must fail to read, never crash.
//
//===----------------------------------------------------------------------===//
#include "strata/Serialize/Serialize.h"
#include "strata/AST/ASTDumper.h"
#include "strata/AST/Printer.h"
#include "strata/Parse/Parser.h"
#include "strata/Sema/Sema.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <set>

using namespace strata;
using namespace strata::serialize;

namespace {

// ---- fixtures

/// Source buffers and what parsing them gives.
struct Sources {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};

  unsigned add(const std::string &Text, const std::string &Name) {
    std::optional<unsigned> ID = addSourceText(Text, Name, Diags);
    EXPECT_TRUE(ID.has_value());
    return ID.value_or(0);
  }
  llvm::StringRef buffer(unsigned ID) const { return SM.getMemoryBuffer(ID)->getBuffer(); }
  ast::SourceFile parse(unsigned ID, ast::FileKind Kind) { return parseBuffer(ID, Kind, Diags); }
  /// The diagnostics, rendered, for failure messages.
  std::string problems() const {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    renderDiagnostics(Diags, OS, RenderOptions());
    return OS.str();
  }
  std::string dump(const ast::SourceFile &F) const {
    std::string S;
    llvm::raw_string_ostream OS(S);
    ast::dumpAST(F, SM, OS);
    return OS.str();
  }
};

/// Every field of a tree as text, ranges as offsets from Base. Unlike the
/// AST dump it shows end positions, values the printer does not (a float's
/// bits, a bool's spelling) and the nodes the dump skips.
class Fingerprint {
public:
  explicit Fingerprint(const char *Base) : Base(Base) {}
  std::string Out;
  std::set<ast::Expr::Kind> ExprKinds;
  std::set<size_t> OperationKinds;

  void add(llvm::SMRange R) {
    if (!R.isValid()) {
      Out += "@-";
      return;
    }
    // Integers, not pointer arithmetic: Base need not be in R's buffer.
    auto offset = [&](llvm::SMLoc L) {
      return std::to_string(
          int64_t(reinterpret_cast<uintptr_t>(L.getPointer()) - reinterpret_cast<uintptr_t>(Base)));
    };
    Out += "@" + offset(R.Start) + ":" + offset(R.End);
  }
  void add(const std::string &S) { Out += "'" + S + "'"; }
  void add(bool B) { Out += B ? "T" : "F"; }
  void add(int64_t V) { Out += "#" + std::to_string(V); }
  void add(const ast::Ident &I) {
    add(I.Name);
    add(I.Range);
  }
  template <typename T> void add(const std::vector<T> &V) {
    Out += "[" + std::to_string(V.size());
    for (const T &X : V) {
      Out += " ";
      add(X);
    }
    Out += "]";
  }
  template <typename T> void add(const std::optional<T> &O) {
    if (!O) {
      Out += "none";
      return;
    }
    Out += "some ";
    add(*O);
  }
  template <typename T> void add(const ast::BoxedOptional<T> &O) {
    if (!O) {
      Out += "none";
      return;
    }
    Out += "some ";
    add(*O);
  }

  void add(const ast::Expr &E) {
    ExprKinds.insert(E.TheKind);
    uint64_t Bits;
    std::memcpy(&Bits, &E.FloatValue, sizeof Bits);
    Out += "(E" + std::to_string(int(E.TheKind));
    add(E.Range);
    add(E.Text);
    add(E.IntValue);
    Out += "f" + std::to_string(Bits);
    add(E.BoolValue);
    Out += "op" + std::to_string(int(E.Op));
    add(E.Operands);
    Out += ")";
  }
  void add(const ast::TypeExpr &T) {
    Out += "(T" + std::to_string(int(T.TheForm));
    add(T.Name);
    add(T.Size);
    add(T.Element);
    for (const ast::TypeField &F : T.Fields) {
      add(F.Name);
      add(F.Type);
    }
    add(T.Range);
    Out += ")";
  }
  void add(const ast::Atom &A) {
    add(A.Relation);
    add(A.IsNamed);
    add(A.Args);
    for (const ast::NamedArg &N : A.NamedArgs) {
      add(N.Column);
      add(N.Value);
    }
    add(A.Range);
  }
  void add(const ast::BodyLiteral &L) {
    Out += "L" + std::to_string(int(L.TheKind)) + "/" + std::to_string(int(L.Op));
    add(L.TheAtom);
    add(L.Lhs);
    add(L.Rhs);
    add(L.Range);
  }
  void add(const ast::HeadArg &A) {
    add(A.IsAggregate);
    add(A.Aggregate);
    for (const ast::AggregateArg &G : A.AggArgs) {
      add(G.Value);
      add(G.Order);
    }
    add(A.Value);
    add(A.Range);
  }
  void add(const ast::Clause &C) {
    add(C.Head);
    add(C.HeadArgs);
    add(C.HeadRange);
    add(C.Body);
    add(C.Range);
  }
  void add(const ast::Column &C) {
    add(C.Name);
    add(C.Type);
    add(C.Fill);
    add(C.RenamedFrom);
    add(C.Range);
  }
  void add(const ast::IndexOption &O) {
    add(O.Key);
    Out += "k" + std::to_string(int(O.ValueKind));
    add(O.Value);
    add(O.ValueRange);
  }
  void add(const ast::IndexDecl &D) {
    add(D.Name);
    add(D.Relation);
    add(D.Column);
    add(D.Options);
    add(D.HasOptionList);
    add(D.Range);
  }
  void add(const ast::RelationDecl &D) {
    add(D.Name);
    add(D.RenamedFrom);
    add(D.Columns);
    add(D.BlockForm);
    add(D.Range);
  }
  void add(const ast::DerivedDecl &D) {
    add(D.Name);
    add(D.RenamedFrom);
    add(D.Columns);
    add(D.Clauses);
    add(D.Range);
  }
  void add(const ast::ColumnPosition &P) {
    add(P.First);
    add(P.After);
    add(P.Range);
  }
  void add(const ast::CastExpr &C) {
    add(C.Var);
    add(C.Body);
  }
  void add(const ast::IqlText &T) {
    add(T.Text);
    add(T.Range);
  }
  void add(const ast::CreateRelationOp &O) {
    add(O.Name);
    add(O.Columns);
    add(O.BlockForm);
  }
  void add(const ast::DropRelationOp &O) {
    add(O.Name);
    add(O.Columns);
    add(O.BlockForm);
  }
  void add(const ast::RenameRelationOp &O) {
    add(O.From);
    add(O.To);
  }
  void add(const ast::AddColumnOp &O) {
    add(O.Relation);
    add(O.Column);
    add(O.Type);
    add(O.Fill);
    add(O.Position);
  }
  void add(const ast::DropColumnOp &O) {
    add(O.Relation);
    add(O.Column);
    add(O.Type);
    add(O.Fill);
    add(O.Position);
  }
  void add(const ast::RenameColumnOp &O) {
    add(O.Relation);
    add(O.Column);
    add(O.To);
  }
  void add(const ast::RetypeColumnOp &O) {
    add(O.Relation);
    add(O.Column);
    add(O.From);
    add(O.To);
    add(O.Using);
    add(O.Reverse);
  }
  void add(const ast::ReorderColumnsOp &O) {
    add(O.Relation);
    add(O.From);
    add(O.To);
  }
  void add(const ast::CreateRuleOp &O) {
    add(O.Name);
    add(O.Columns);
    add(O.Clauses);
  }
  void add(const ast::DropRuleOp &O) {
    add(O.Name);
    add(O.Columns);
    add(O.Clauses);
  }
  void add(const ast::ReplaceRuleOp &O) {
    add(O.Name);
    add(O.Clauses);
    add(O.OldClauses);
  }
  void add(const ast::RenameRuleOp &O) {
    add(O.From);
    add(O.To);
  }
  void add(const ast::CreateIndexOp &O) { add(O.Index); }
  void add(const ast::DropIndexOp &O) { add(O.Index); }
  void add(const ast::AlterIndexOp &O) {
    add(O.Name);
    add(O.Options);
    add(O.OldOptions);
  }
  void add(const ast::RunIqlOp &O) {
    add(O.Forward);
    add(O.Backward);
  }
  void add(const ast::MigrationDecl &M) {
    add(M.Name);
    add(M.Depends);
    add(M.Replaces);
    for (const ast::Operation &Op : M.Operations) {
      OperationKinds.insert(Op.Body.index());
      Out += "op" + std::to_string(Op.Body.index());
      std::visit([&](const auto &O) { add(O); }, Op.Body);
      add(Op.Range);
    }
    add(M.Range);
  }
  void add(const ast::Item &I) {
    Out += "item" + std::to_string(I.index());
    std::visit([&](const auto &D) { add(D); }, I);
    Out += "\n";
  }
  void add(const ast::Comment &C) {
    add(C.Text);
    add(C.Range);
    Out += "\n";
  }
  void add(const ast::SourceFile &F) {
    for (const ast::Item &I : F.Items)
      add(I);
    for (const ast::Comment &C : F.Comments)
      add(C);
  }

private:
  const char *Base;
};

std::string fingerprint(const ast::SourceFile &F, llvm::StringRef Buffer) {
  Fingerprint P(Buffer.data());
  P.add(F);
  return P.Out;
}

/// A file's items and comments, as a cache would hold them.
std::string encodeFile(const ast::SourceFile &F, const LocationEncoder &L) {
  BinaryWriter W;
  W.u64(F.Items.size());
  for (const ast::Item &I : F.Items)
    writeItem(I, L, W);
  W.u64(F.Comments.size());
  for (const ast::Comment &C : F.Comments)
    writeComment(C, L, W);
  return W.take();
}

bool decodeFile(llvm::StringRef Bytes, const LocationDecoder &L, ast::SourceFile &Out) {
  BinaryReader R(Bytes);
  uint64_t Items = R.count(2);
  for (uint64_t I = 0; I < Items; ++I)
    if (!readItem(R, L, Out.Items.emplace_back()))
      return false;
  uint64_t Comments = R.count(2);
  for (uint64_t I = 0; I < Comments; ++I)
    if (!readComment(R, L, Out.Comments.emplace_back()))
      return false;
  return R.ok() && R.atEnd();
}

ast::SourceFile sameHeader(const ast::SourceFile &F) {
  ast::SourceFile Copy;
  Copy.Kind = F.Kind;
  Copy.BufferID = F.BufferID;
  Copy.Path = F.Path;
  return Copy;
}

// ---- inputs

const char *SchemaText = R"(// Every schema construct, for the round trip.
/* A block
   comment. */
relation employee {
  id: int
  name: string = "a \"quoted\" \\ back\nslash\ttab\r"
  salary: float = -1.5e3
  rate: float = 2.25 renamed_from old_rate
  active: bool = true
  level: int = -9223372036854775808
  embedding: vector(3)
  loose: vector
  bracketed: vector[4]
  tags: list[string] = ["x", "y"]
  nums: list[int] = [1, -2, 3]
  grid: list[list[float]]
  address: {street: string, zip: int, geo: {lat: float, lon: float}}
  empty_record: {}
}

relation edge renamed_from link(src: int, dst: int,)
relation blocked(n: int)
relation score(name: string, dept: string, value: float, v: vector(3))

derived reach renamed_from reachable(src: int, dst: int) {
  reach(X, Y) <- edge(X, Y)
  reach(X, Z) <- reach(X, Y), edge(Y, Z), !blocked(Z), X != Z, X < 10, Y <= 20,
    Z > -3, Z >= 0, X = Y
}

derived stats(dept: string, total: float, best: string, n: int, avg: float) {
  stats(D, sum<S>, top_k<3, N, S:desc>, count<N>, avg<S>) <-
    score{name: N, dept: D, value: S}, T = (S + 1.5e3) * -2 - S / 4 % 3,
    len(N) >= 2, U = [1, 2.5, "s", true, false, [X, _]], W = -(T),
    V = cosine([0.5, 1.0, 2.0], [1.0, 0.0, 0.0]), Q = -S * --S
  stats(D, min<S>, bottom_k<2, S, asc>, max<S>, sum<S>) <- score(N, D, S, _)
}

index score_cos on score(v) hnsw(metric: cosine, m: 16, ef_construction: 200, ef_search: 1.5)
index score_bare on score(v) hnsw
index score_empty on score(v) hnsw()
)";

const char *MigrationText = R"(// Every operation, with every option.
migration 0002_everything {
  depends 0001_initial, 0001_other
  replaces 0002_old, 0002_older

  create relation department(id: int, name: string)
  create relation audit { at: string = "x", who: list[int] renamed_from whom }
  drop relation legacy(id: int, note: string)
  drop relation legacy_block { id: int }
  rename relation staff -> employee
  add column employee.level: int = 1
  add column employee.tags: list[string] = ["a", "b"] first
  add column employee.code: string = "x" after name
  drop column employee.age: int = -3
  drop column employee.legacy: {a: int} after code
  rename column employee.department -> dept
  retype column employee.salary: int -> float using S => S * 1.0 reverse S => S / 1
  retype column employee.id: int -> string
  reorder columns employee(id, name, dept) -> (dept, id, name)
  create rule senior(name: string) {
    senior(Name) <- employee{name: Name, salary: S}, S > 120000
  }
  drop rule junior(name: string) {
    junior(N) <- employee(_, N, _), !senior(N)
  }
  replace rule senior {
    senior(Name) <- employee{name: Name, salary: S}, S > 130000
  } was {
    senior(Name) <- employee{name: Name, salary: S}, S > 120000
  }
  replace rule veteran {
    veteran(N) <- employee(_, N, _)
  }
  rename rule senior -> veteran
  create index emp_vec on employee(embedding) hnsw(metric: l2, m: 16)
  drop index old_vec on employee(embedding) hnsw
  alter index emp_vec hnsw(ef_search: 64) was hnsw(ef_search: 50)
  alter index emp_vec hnsw(metric: dot)
  run iql {
    forward  { +department[(1, "eng"), (2, "hr")] /* kept */ }
    backward { -department(X, Y) <- department(X, Y) }
  }
  run iql { forward { .rel } } /* after */ add column a.b: vector(8)
}
)";

/// Every Expr kind (Error: the unused operands of a literal or head value).
const std::set<ast::Expr::Kind> ParsedExprKinds = {
    ast::Expr::Kind::Variable, ast::Expr::Kind::Wildcard, ast::Expr::Kind::Word,
    ast::Expr::Kind::Int,      ast::Expr::Kind::Float,    ast::Expr::Kind::String,
    ast::Expr::Kind::Bool,     ast::Expr::Kind::List,     ast::Expr::Kind::Negate,
    ast::Expr::Kind::Binary,   ast::Expr::Kind::Call,     ast::Expr::Kind::Paren,
    ast::Expr::Kind::Error};

/// Parses Text (which must be error-free), writes it, reads it back in the
/// same buffer and checks that nothing changed.
void expectRoundTrip(const char *Text, ast::FileKind Kind, Fingerprint *Coverage) {
  Sources S;
  unsigned ID = S.add(Text, Kind == ast::FileKind::Schema ? "t.strata" : "t.mig");
  ast::SourceFile File = S.parse(ID, Kind);
  ASSERT_EQ(S.Diags.diagnostics().size(), 0u) << S.problems();

  LocationEncoder Enc;
  Enc.addFile(S.buffer(ID));
  std::string Bytes = encodeFile(File, Enc);
  LocationDecoder Dec;
  Dec.setFile(0, S.buffer(ID));
  ast::SourceFile Back = sameHeader(File);
  ASSERT_TRUE(decodeFile(Bytes, Dec, Back));

  EXPECT_EQ(S.dump(Back), S.dump(File));
  EXPECT_EQ(fingerprint(Back, S.buffer(ID)), fingerprint(File, S.buffer(ID)));
  // Writing what was read gives the same bytes.
  EXPECT_EQ(encodeFile(Back, Enc), Bytes);
  if (Coverage)
    Coverage->add(File);
}

} // namespace

// ---- primitives

TEST(SerializeBinary, VarintsAndZigZag) {
  const uint64_t Unsigned[] = {
      0, 1, 127, 128, 300, 16383, 16384, uint64_t(1) << 35, std::numeric_limits<uint64_t>::max()};
  const int64_t Signed[] = {0, -1, 1, -64, 64, -65, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  BinaryWriter W;
  for (uint64_t V : Unsigned)
    W.u64(V);
  for (int64_t V : Signed)
    W.i64(V);
  BinaryReader R(W.data());
  for (uint64_t V : Unsigned)
    EXPECT_EQ(R.u64(), V);
  for (int64_t V : Signed)
    EXPECT_EQ(R.i64(), V);
  EXPECT_TRUE(R.ok());
  EXPECT_TRUE(R.atEnd());

  BinaryWriter Small;
  Small.u64(127);
  Small.i64(-1);
  EXPECT_EQ(Small.data().size(), 2u);
}

TEST(SerializeBinary, DoublesKeepTheirBits) {
  const double Values[] = {0.0,
                           -0.0,
                           1.5,
                           -1e308,
                           std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::quiet_NaN()};
  BinaryWriter W;
  for (double V : Values)
    W.f64(V);
  EXPECT_EQ(W.data().size(), 8 * std::size(Values));
  // Little-endian: 1.5 is 0x3FF8000000000000.
  EXPECT_EQ(W.data().substr(16, 8), std::string("\0\0\0\0\0\0\xF8\x3F", 8));
  BinaryReader R(W.data());
  for (double V : Values) {
    double Back = R.f64();
    EXPECT_EQ(std::memcmp(&Back, &V, sizeof V), 0);
  }
  EXPECT_TRUE(R.ok() && R.atEnd());
}

TEST(SerializeBinary, StringsAndBooleans) {
  BinaryWriter W;
  W.str("");
  W.str(std::string("a\0b", 3));
  W.boolean(true);
  W.boolean(false);
  BinaryReader R(W.data());
  EXPECT_EQ(R.str(), "");
  EXPECT_EQ(R.str(), llvm::StringRef("a\0b", 3));
  EXPECT_TRUE(R.boolean());
  EXPECT_FALSE(R.boolean());
  EXPECT_TRUE(R.ok() && R.atEnd());
}

TEST(SerializeBinary, BadInputFailsAndStaysFailed) {
  {
    BinaryReader R(llvm::StringRef("\x02", 1));
    R.boolean();
    EXPECT_FALSE(R.ok());
  }
  {
    // Eleven continuation bytes: longer than any 64-bit value.
    std::string Bytes = std::string(11, '\x80') + '\x01';
    BinaryReader R(Bytes);
    R.u64();
    EXPECT_FALSE(R.ok());
  }
  {
    // The tenth byte may only carry the top bit.
    std::string Bytes = std::string(9, '\xff') + '\x02';
    BinaryReader R(Bytes);
    R.u64();
    EXPECT_FALSE(R.ok());
  }
  {
    std::string Bytes = std::string(9, '\xff') + '\x01';
    BinaryReader R(Bytes);
    EXPECT_EQ(R.u64(), std::numeric_limits<uint64_t>::max());
    EXPECT_TRUE(R.ok());
  }
  {
    // A string longer than the data, then a read that would fit: still failed.
    BinaryWriter W;
    W.u64(100);
    W.u64(5);
    BinaryReader R(W.data());
    EXPECT_EQ(R.str(), "");
    EXPECT_FALSE(R.ok());
    EXPECT_EQ(R.u64(), 0u);
    EXPECT_FALSE(R.ok());
  }
  {
    BinaryReader R(llvm::StringRef("\x01\x02\x03", 3));
    R.f64();
    EXPECT_FALSE(R.ok());
  }
  {
    // Counts are checked against the bytes left.
    BinaryWriter W;
    W.u64(3);
    W.str("abcdef");
    BinaryReader Fits(W.data());
    EXPECT_EQ(Fits.count(2), 3u);
    EXPECT_TRUE(Fits.ok());
    BinaryReader TooMany(W.data());
    EXPECT_EQ(TooMany.count(3), 0u);
    EXPECT_FALSE(TooMany.ok());
    BinaryWriter Huge;
    Huge.u64(uint64_t(1) << 60);
    BinaryReader H(Huge.data());
    EXPECT_EQ(H.count(), 0u);
    EXPECT_FALSE(H.ok());
  }
}

// ---- locations

TEST(SerializeLocations, RangesRoundTripInEveryFile) {
  Sources S;
  std::vector<unsigned> IDs;
  for (int I = 0; I < 20; ++I)
    IDs.push_back(S.add("relation r" + std::to_string(I) + "(x: int)\n", "f.strata"));
  LocationEncoder Enc;
  LocationDecoder Dec;
  for (unsigned ID : IDs)
    Dec.setFile(Enc.addFile(S.buffer(ID)), S.buffer(ID));

  // Jumping between files misses the last-hit cache every time.
  std::vector<llvm::SMRange> Ranges;
  for (int Round = 0; Round < 3; ++Round)
    for (size_t I = 0; I < IDs.size(); I += 1 + Round) {
      const char *B = S.buffer(IDs[I]).begin(), *E = S.buffer(IDs[I]).end();
      Ranges.push_back(
          {llvm::SMLoc::getFromPointer(B + Round), llvm::SMLoc::getFromPointer(B + 5)});
      // Empty, and at the very end (which is inside: the end is inclusive).
      Ranges.push_back({llvm::SMLoc::getFromPointer(E), llvm::SMLoc::getFromPointer(E)});
      Ranges.push_back({llvm::SMLoc::getFromPointer(B + 2), llvm::SMLoc::getFromPointer(E)});
    }
  BinaryWriter W;
  for (llvm::SMRange R : Ranges)
    Enc.write(R, W);
  BinaryReader R(W.data());
  for (llvm::SMRange Want : Ranges) {
    llvm::SMRange Got = Dec.read(R);
    EXPECT_EQ(Got.Start.getPointer(), Want.Start.getPointer());
    EXPECT_EQ(Got.End.getPointer(), Want.End.getPointer());
  }
  EXPECT_TRUE(R.ok() && R.atEnd());
}

TEST(SerializeLocations, OutsideEveryFileIsNoLocation) {
  std::string A = "first buffer", B = "second buffer", Elsewhere = "elsewhere";
  LocationEncoder Enc;
  Enc.addFile(A);
  llvm::StringRef Sub = llvm::StringRef(A).drop_front(3);
  const char *P = Elsewhere.data();
  llvm::SMRange Outside(llvm::SMLoc::getFromPointer(P), llvm::SMLoc::getFromPointer(P + 2));
  // Starts inside A but ends past it.
  llvm::SMRange Straddling(llvm::SMLoc::getFromPointer(A.data() + 4),
                           llvm::SMLoc::getFromPointer(A.data() + A.size() + 1));
  BinaryWriter W;
  Enc.write(llvm::SMRange(), W);
  Enc.write(Outside, W);
  Enc.write(Straddling, W);
  EXPECT_EQ(W.data(), std::string(3, '\0'));

  // Many files, one nested in another: the index still finds every range.
  for (int I = 0; I < 10; ++I)
    Enc.addFile(B);
  unsigned SubFile = Enc.addFile(Sub);
  LocationDecoder Dec;
  Dec.setFile(0, A);
  for (unsigned I = 1; I <= 10; ++I)
    Dec.setFile(I, B);
  Dec.setFile(SubFile, Sub);
  llvm::SMRange InA(llvm::SMLoc::getFromPointer(A.data()),
                    llvm::SMLoc::getFromPointer(A.data() + 2));
  llvm::SMRange InSub(llvm::SMLoc::getFromPointer(Sub.data() + 1),
                      llvm::SMLoc::getFromPointer(Sub.data() + 3));
  llvm::SMRange InB(llvm::SMLoc::getFromPointer(B.data() + 7),
                    llvm::SMLoc::getFromPointer(B.data() + B.size()));
  BinaryWriter W2;
  for (llvm::SMRange R : {InB, InA, Outside, InSub, InB, Straddling, InA})
    Enc.write(R, W2);
  BinaryReader R(W2.data());
  for (llvm::SMRange Want : {InB, InA, llvm::SMRange(), InSub, InB, llvm::SMRange(), InA}) {
    llvm::SMRange Got = Dec.read(R);
    EXPECT_EQ(Got.Start.getPointer(), Want.Start.getPointer());
    EXPECT_EQ(Got.End.getPointer(), Want.End.getPointer());
  }
  EXPECT_TRUE(R.ok() && R.atEnd());
}

TEST(SerializeLocations, DecoderChecksFilesAndOffsets) {
  std::string Text = "0123456789";
  auto encoded = [](uint64_t Tag, uint64_t Offset, uint64_t Length) {
    BinaryWriter W;
    W.u64(Tag);
    W.u64(Offset);
    W.u64(Length);
    return W.take();
  };
  auto reads = [&](const LocationDecoder &D, const std::string &Bytes) {
    BinaryReader R(Bytes);
    llvm::SMRange Got = D.read(R);
    return R.ok() ? std::optional<llvm::SMRange>(Got) : std::nullopt;
  };
  LocationDecoder Dec;
  Dec.setFile(1, Text); // file 0 is never set
  EXPECT_FALSE(reads(Dec, encoded(1, 0, 1)));
  EXPECT_FALSE(reads(Dec, encoded(3, 0, 1)));
  EXPECT_FALSE(reads(Dec, encoded(2, 11, 0)));
  EXPECT_FALSE(reads(Dec, encoded(2, 4, 7)));
  EXPECT_FALSE(reads(Dec, encoded(2, uint64_t(-1), 0)));
  EXPECT_FALSE(reads(Dec, encoded(2, 0, uint64_t(-1))));
  EXPECT_FALSE(reads(Dec, encoded(2, 4, 0).substr(0, 2)));
  // No location needs no file.
  std::optional<llvm::SMRange> None = reads(Dec, std::string(1, '\0'));
  ASSERT_TRUE(None);
  EXPECT_FALSE(None->isValid());
  // Up to and including the end.
  std::optional<llvm::SMRange> End = reads(Dec, encoded(2, 10, 0));
  ASSERT_TRUE(End && End->isValid());
  EXPECT_EQ(End->Start.getPointer(), Text.data() + 10);
  EXPECT_EQ(End->End.getPointer(), Text.data() + 10);
  std::optional<llvm::SMRange> All = reads(Dec, encoded(2, 0, 10));
  ASSERT_TRUE(All);
  EXPECT_EQ(All->End.getPointer(), Text.data() + 10);

  // Shifted: offsets move, and must land inside the buffer.
  LocationDecoder Up, Down;
  Up.setFile(0, Text, 3);
  Down.setFile(0, Text, -3);
  std::optional<llvm::SMRange> Moved = reads(Up, encoded(1, 2, 5));
  ASSERT_TRUE(Moved);
  EXPECT_EQ(Moved->Start.getPointer(), Text.data() + 5);
  EXPECT_EQ(Moved->End.getPointer(), Text.data() + 10);
  EXPECT_FALSE(reads(Up, encoded(1, 2, 6)));
  EXPECT_FALSE(reads(Down, encoded(1, 2, 1)));
  EXPECT_TRUE(reads(Down, encoded(1, 3, 7)));
  LocationDecoder Extreme;
  Extreme.setFile(0, Text, INT64_MIN);
  EXPECT_FALSE(reads(Extreme, encoded(1, 5, 0)));
  Extreme.setFile(0, Text, INT64_MAX);
  EXPECT_FALSE(reads(Extreme, encoded(1, 5, 0)));
}

// ---- syntax trees

TEST(SerializeAST, EveryConstructRoundTripsExactly) {
  Fingerprint Coverage(nullptr);
  expectRoundTrip(SchemaText, ast::FileKind::Schema, &Coverage);
  expectRoundTrip(MigrationText, ast::FileKind::Migration, &Coverage);
  EXPECT_EQ(Coverage.ExprKinds, ParsedExprKinds);
  EXPECT_EQ(Coverage.OperationKinds.size(), std::variant_size_v<ast::OperationBody>);
}

TEST(SerializeAST, ExamplesRoundTripExactly) {
  // Smaller files: one construct each, so a failure points at it.
  expectRoundTrip("", ast::FileKind::Schema, nullptr);
  expectRoundTrip("relation a(x: int) // trailing\n", ast::FileKind::Schema, nullptr);
  expectRoundTrip("relation a { x: int, y: string = \"\\\"\" }\n", ast::FileKind::Schema, nullptr);
  expectRoundTrip("derived d(x: int) { d(X) <- e(X), X = ((((1)))) + -(-(2)) }\n",
                  ast::FileKind::Schema, nullptr);
  expectRoundTrip("migration 0001_a { run iql { forward { } backward { {nested} } } }\n",
                  ast::FileKind::Migration, nullptr);
}

TEST(SerializeAST, ExpressionsKeepEveryField) {
  // Hand-built: fields the parser leaves at their defaults for a kind must
  // come back too, and Error nodes are kept.
  std::string Text = "0123456789";
  auto at = [&](size_t B, size_t E) {
    return llvm::SMRange(llvm::SMLoc::getFromPointer(Text.data() + B),
                         llvm::SMLoc::getFromPointer(Text.data() + E));
  };
  ast::Expr E;
  E.TheKind = ast::Expr::Kind::Call;
  E.Text = "f";
  E.Range = at(0, 10);
  ast::Expr Odd;
  Odd.TheKind = ast::Expr::Kind::Error;
  Odd.Text = "word";
  Odd.IntValue = -7;
  Odd.FloatValue = -0.0;
  Odd.BoolValue = true;
  Odd.Op = ast::BinaryOp::Mod;
  Odd.Range = at(3, 3);
  E.Operands.push_back(Odd);
  ast::Expr Nan;
  Nan.TheKind = ast::Expr::Kind::Float;
  Nan.FloatValue = std::nan("");
  E.Operands.push_back(Nan);

  LocationEncoder Enc;
  Enc.addFile(Text);
  BinaryWriter W;
  writeExpr(E, Enc, W);
  LocationDecoder Dec;
  Dec.setFile(0, Text);
  BinaryReader R(W.data());
  ast::Expr Back;
  Back.Text = "stale";
  Back.Operands.resize(5);
  ASSERT_TRUE(readExpr(R, Dec, Back));
  EXPECT_TRUE(R.atEnd());
  Fingerprint A(Text.data()), B(Text.data());
  A.add(E);
  B.add(Back);
  EXPECT_EQ(A.Out, B.Out);
}

TEST(SerializeAST, ReadingIntoAShiftedBuffer) {
  // The same items after N bytes were inserted before them (or removed).
  const std::string Pad = "\n\n   \n\t\n  \n";
  for (bool Insert : {true, false}) {
    Sources S;
    std::string Before = Insert ? SchemaText : Pad + SchemaText;
    std::string After = Insert ? Pad + SchemaText : SchemaText;
    int64_t Shift = Insert ? int64_t(Pad.size()) : -int64_t(Pad.size());
    unsigned Old = S.add(Before, "old.strata"), New = S.add(After, "new.strata");
    ast::SourceFile OldFile = S.parse(Old, ast::FileKind::Schema);
    ast::SourceFile NewFile = S.parse(New, ast::FileKind::Schema);
    ASSERT_EQ(S.Diags.diagnostics().size(), 0u);

    LocationEncoder Enc;
    Enc.addFile(S.buffer(Old));
    std::string Bytes = encodeFile(OldFile, Enc);
    LocationDecoder Dec;
    Dec.setFile(0, S.buffer(New), Shift);
    ast::SourceFile Back = sameHeader(NewFile);
    ASSERT_TRUE(decodeFile(Bytes, Dec, Back));
    EXPECT_EQ(S.dump(Back), S.dump(NewFile));
    EXPECT_EQ(fingerprint(Back, S.buffer(New)), fingerprint(NewFile, S.buffer(New)));
    // The same bytes against the unshifted buffer land elsewhere.
    LocationDecoder Plain;
    Plain.setFile(0, S.buffer(New));
    ast::SourceFile Wrong = sameHeader(NewFile);
    if (decodeFile(Bytes, Plain, Wrong)) {
      EXPECT_NE(S.dump(Wrong), S.dump(NewFile));
    }
  }
}

TEST(SerializeAST, DeepTreesAreBounded) {
  auto chain = [](int Depth) {
    ast::Expr E;
    E.TheKind = ast::Expr::Kind::Int;
    E.IntValue = 1;
    for (int I = 0; I < Depth; ++I) {
      ast::Expr Neg;
      Neg.TheKind = ast::Expr::Kind::Negate;
      Neg.Operands.push_back(std::move(E));
      E = std::move(Neg);
    }
    return E;
  };
  LocationEncoder Enc;
  LocationDecoder Dec;
  for (int Depth : {1100, 5000}) {
    BinaryWriter W;
    writeExpr(chain(Depth), Enc, W);
    BinaryReader R(W.data());
    ast::Expr Back;
    EXPECT_EQ(readExpr(R, Dec, Back), Depth < 4000) << Depth;
  }
}

TEST(SerializeAST, ArityAndEnumsAreChecked) {
  auto head = [](ast::Expr::Kind K, uint64_t Fields) { return (Fields << 4) | uint64_t(K); };
  auto reads = [](const BinaryWriter &W) {
    BinaryReader R(W.data());
    ast::Expr E;
    return readExpr(R, LocationDecoder(), E) && R.atEnd();
  };
  // A Binary node with one operand, a leaf with operands, a bad operator,
  // a kind past the last: each fails. The well-formed control reads.
  BinaryWriter Good, OneOperand, LeafWithOperand, BadOp, BadKind, BadFlags;
  Good.u64(head(ast::Expr::Kind::Binary, 32 | 16));
  Good.u64(0);
  Good.u64(4); // Mod
  Good.u64(2);
  for (int I = 0; I < 2; ++I) {
    Good.u64(head(ast::Expr::Kind::Wildcard, 0));
    Good.u64(0);
  }
  EXPECT_TRUE(reads(Good));
  OneOperand.u64(head(ast::Expr::Kind::Binary, 32));
  OneOperand.u64(0);
  OneOperand.u64(1);
  OneOperand.u64(head(ast::Expr::Kind::Wildcard, 0));
  OneOperand.u64(0);
  EXPECT_FALSE(reads(OneOperand));
  LeafWithOperand.u64(head(ast::Expr::Kind::Int, 32));
  LeafWithOperand.u64(0);
  LeafWithOperand.u64(1);
  LeafWithOperand.u64(head(ast::Expr::Kind::Wildcard, 0));
  LeafWithOperand.u64(0);
  EXPECT_FALSE(reads(LeafWithOperand));
  BadOp.u64(head(ast::Expr::Kind::Word, 16));
  BadOp.u64(0);
  BadOp.u64(5);
  EXPECT_FALSE(reads(BadOp));
  BadKind.u64(13);
  BadKind.u64(0);
  EXPECT_FALSE(reads(BadKind));
  BadFlags.u64(head(ast::Expr::Kind::Word, 64));
  BadFlags.u64(0);
  EXPECT_FALSE(reads(BadFlags));
  // An item kind past the last.
  BinaryWriter BadItem;
  BadItem.u64(std::variant_size_v<ast::Item>);
  BinaryReader R(BadItem.data());
  ast::Item I;
  EXPECT_FALSE(readItem(R, LocationDecoder(), I));
}

// ---- schema states

namespace {
const char *StateSchema = R"(relation kinds {
  i: int
  f: float
  s: string
  b: bool
  v: vector
  v3: vector(3)
  li: list[int]
  lls: list[list[string]]
  rec: {name: string, tags: list[string], at: {x: float, y: float}}
  lrec: list[{k: int}]
}
relation edge(src: int, dst: int)
relation blocked(n: int)
relation doc(id: int, v: vector(3), w: vector(3))
)";
const char *StateRules = R"(derived reach(src: int, dst: int) {
  reach(X, Y) <- edge(X, Y)
  reach(X, Z) <- reach(X, Y), edge(Y, Z), !blocked(Z), X != Z
}
derived totals(n: int, total: int) {
  totals(N, sum<D>) <- edge{src: N, dst: D}, D > -1
}
derived ranked(n: int, d: int) {
  ranked(top_k<2, N, D:desc>) <- edge(N, D)
}
index doc_cos on doc(v) hnsw(metric: cosine, m: 8, ef_construction: 100, ef_search: 20)
index doc_l2 on doc(v) hnsw(metric: l2)
index doc_dot on doc(w) hnsw(metric: dot_product, m: 32)
index doc_l1 on doc(w) hnsw(metric: manhattan, ef_search: 70)
)";

struct AnalyzedState {
  Sources S;
  std::vector<unsigned> IDs;
  std::optional<SchemaState> State;

  AnalyzedState() {
    IDs = {S.add(StateSchema, "a.strata"), S.add(StateRules, "b.strata")};
    std::vector<ast::SourceFile> Files;
    for (unsigned ID : IDs)
      Files.push_back(S.parse(ID, ast::FileKind::Schema));
    State = analyzeSchema(std::move(Files), S.Diags);
  }
  LocationEncoder encoder() const {
    LocationEncoder Enc;
    for (unsigned ID : IDs)
      Enc.addFile(S.buffer(ID));
    return Enc;
  }
  LocationDecoder decoder() const {
    LocationDecoder Dec;
    for (unsigned I = 0; I < IDs.size(); ++I)
      Dec.setFile(I, S.buffer(IDs[I]));
    return Dec;
  }
};

std::string dump(const SchemaState &S) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  S.dump(OS);
  return OS.str();
}

/// Every location of a state, and the fields operator== leaves out.
std::string locations(const SchemaState &S, const char *Base) {
  Fingerprint P(Base);
  auto columns = [&](const ColumnList &Cs) {
    for (const ColumnDef &C : Cs.Columns) {
      P.add(C.Name);
      P.add(C.Loc);
    }
  };
  for (const auto &[Name, R] : S.relations()) {
    P.add(R->Loc);
    columns(R->Columns);
  }
  for (const auto &[Name, D] : S.derived()) {
    P.add(D->Loc);
    columns(D->Columns);
    for (const auto &C : D->Clauses)
      P.add(*C);
  }
  for (const auto &[Name, I] : S.indexes())
    P.add(I->Loc);
  return P.Out;
}

std::string encodeState(const SchemaState &S, const LocationEncoder &L) {
  BinaryWriter W;
  writeSchemaState(S, L, W);
  return W.take();
}
} // namespace

TEST(SerializeState, RoundTripsWithLocations) {
  AnalyzedState A;
  ASSERT_TRUE(A.State) << A.S.problems();
  ASSERT_EQ(A.State->indexCount(), 4u);
  std::string Bytes = encodeState(*A.State, A.encoder());
  BinaryReader R(Bytes);
  std::optional<SchemaState> Back = readSchemaState(R, A.decoder());
  ASSERT_TRUE(Back);
  EXPECT_TRUE(R.atEnd());
  EXPECT_EQ(*Back, *A.State);
  EXPECT_EQ(dump(*Back), dump(*A.State));
  // Both buffers are separate allocations: offsets from the first buffer
  // identify pointers in either.
  const char *Base = A.S.buffer(A.IDs[0]).data();
  EXPECT_EQ(locations(*Back, Base), locations(*A.State, Base));
  EXPECT_EQ(encodeState(*Back, A.encoder()), Bytes);

  // Every type kind came through.
  const ColumnList *Kinds = Back->columnsOf("kinds");
  ASSERT_TRUE(Kinds);
  std::set<Type::Kind> Seen;
  for (const ColumnDef &C : Kinds->Columns)
    Seen.insert(C.Ty.kind());
  EXPECT_EQ(Seen.size(), 7u);
  const IndexDef *L1 = Back->index("doc_l1");
  ASSERT_TRUE(L1);
  EXPECT_EQ(L1->TheMetric, Metric::Manhattan);
  EXPECT_EQ(L1->EfSearch, 70);
}

TEST(SerializeState, WithoutFilesThereAreNoLocations) {
  AnalyzedState A;
  ASSERT_TRUE(A.State);
  std::string Bytes = encodeState(*A.State, LocationEncoder());
  BinaryReader R(Bytes);
  std::optional<SchemaState> Back = readSchemaState(R, LocationDecoder());
  ASSERT_TRUE(Back);
  EXPECT_EQ(*Back, *A.State);
  std::string Locs = locations(*Back, nullptr);
  EXPECT_NE(Locs.find("@-"), std::string::npos);
  for (char C = '0'; C <= '9'; ++C)
    EXPECT_EQ(Locs.find(std::string("@") + C), std::string::npos);

  std::string Empty = encodeState(SchemaState(), LocationEncoder());
  BinaryReader E(Empty);
  std::optional<SchemaState> None = readSchemaState(E, LocationDecoder());
  ASSERT_TRUE(None);
  EXPECT_EQ(*None, SchemaState());
}

TEST(SerializeState, EntriesMustBeInOrder) {
  // Two relations written out of order (as a damaged file might hold them).
  auto relation = [](BinaryWriter &W, llvm::StringRef Name) {
    W.str(Name);
    W.u64(0); // no location
    W.u64(1); // one column
    W.str("x");
    W.u64(uint64_t(Type::Kind::Int));
    W.u64(0);
  };
  for (bool Sorted : {true, false}) {
    BinaryWriter W;
    W.u64(2);
    relation(W, Sorted ? "a" : "b");
    relation(W, Sorted ? "b" : "a");
    W.u64(0);
    W.u64(0);
    BinaryReader R(W.data());
    EXPECT_EQ(readSchemaState(R, LocationDecoder()).has_value(), Sorted);
  }
}

// ---- damage

namespace {
/// Reads Bytes as each encoding; whatever is accepted must then be usable.
void readAnything(llvm::StringRef Bytes, const LocationDecoder &Dec, const Sources &S) {
  {
    BinaryReader R(Bytes);
    ast::SourceFile F;
    while (R.ok() && !R.atEnd())
      if (readItem(R, Dec, F.Items.emplace_back())) {
        // What comes back goes to printers and dumpers that trust it.
        S.dump(F);
      } else {
        F.Items.pop_back();
      }
  }
  {
    BinaryReader R(Bytes);
    if (std::optional<SchemaState> St = readSchemaState(R, Dec))
      dump(*St);
  }
  {
    BinaryReader R(Bytes);
    ast::Expr E;
    if (readExpr(R, Dec, E))
      ast::toString(E);
  }
}
} // namespace

TEST(SerializeDamage, EveryTruncationFails) {
  Sources S;
  unsigned Schema = S.add(SchemaText, "s.strata"), Mig = S.add(MigrationText, "m.mig");
  LocationEncoder Enc;
  Enc.addFile(S.buffer(Schema));
  Enc.addFile(S.buffer(Mig));
  LocationDecoder Dec;
  Dec.setFile(0, S.buffer(Schema));
  Dec.setFile(1, S.buffer(Mig));
  std::vector<std::string> Encodings;
  for (auto [ID, Kind] :
       {std::pair(Schema, ast::FileKind::Schema), std::pair(Mig, ast::FileKind::Migration)}) {
    ast::SourceFile F = S.parse(ID, Kind);
    for (const ast::Item &I : F.Items) {
      BinaryWriter W;
      writeItem(I, Enc, W);
      Encodings.push_back(W.take());
    }
  }
  ASSERT_EQ(S.Diags.diagnostics().size(), 0u);
  size_t Tried = 0;
  for (const std::string &Bytes : Encodings)
    for (size_t N = 0; N < Bytes.size(); ++N) {
      BinaryReader R(llvm::StringRef(Bytes).take_front(N));
      ast::Item I;
      EXPECT_FALSE(readItem(R, Dec, I)) << N;
      ++Tried;
    }
  EXPECT_GT(Tried, 1000u);

  AnalyzedState A;
  ASSERT_TRUE(A.State);
  std::string State = encodeState(*A.State, A.encoder());
  LocationDecoder StateDec = A.decoder();
  for (size_t N = 0; N < State.size(); ++N) {
    BinaryReader R(llvm::StringRef(State).take_front(N));
    EXPECT_FALSE(readSchemaState(R, StateDec)) << N;
  }
}

TEST(SerializeDamage, FlippedAndRandomBytesNeverCrash) {
  Sources S;
  unsigned Schema = S.add(SchemaText, "s.strata"), Mig = S.add(MigrationText, "m.mig");
  LocationEncoder Enc;
  Enc.addFile(S.buffer(Schema));
  Enc.addFile(S.buffer(Mig));
  LocationDecoder Dec;
  Dec.setFile(0, S.buffer(Schema));
  Dec.setFile(1, S.buffer(Mig));
  std::vector<std::string> Valid;
  for (auto [ID, Kind] :
       {std::pair(Schema, ast::FileKind::Schema), std::pair(Mig, ast::FileKind::Migration)}) {
    ast::SourceFile F = S.parse(ID, Kind);
    BinaryWriter W;
    for (const ast::Item &I : F.Items)
      writeItem(I, Enc, W);
    Valid.push_back(W.take());
  }
  AnalyzedState A;
  ASSERT_TRUE(A.State);
  // The state's locations point into A's buffers, which Dec does not know:
  // written without them, so that flips exercise the structure.
  Valid.push_back(encodeState(*A.State, LocationEncoder()));

  std::mt19937_64 Rng(20240601);
  for (int Round = 0; Round < 3000; ++Round) {
    std::string Bytes = Valid[Round % Valid.size()];
    int Flips = 1 + Round % 4;
    for (int F = 0; F < Flips; ++F)
      Bytes[Rng() % Bytes.size()] = static_cast<char>(Rng());
    readAnything(Bytes, Dec, S);
  }
  for (int Round = 0; Round < 3000; ++Round) {
    std::string Bytes(Rng() % 256, '\0');
    for (char &C : Bytes)
      // Mostly small values, which look like plausible tags and counts.
      C = static_cast<char>(Round % 2 ? Rng() : Rng() % 8);
    readAnything(Bytes, Dec, S);
  }
}
