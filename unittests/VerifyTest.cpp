//===- VerifyTest.cpp - IQL validator, catalog model, verifier ------------===//
#include "strata/Migrate/Operation.h"
#include "strata/Verify/Catalog.h"
#include "strata/Verify/IqlReader.h"
#include "strata/Verify/Verifier.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::stmt;

namespace {

std::optional<Statement> read(llvm::StringRef Text, std::string *WhyOut = nullptr) {
  std::string Why;
  std::optional<Statement> S = readStatement(Text, Why);
  if (WhyOut)
    *WhyOut = Why;
  return S;
}

void expectAccepted(llvm::StringRef Text, StmtKind K) {
  std::string Why;
  std::optional<Statement> S = read(Text, &Why);
  ASSERT_TRUE(S) << Text.str() << ": " << Why;
  EXPECT_EQ(S->Kind, K) << Text.str();
}

void expectRejected(llvm::StringRef Text, llvm::StringRef Reason) {
  std::string Why;
  std::optional<Statement> S = read(Text, &Why);
  EXPECT_FALSE(S) << Text.str() << " was accepted";
  EXPECT_NE(Why.find(Reason.str()), std::string::npos) << Text.str() << ": " << Why;
}

// ---- The validator --------------------------------------------------------

TEST(IqlValidatorTest, AcceptsEveryMigrationShape) {
  expectAccepted("+employee(id: int, name: string)", StmtKind::Schema);
  expectAccepted("+doc(id: int, emb: vector(384), tags: list[string], addr: {zip: int})",
                 StmtKind::Schema);
  expectAccepted("+edge(1, 2)", StmtKind::Insert);
  expectAccepted("+edge[(1, 2), (2, 3)]", StmtKind::Insert);
  expectAccepted("+doc(1, [0.5, 1.0e-3], \"x\\\"y\\n\", true)", StmtKind::Insert);
  expectAccepted("-edge(1, 2)", StmtKind::Delete);
  expectAccepted("-edge(X, Y) <- edge(X, Y), X > 5", StmtKind::ConditionalDelete);
  expectAccepted("-a(X, Y), +b(X, Y, 0) <- a(X, Y)", StmtKind::AtomicUpdate);
  expectAccepted("+path(X, Y) <- edge(X, Y)", StmtKind::Rule);
  expectAccepted("+total(D, sum<S>) <- pay(D, S)", StmtKind::Rule);
  expectAccepted("+best(top_k<3, N, S:desc>) <- score(N, S)", StmtKind::Rule);
  expectAccepted("+ic(I) <- emp(I), !manages(I, _), Y = upper(\"a\"), I != 3", StmtKind::Rule);
  expectAccepted("+near(I, D) <- hnsw_nearest(\"idx\", [1.0, 2.0], 5, I, D)", StmtKind::Rule);
  expectAccepted("?strata_migrations(Name, Checksum, At)", StmtKind::Query);
  expectAccepted(".rel drop employee", StmtKind::RelDrop);
  expectAccepted(".rule drop path", StmtKind::RuleDrop);
  expectAccepted(".rule clear path", StmtKind::RuleClear);
  expectAccepted(".rule remove path 2", StmtKind::RuleRemove);
  expectAccepted(".index drop emb_idx", StmtKind::IndexDrop);
  expectAccepted("// just a comment", StmtKind::Comment);
  expectAccepted("+path(X, Y) <- /* c */ edge(X, Y) // trailing", StmtKind::Rule);
  expectAccepted("+path(X, Y) <-\n    edge(X, Z),\n    path(Z, Y)", StmtKind::Rule);
}

TEST(IqlValidatorTest, IndexCreate) {
  std::optional<Statement> S =
      read(".index create e_idx on doc(emb) type hnsw metric l2 m 32 ef_construction 100 "
           "ef_search 40");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Kind, StmtKind::IndexCreate);
  EXPECT_EQ(S->Index.Relation, "doc");
  EXPECT_EQ(S->Index.Column, "emb");
  EXPECT_EQ(S->Index.TheMetric, Metric::Euclidean);
  EXPECT_EQ(S->Index.M, 32);
  EXPECT_EQ(S->Index.EfConstruction, 100);
  EXPECT_EQ(S->Index.EfSearch, 40);
  S = read(".index create e on doc(emb) metric dot_product efc 10 efs 5");
  ASSERT_TRUE(S);
  EXPECT_EQ(S->Index.TheMetric, Metric::DotProduct);
  EXPECT_EQ(S->Index.M, 16);
  expectAccepted(".index create e on doc(emb) metric manhattan m 2", StmtKind::IndexCreate);
  expectAccepted(".index create e on doc(emb) metric cos m 256", StmtKind::IndexCreate);
  expectRejected(".index create e on doc(emb) m 1", "between 2 and 256");
  expectRejected(".index create e on doc(emb) m 257", "between 2 and 256");
  expectRejected(".index create e on doc(emb) m x", "expected integer");
  expectRejected(".index create e on doc(emb) metric hamming", "unknown metric");
  expectRejected(".index create e on doc(emb) size 3", "Unknown option: 'size'");
  expectRejected(".index create e at doc(emb)", "Missing 'on'");
  expectRejected(".index create e on doc emb", "relation(column)");
  expectRejected(".index create e on doc(emb) type ivf", "unknown index type");
  expectRejected(".index create e on doc(emb) metric", "has no value");
}

TEST(IqlValidatorTest, RelationNames) {
  expectRejected("+Employee(id: int)", "must start with a lowercase letter");
  expectRejected("+fooBar(id: int)", "may only contain a-z, 0-9 and '_'");
  expectRejected("+__ledger(id: int)", "reserved");
  expectRejected(".rel drop __ledger", "reserved");
  expectRejected("+p(X) <- __internal(X)", "reserved");
  expectRejected("+p(X) <- not q(X)", "");
  expectRejected("+" + std::string(257, 'a') + "(id: int)", "too long");
}

TEST(IqlValidatorTest, ColumnTypes) {
  expectRejected("+e(id: int, at: timestamp)", "Unknown base type: 'timestamp'");
  expectRejected("+e(id: int, v: vector[3])", "vector(N)");
  expectRejected("+e(id: int64)", "Unknown base type: 'int64'");
  expectRejected("+e(id: int, n: symbol)", "Unknown base type: 'symbol'");
  // Only vector columns: the server reads it as a fact, not a schema.
  expectRejected("+e(v: vector)", "not recognised as a schema");
  expectRejected("+e(id: int, name)", "must have type");
  expectRejected("+e(id: int, id: string)", "duplicate column");
  expectAccepted("+e(id: int(range(0, 100)), v: vector)", StmtKind::Schema);
}

TEST(IqlValidatorTest, StringsAndBrackets) {
  expectRejected("+e(\"abc)", "unterminated string");
  expectRejected("+e('abc')", "double-quoted");
  expectRejected("+e(\"a\\qb\")", "unknown escape");
  expectRejected("+e(\"a\n  b\")", "may not span lines");
  expectRejected("+e(1, 2", "never closed");
  expectRejected("+e(1, 2))", "unbalanced `)`");
  expectRejected("+p(X) <- q(X]", "unbalanced");
  expectRejected("+e(abc)", "Unquoted atom 'abc'");
  expectRejected("+e(X)", "ground");
  // A hostile default stays one string: the text inside is never read.
  expectAccepted("+e(\"x)\\n.kg drop prod\")", StmtKind::Insert);
}

TEST(IqlValidatorTest, OperatorsAndShapes) {
  expectRejected("+p(X) <- q(X), X == 3", "Use '=' for equality");
  expectRejected("+p(X) <- q(X), X := 3", "':=' is not a valid operator");
  expectRejected("?p(X) <- q(X)", "Query cannot contain a rule definition");
  expectRejected("p(X) <- q(X)", "session rule");
  expectRejected("edge(1, 2)", "session fact");
  expectRejected("+p(X) <- ", "body");
  expectRejected("+p(X), +q(X) <- r(X)", "exactly one `+` head");
  expectRejected("-edge", "`.rel drop`");
  expectRejected(".kg drop prod", "not a command a migration sends");
  expectRejected(".rule drop prefix tmp", "prefix");
  expectRejected(".rule remove p 0", "Index must be 1 or greater");
  expectRejected(".rel drop", "expected `.rel drop NAME`");
  expectRejected("+e($x)", "parameters");
  expectRejected("+total(sum<S>) <- pay(S), X = sum<S>", "only allowed in a rule head");
}

TEST(IqlValidatorTest, OneStatementPerLine) {
  expectRejected("+a(1)\n+b(2)", "starts a new statement");
  expectRejected("  +a(1)", "must start at the beginning of a line");
  expectAccepted("+p(X) <-\n\tq(X)", StmtKind::Rule);
  std::vector<std::string> S =
      splitProgram("\n    +a(id: int)\n    // note\n    +p(X) <-\n        a(X)\n\n    +a(1)\n");
  ASSERT_EQ(S.size(), 3u);
  EXPECT_EQ(S[0], "+a(id: int)");
  EXPECT_EQ(S[1], "+p(X) <-\n    a(X)");
  EXPECT_EQ(S[2], "+a(1)");
}

// ---- The catalog ------------------------------------------------------------

struct CatalogRunner {
  IqlCatalog C;
  std::string Error;
  bool run(llvm::StringRef Text) {
    std::string Why;
    std::optional<Statement> S = readStatement(Text, Why);
    EXPECT_TRUE(S) << Text.str() << ": " << Why;
    if (!S)
      return false;
    return C.execute(*S, Error);
  }
};

TEST(IqlCatalogTest, RelDropTakesTheSameNameRule) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+edge(src: int, dst: int)"));
  ASSERT_TRUE(R.run("+reach(src: int, dst: int)"));
  ASSERT_TRUE(R.run("+reach(X, Y) <- edge(X, Y)"));
  ASSERT_TRUE(R.run("+far(X) <- reach(X, _)"));
  EXPECT_TRUE(R.C.brokenRule().empty()) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().size(), 2u);
  ASSERT_TRUE(R.run(".rel drop reach"));
  // The hazard: rule `reach` is gone with the relation.
  EXPECT_EQ(R.C.rules().count("reach"), 0u);
  // `far` stays and dangles: reported after the statement.
  EXPECT_EQ(R.C.rules().count("far"), 1u);
  EXPECT_NE(R.C.brokenRule().find("rule `far`: it reads `reach`, which does not exist"),
            std::string::npos)
      << R.C.brokenRule();
}

TEST(IqlCatalogTest, RepeatedRuleAddsClauses) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+edge(src: int, dst: int)"));
  ASSERT_TRUE(R.run("+path(X, Y) <- edge(X, Y)"));
  ASSERT_TRUE(R.run("+path(X, Y) <- path(X, Z), edge(Z, Y)"));
  ASSERT_EQ(R.C.rules().at("path").Clauses.size(), 2u);
  EXPECT_TRUE(R.C.brokenRule().empty()) << R.C.brokenRule();
  EXPECT_FALSE(R.run("+path(X) <- edge(X, _)"));
  EXPECT_NE(R.Error.find("Arity mismatch"), std::string::npos) << R.Error;
  ASSERT_TRUE(R.run(".rule remove path 1"));
  EXPECT_EQ(R.C.rules().at("path").Clauses.size(), 1u);
  EXPECT_FALSE(R.run(".rule remove path 3"));
  ASSERT_TRUE(R.run(".rule drop path"));
  EXPECT_EQ(R.C.rules().count("path"), 0u);
}

TEST(IqlCatalogTest, MissingRuleDropIsAnError) {
  CatalogRunner R;
  EXPECT_FALSE(R.run(".rule drop ghost"));
  EXPECT_EQ(R.Error, "Rule 'ghost' not found");
  EXPECT_FALSE(R.run(".rule clear ghost"));
  EXPECT_FALSE(R.run(".rel drop ghost"));
}

TEST(IqlCatalogTest, Indexes) {
  CatalogRunner R;
  EXPECT_FALSE(R.run(".index create e on doc(emb)"));
  EXPECT_NE(R.Error.find("no declared schema"), std::string::npos);
  ASSERT_TRUE(R.run("+doc(id: int, emb: vector(4))"));
  EXPECT_FALSE(R.run(".index create e on doc(id)"));
  EXPECT_NE(R.Error.find("not a vector"), std::string::npos);
  ASSERT_TRUE(R.run(".index create e on doc(emb) metric l2"));
  EXPECT_FALSE(R.run(".index create e on doc(emb)"));
  ASSERT_TRUE(R.run(".index drop e"));
  EXPECT_FALSE(R.run(".index drop e"));
  EXPECT_NE(R.Error.find("not found"), std::string::npos);
}

TEST(IqlCatalogTest, RuleTypeChecksAfterRedeclaration) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+emp(id: int, name: string)"));
  ASSERT_TRUE(R.run("+named(N) <- emp(_, N)"));
  // Re-declaring with another arity breaks the rule reading it.
  ASSERT_TRUE(R.run("+emp(id: int, name: string, level: int)"));
  EXPECT_NE(R.C.brokenRule().find("rule `named`"), std::string::npos) << R.C.brokenRule();
  // A type error is found by Sema's checkClauses.
  CatalogRunner T;
  ASSERT_TRUE(T.run("+emp(id: int, name: string)"));
  ASSERT_TRUE(T.run("+odd(I) <- emp(I, N), N > 3"));
  EXPECT_FALSE(T.C.brokenRule().empty());
}

TEST(IqlCatalogTest, AtomicUpdateMovesThroughAStage) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+emp(id: int, name: string)"));
  ASSERT_TRUE(R.run("+emp(1, \"a\")"));
  ASSERT_TRUE(R.run("+emp_strata_stage(id: int, name: string, level: int)"));
  ASSERT_TRUE(R.run("-emp(A, B), +emp_strata_stage(A, B, 1) <- emp(A, B)"));
  EXPECT_FALSE(R.run("-emp(A, B), +emp_strata_stage(A, B) <- emp(A, B)"));
  EXPECT_NE(R.Error.find("Arity mismatch"), std::string::npos) << R.Error;
  EXPECT_FALSE(R.run("-gone(A), +emp(A, \"x\") <- gone(A)"));
  EXPECT_NE(R.Error.find("'gone' not found"), std::string::npos) << R.Error;
}

// ---- The verifier -------------------------------------------------------------

SchemaState stateWith(std::vector<std::pair<std::string, ColumnList>> Relations) {
  SchemaState S;
  for (auto &[Name, Cols] : Relations) {
    auto R = std::make_shared<RelationDef>();
    R->Name = Name;
    R->Columns = Cols;
    S.put(std::shared_ptr<const RelationDef>(R));
  }
  return S;
}

ColumnList cols(std::vector<std::pair<std::string, Type>> C) {
  ColumnList L;
  for (auto &[N, T] : C)
    L.Columns.push_back({N, T, {}});
  return L;
}

LoweredMigration lowered(std::shared_ptr<const Operation> Op, std::vector<std::string> Fwd,
                         std::vector<std::string> Bwd) {
  LoweredMigration L;
  LoweredOperation O;
  O.Op = Op.get();
  for (auto &S : Fwd)
    O.Forward.push_back({S, false});
  for (auto &S : Bwd)
    O.Backward.push_back({S, false});
  L.Ops.push_back(std::move(O));
  return L;
}

TEST(VerifierTest, ReversibleCreateRelation) {
  SchemaState Before;
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R = verifyMigration(lowered(Op, {"+employee(id: int)"}, {".rel drop employee"}),
                                   Before, After);
  EXPECT_FALSE(R.Failure) << R.Failure->Message;
  EXPECT_TRUE(R.BackwardChecked);
  EXPECT_EQ(R.Statements, 2u);
}

TEST(VerifierTest, WrongForwardIsAMismatch) {
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R = verifyMigration(
      lowered(Op, {"+employee(id: string)"}, {".rel drop employee"}), SchemaState(), After);
  ASSERT_TRUE(R.Failure);
  EXPECT_EQ(R.Failure->TheReason, VerifyFailure::Reason::Mismatch);
  EXPECT_EQ(R.Failure->ThePhase, VerifyFailure::Phase::Forward);
  EXPECT_EQ(R.Failure->Index, 1u);
  EXPECT_EQ(R.Failure->Op, Op.get());
}

TEST(VerifierTest, WrongBackwardNamesTheStatement) {
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R = verifyMigration(
      lowered(Op, {"+employee(id: int)"}, {".rel drop employees"}), SchemaState(), After);
  ASSERT_TRUE(R.Failure);
  EXPECT_EQ(R.Failure->TheReason, VerifyFailure::Reason::Failed);
  EXPECT_EQ(R.Failure->ThePhase, VerifyFailure::Phase::Backward);
  EXPECT_EQ(R.Failure->Statement, ".rel drop employees");
}

TEST(VerifierTest, RejectedStatement) {
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R = verifyMigration(
      lowered(Op, {"+employee(id: int, at: timestamp)"}, {}), SchemaState(), After);
  ASSERT_TRUE(R.Failure);
  EXPECT_EQ(R.Failure->TheReason, VerifyFailure::Reason::Rejected);
}

TEST(VerifierTest, RunIqlScratchObjectsMustBeUndone) {
  SchemaState S = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<RunIql>("+tmp(a: int)", std::string("-tmp(1)"));
  // Forward may create what the state does not know...
  VerifyResult R = verifyMigration(lowered(Op, {"+tmp(a: int)"}, {".rel drop tmp"}), S, S);
  EXPECT_FALSE(R.Failure) << R.Failure->Message;
  // ...but backward must remove it.
  R = verifyMigration(lowered(Op, {"+tmp(a: int)"}, {"-tmp(1)"}), S, S);
  ASSERT_TRUE(R.Failure);
  EXPECT_EQ(R.Failure->ThePhase, VerifyFailure::Phase::Backward);
  EXPECT_EQ(R.Failure->TheReason, VerifyFailure::Reason::Mismatch);
  // A run iql that changes a managed relation fails forward.
  R = verifyMigration(lowered(Op, {"+employee(id: string)"}, {"+employee(id: int)"}), S, S);
  ASSERT_TRUE(R.Failure);
  EXPECT_EQ(R.Failure->ThePhase, VerifyFailure::Phase::Forward);
}

TEST(VerifierTest, IrreversibleIsForwardOnly) {
  SchemaState S = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<RunIql>("+employee(1)", std::nullopt);
  LoweredMigration L = lowered(Op, {"+employee(1)"}, {});
  L.Ops[0].Irreversible = true;
  VerifyResult R = verifyMigration(L, S, S);
  EXPECT_FALSE(R.Failure);
  EXPECT_FALSE(R.BackwardChecked);
}

} // namespace
