//===- VerifyTest.cpp - IQL validator, catalog model, verifier ------------===//
#include "strata/Migrate/Operation.h"
#include "strata/Verify/Catalog.h"
#include "strata/Verify/MigrationStatement.h"
#include "strata/Verify/Verifier.h"
#include <gtest/gtest.h>

using namespace strata;
using K = MigrationStmtKind;

namespace {

/// The statement readMigrationStatement reads from Text; nullopt with the
/// reason in Why when it is refused (or holds only comments, Why empty).
std::optional<iql::Statement> read(llvm::StringRef Text, std::string *WhyOut = nullptr) {
  llvm::Expected<std::optional<iql::Statement>> S = readMigrationStatement(Text);
  std::string Why;
  std::optional<iql::Statement> Out;
  if (!S)
    Why = llvm::toString(S.takeError());
  else
    Out = std::move(*S);
  if (WhyOut)
    *WhyOut = Why;
  return Out;
}

void expectAccepted(llvm::StringRef Text, MigrationStmtKind Kind) {
  std::string Why;
  std::optional<iql::Statement> S = read(Text, &Why);
  ASSERT_TRUE(S) << Text.str() << ": " << Why;
  EXPECT_EQ(migrationKind(*S), Kind) << Text.str();
}

void expectRejected(llvm::StringRef Text, llvm::StringRef Reason) {
  std::string Why;
  std::optional<iql::Statement> S = read(Text, &Why);
  EXPECT_FALSE(S) << Text.str() << " was accepted";
  EXPECT_FALSE(Why.empty()) << Text.str() << " was read as comments only";
  EXPECT_NE(Why.find(Reason.str()), std::string::npos) << Text.str() << ": " << Why;
}

// ---- The checks over the engine's parse --------------------------------------

TEST(MigrationStatementTest, AcceptsEveryMigrationShape) {
  expectAccepted("+employee(id: int, name: string)", K::Schema);
  expectAccepted("+doc(id: int, emb: vector(384), tags: list[string], addr: {zip: int})",
                 K::Schema);
  expectAccepted("+edge(1, 2)", K::Insert);
  expectAccepted("+edge[(1, 2), (2, 3)]", K::Insert);
  expectAccepted("+doc(1, [0.5, 1.0e-3], \"x\\\"y\\n\", true)", K::Insert);
  expectAccepted("-edge(1, 2)", K::Delete);
  expectAccepted("-edge(X, Y) <- edge(X, Y), X > 5", K::ConditionalDelete);
  expectAccepted("-a(X, Y), +b(X, Y, 0) <- a(X, Y)", K::AtomicUpdate);
  expectAccepted("+path(X, Y) <- edge(X, Y)", K::Rule);
  expectAccepted("+total(D, sum<S>) <- pay(D, S)", K::Rule);
  expectAccepted("+best(top_k<3, N, S, desc>) <- score(N, S)", K::Rule);
  expectAccepted("+best(top_k<3, N, S:desc>) <- score(N, S)", K::Rule);
  expectAccepted("+ic(I) <- emp(I), !manages(I, _), Y = upper(\"a\"), I != 3", K::Rule);
  expectAccepted("+near(I, D) <- hnsw_nearest(\"idx\", [1.0, 2.0], 5, I, D)", K::Rule);
  expectAccepted("?strata_migrations(Name, Checksum, At)", K::Query);
  expectAccepted(".rel drop employee", K::RelDrop);
  expectAccepted(".rule drop path", K::RuleDrop);
  expectAccepted(".rule clear path", K::RuleClear);
  expectAccepted(".rule remove path 2", K::RuleRemove);
  expectAccepted(".index drop emb_idx", K::IndexDrop);
  expectAccepted("+path(X, Y) <- /* c */ edge(X, Y) // trailing", K::Rule);
  expectAccepted("+path(X, Y) <-\n    edge(X, Z),\n    path(Z, Y)", K::Rule);
  // A statement of comments only is no statement: the server skips it.
  std::string Why;
  EXPECT_FALSE(read("// just a comment", &Why));
  EXPECT_TRUE(Why.empty()) << Why;
}

TEST(MigrationStatementTest, NamesAndKinds) {
  std::optional<iql::Statement> S = read("-edge(X, Y) <- edge(X, Y), X > 5");
  ASSERT_TRUE(S);
  EXPECT_EQ(statementName(*S), "edge");
  S = read(".rule remove path 2");
  ASSERT_TRUE(S);
  EXPECT_EQ(statementName(*S), "path");
  EXPECT_EQ(ruleRemoveClause(*S), 2u);
  S = read(".index create e_idx on doc(emb)");
  ASSERT_TRUE(S);
  EXPECT_EQ(statementName(*S), "e_idx");
  S = read("-a(X), +b(X) <- a(X)");
  ASSERT_TRUE(S);
  EXPECT_EQ(statementName(*S), "");
}

TEST(MigrationStatementTest, IndexCreate) {
  std::optional<iql::Statement> S =
      read(".index create e_idx on doc(emb) type hnsw metric l2 m 32 ef_construction 100 "
           "ef_search 40");
  ASSERT_TRUE(S);
  EXPECT_EQ(migrationKind(*S), K::IndexCreate);
  IndexDef I = indexDef(*S);
  EXPECT_EQ(I.Name, "e_idx");
  EXPECT_EQ(I.Relation, "doc");
  EXPECT_EQ(I.Column, "emb");
  EXPECT_EQ(I.TheMetric, Metric::Euclidean);
  EXPECT_EQ(I.M, 32);
  EXPECT_EQ(I.EfConstruction, 100);
  EXPECT_EQ(I.EfSearch, 40);
  S = read(".index create e on doc(emb) metric dot_product ef_construction 10 ef_search 5");
  ASSERT_TRUE(S);
  I = indexDef(*S);
  EXPECT_EQ(I.TheMetric, Metric::DotProduct);
  EXPECT_EQ(I.M, 16);
  EXPECT_EQ(I.EfSearch, 5);
  expectAccepted(".index create e on doc(emb) metric manhattan m 2", K::IndexCreate);
  expectAccepted(".index create e on doc(emb) metric cos m 256", K::IndexCreate);
  expectRejected(".index create e on doc(emb) m 1", "between 2 and 256");
  expectRejected(".index create e on doc(emb) m 257", "between 2 and 256");
  expectRejected(".index create e on doc(emb) m x", "Invalid value for 'm'");
  expectRejected(".index create e on doc(emb) metric hamming", "unknown metric");
  expectRejected(".index create e on doc(emb) size 3", "Unknown index option 'size'");
  expectRejected(".index create e at doc(emb)", "Usage: .index create NAME on REL(COL)");
  expectRejected(".index create e on doc emb", "REL(COL)");
  expectRejected(".index create e on doc(emb) type ivf", "unknown index type");
  expectRejected(".index create e on doc(emb) metric", "Missing value");
  expectRejected(".index create e on Doc(emb)", "must start with a lowercase letter");
  expectRejected(".index create e on doc(Emb)", "Invalid column name: 'Emb'");
  // Newly refused: the engine's parser knows no `efc`/`efs` abbreviations,
  // and the server bounds the search effort.
  expectRejected(".index create e on doc(emb) efc 10", "Unknown index option 'efc'");
  expectRejected(".index create e on doc(emb) ef_construction 0", "ef_construction must be");
  expectRejected(".index create e on doc(emb) ef_search 100001", "ef_search must be");
}

TEST(MigrationStatementTest, RelationNames) {
  expectRejected("+Employee(id: int)", "Expected a relation name after '+'");
  expectRejected("+fooBar(id: int)", "may only contain a-z, 0-9 and '_'");
  expectRejected("+__ledger(id: int)", "reserved");
  expectRejected(".rel drop __ledger", "reserved");
  expectRejected(".rule clear Path", "must start with a lowercase letter");
  expectRejected("+p(X) <- __internal(X)", "reserved");
  expectRejected("+p(X) <- q(X), !bad_Name(X)", "may only contain");
  expectRejected("?bad_Name(X)", "may only contain");
  expectRejected("-a(X), +bAd(X) <- a(X)", "may only contain");
  expectRejected("+p(X) <- not q(X)", "Unexpected word 'not'");
  expectRejected("+" + std::string(257, 'a') + "(id: int)", "too long");
}

TEST(MigrationStatementTest, ColumnTypes) {
  expectRejected("+e(id: int, at: timestamp)", "Unknown base type: 'timestamp'");
  expectRejected("+e(id: int, v: vector[3])", "vector(N)");
  expectRejected("+e(id: int64)", "Unknown base type: 'int64'");
  expectRejected("+e(id: int, n: symbol)", "Unknown base type: 'symbol'");
  // Only vector columns: the server does not read it as a schema.
  expectRejected("+e(v: vector)", "Unrecognized statement");
  expectRejected("+e(id: int, name)", "Expected 'column: type'");
  expectRejected("+e(id: int, id: string)", "Duplicate column 'id'");
  expectRejected("+e(id: int, p: Person)", "named type `Person`");
  // Newly refused: the engine's parser reads no refinements after a type.
  expectRejected("+e(id: int(range(0, 100)), v: vector)", "Expected ')'");
  std::optional<iql::Statement> S =
      read("+doc(id: int, emb: vector(4), tags: list[string], at: {x: float, b: bool})");
  ASSERT_TRUE(S);
  std::vector<std::string> Types;
  for (const iql::Column &C : S->Columns) {
    llvm::Expected<Type> T = semaType(C.Type);
    ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
    Types.push_back(T->str());
  }
  EXPECT_EQ(Types,
            (std::vector<std::string>{"int", "vector(4)", "list[string]", "{x: float, b: bool}"}));
}

TEST(MigrationStatementTest, StringsAndBrackets) {
  expectRejected("+e(\"abc)", "Unterminated string literal");
  expectRejected("+e('abc')", "Unexpected character '''");
  expectRejected("+e(1, 2", "Expected ')' at end of statement");
  expectRejected("+e(1, 2))", "Unexpected input near ')'");
  expectRejected("+p(X) <- q(X]", "Expected ')' near ']'");
  expectRejected("+e(abc)", "Unexpected word 'abc': strings must be double-quoted");
  expectRejected("+e(X)", "a fact must be ground: `X` is a variable");
  expectRejected("-e[(1, _)]", "a fact must be ground: `_` is not a constant");
  expectRejected("+e(1 + 2)", "a fact must be ground: `1 + 2` is not a constant");
  expectRejected("+e()", "at least one value");
  // A hostile default stays one string: the text inside is never read.
  expectAccepted("+e(\"x)\\n.kg drop prod\")", K::Insert);
  // Newly accepted, as the server accepts them (its transcripts): one-value
  // tuples written `(1,)` and an empty bulk list.
  expectAccepted("+nums[(1,), (2,)]", K::Insert);
  expectAccepted("+nums[]", K::Insert);
  // The server refuses a trailing period after a fact, a bulk list or a
  // rule (10_edge_cases/13_comments_syntax), and so does lib/IQL's parser.
  expectRejected("+edge(1, 2).", "Expected parentheses: (1, 2).");
  expectRejected("+edge[(1, 2), (2, 3)].", "Bulk insert must be in format");
  expectRejected("+p(X) <- q(X). // done", "Invalid term: 'X).'");
  expectAccepted("+p(X) <- q(X), X = \"a.\" /* c. */", K::Rule);
  expectAccepted("+e(1.5)", K::Insert);
  // Newly accepted: the engine's lexer reads an unknown escape (the old
  // reader refused it); the tree keeps no trace of how a string was spelt.
  expectAccepted("+e(\"a\\qb\")", K::Insert);
}

TEST(MigrationStatementTest, OperatorsAndShapes) {
  expectRejected("+p(X) <- q(X), X == 3", "Use '=' for equality, not '=='");
  expectRejected("+p(X) <- q(X), X := 3", "Expected an atom or a comparison");
  expectRejected("?p(X) <- q(X)", "Unexpected input near '<- q(X)'");
  expectRejected("p(X) <- q(X)", "session rule");
  expectRejected("edge(1, 2)", "session fact");
  expectRejected("type Score: int", "`type` declaration");
  expectRejected("+p(X) <- ", "Empty rule body");
  expectRejected("+p(X), +q(X) <- r(X)", "exactly one `+` head");
  expectRejected("-edge", "`.rel drop`");
  expectRejected(".kg drop prod", "not a command a migration sends");
  expectRejected(".rel", "not a command a migration sends");
  expectRejected(".rule drop prefix tmp", "prefix");
  expectRejected(".rule remove p 0", "Index must be 1 or greater");
  expectRejected(".rel drop", "Usage: .rel drop NAME");
  expectRejected("+e($x)", "Unexpected character '$'");
  expectRejected("+total(sum<S>) <- pay(S), X = sum<S>", "Unexpected word 'sum'");
  expectRejected("+best(top_k<3, N, S:up>) <- score(N, S)", "Expected 'desc' or 'asc' after ':'");
  expectRejected("+near(I) <- hnsw_nearest(\"idx\", [1.0], 5, I)", "requires 5-6 arguments");
  expectRejected("+near(I, D) <- hnsw_nearest(idx_name(), [1.0], 5, I, D)",
                 "first argument must be a string literal");
}

TEST(MigrationStatementTest, OneStatementPerLine) {
  expectRejected("+a(1)\n+b(2)", "line 2 of the statement starts a new statement");
  expectRejected("  +a(1)", "must start at the beginning of a line");
  expectAccepted("+p(X) <-\n\tq(X)", K::Rule);
  // Newly accepted: a string split over lines is joined as the server's
  // splitter joins continuation lines; the engine reads the same.
  expectAccepted("+e(\"a\n  b\")", K::Insert);
}

// ---- The catalog ------------------------------------------------------------

struct CatalogRunner {
  IqlCatalog C;
  std::string Error;
  /// The kind of the last error when it carried one of Sema's diagnostics.
  std::optional<DiagKind> Kind;
  bool run(llvm::StringRef Text) {
    std::string Why;
    std::optional<iql::Statement> S = read(Text, &Why);
    EXPECT_TRUE(S) << Text.str() << ": " << Why;
    if (!S)
      return false;
    Error.clear();
    Kind.reset();
    llvm::Error E = C.execute(*S);
    if (!E)
      return true;
    E = llvm::handleErrors(std::move(E), [&](const DiagnosticError &D) {
      Kind = D.diagnostic().Kind;
      Error = D.diagnostic().Message;
    });
    if (E)
      Error = llvm::toString(std::move(E));
    return false;
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

TEST(IqlCatalogTest, ClausesConvertWithoutReparsing) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+emp(id: int, s: float, e: vector(2))"));
  // Parentheses where precedence needs them, and only there.
  ASSERT_TRUE(R.run("+a(I, Y) <- emp(I, S, _), Y = ((S + 1) * 2) - (S / 4)"));
  // `-S` is a negation Sema refuses (the server does): the clause is not
  // kept. `0 - S` is a subtraction; floats in shortest form.
  ASSERT_TRUE(R.run("+b(I, Y) <- emp(I, S, _), Y = -S"));
  EXPECT_NE(R.C.brokenRule().find("unary minus"), std::string::npos) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().count("b"), 0u);
  ASSERT_TRUE(R.run("+b(I, Z) <- emp(I, S, E), Z = 0 - S, D = cosine(E, [1.0, "
                    "0.50]), D > 2.5e-1"));
  // Ranking orders and words survive.
  ASSERT_TRUE(R.run("+c(top_k<3, I, S:desc>) <- emp(I, S, _)"));
  ASSERT_TRUE(R.run("+d(count<I>) <- emp(I, S, _), !a(I, _)"));
  EXPECT_TRUE(R.C.brokenRule().empty()) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().at("a").Canonical[0], "a(I, Y) <- emp(I, S, _), Y = (S + 1) * 2 - S / 4");
  EXPECT_EQ(R.C.rules().at("b").Canonical[0],
            "b(I, Z) <- emp(I, S, E), Z = 0 - S, D = cosine(E, [1.0, 0.5]), D > 0.25");
  EXPECT_EQ(R.C.rules().at("c").Canonical[0], "c(top_k<3, I, S:desc>) <- emp(I, S, _)");
  EXPECT_EQ(R.C.rules().at("d").Canonical[0], "d(count<I>) <- emp(I, S, _), !a(I, _)");
  // A bare order word reaches Sema as a word, which it refuses.
  ASSERT_TRUE(R.run("+w(top_k<3, I, S, asc>) <- emp(I, S, _)"));
  EXPECT_NE(R.C.brokenRule().find("`asc` is read by the server as a variable"), std::string::npos)
      << R.C.brokenRule();
  // Sema sees the converted clause: a string compared with a number.
  ASSERT_TRUE(R.run("+e(I) <- emp(I, S, _), S > \"x\""));
  EXPECT_NE(R.C.brokenRule().find("rule `e`"), std::string::npos) << R.C.brokenRule();
}

TEST(IqlCatalogTest, ConflictingAggregatesAreRefusedBeforeArity) {
  // As the server's transcripts show (14_aggregations/175, 177-179).
  CatalogRunner R;
  ASSERT_TRUE(R.run("+data(id: int, v: float)"));
  ASSERT_TRUE(R.run("+best(top_k<2, I, V:desc>) <- data(I, V)"));
  EXPECT_TRUE(R.run("+best(top_k<2, J, W:desc>) <- data(J, W)")) << R.Error;
  EXPECT_FALSE(R.run("+best(top_k<2, I, V:asc>) <- data(I, V)"));
  EXPECT_NE(R.Error.find("Conflicting aggregation"), std::string::npos) << R.Error;
  EXPECT_FALSE(R.run("+best(within_radius<2.0, I, V:asc>) <- data(I, V)"));
  EXPECT_NE(R.Error.find("Conflicting aggregation"), std::string::npos) << R.Error;
  // A plain aggregate of another arity: the conflict is named, not arity.
  EXPECT_FALSE(R.run("+best(sum<V>) <- data(_, V)"));
  EXPECT_NE(R.Error.find("Conflicting aggregation"), std::string::npos) << R.Error;
  EXPECT_EQ(R.C.rules().at("best").Clauses.size(), 2u);
  // A ranking aggregate derives a column per variable it ranks.
  EXPECT_EQ(R.C.rules().at("best").Arity, 2u);
  ASSERT_TRUE(R.run("+pair(X, Y) <- best(X, Y)"));
  EXPECT_TRUE(R.C.brokenRule().empty()) << R.C.brokenRule();
  // Plain aggregates alone are not compared (no evidence the server does).
  ASSERT_TRUE(R.run("+tot(I, sum<V>) <- data(I, V)"));
  EXPECT_TRUE(R.run("+tot(I, max<V>) <- data(I, V)")) << R.Error;
}

TEST(IqlCatalogTest, ClausesTheServerRefusesAreNotKept) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+emp(id: int, s: float)"));
  // Unsafe: the server does not register it; brokenRule says why.
  ASSERT_TRUE(R.run("+a(I, Z) <- emp(I, _)"));
  EXPECT_NE(R.C.brokenRule().find("`Z` is not bound"), std::string::npos) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().count("a"), 0u);
  // A type mismatch: the server registers it (compares at run time).
  ASSERT_TRUE(R.run("+b(I) <- emp(I, S), S > \"x\""));
  EXPECT_NE(R.C.brokenRule().find("cannot compare"), std::string::npos) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().count("b"), 1u);
  // Reading what does not exist: registered, reported.
  ASSERT_TRUE(R.run("+c(I) <- ghost(I)"));
  EXPECT_NE(R.C.brokenRule().find("does not exist"), std::string::npos) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().count("c"), 1u);
  // Both: what the server refuses is named first, and nothing is kept.
  ASSERT_TRUE(R.run("+d(I, Z) <- ghost(I)"));
  EXPECT_NE(R.C.brokenRule().find("`Z` is not bound"), std::string::npos) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().count("d"), 0u);
}

TEST(IqlCatalogTest, InsertsFitADeclaredSchema) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+emp(id: int, name: string)"));
  EXPECT_TRUE(R.run("+emp[(1, \"a\"), (2, \"b\")]")) << R.Error;
  EXPECT_FALSE(R.run("+emp(1, 2)"));
  EXPECT_NE(R.Error.find("column 'name' - TYPE_MISMATCH"), std::string::npos) << R.Error;
  EXPECT_FALSE(R.run("+emp[(1, \"a\"), (2, \"b\", 3)]"));
  EXPECT_NE(R.Error.find("Tuple #1: ARITY_MISMATCH"), std::string::npos) << R.Error;
  // A schema-less relation takes tuples of any width, as the server does.
  EXPECT_TRUE(R.run("+loose[(1, 2), (1, 2, 3)]")) << R.Error;
  EXPECT_TRUE(R.run("+loose(\"x\")")) << R.Error;
}

TEST(IqlCatalogTest, QueriesTheServerCannotPlanAreRefused) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+emp(id: int, name: string)"));
  EXPECT_TRUE(R.run("?emp(I, N), I > 3")) << R.Error;
  // Missing relations read as empty; types are compared at run time.
  EXPECT_TRUE(R.run("?ghost(X)")) << R.Error;
  EXPECT_TRUE(R.run("?emp(I, N), N > 3")) << R.Error;
  EXPECT_FALSE(R.run("?emp(I, N), Z > 3"));
  EXPECT_NE(R.Error.find("`Z`"), std::string::npos) << R.Error;
  EXPECT_FALSE(R.run("?emp(I, N), Z = nosuch(I)"));
  EXPECT_NE(R.Error.find("unknown function `nosuch`"), std::string::npos) << R.Error;
  // Sema's findings keep their kind; the server's own refusals are text.
  EXPECT_EQ(R.Kind, DiagKind::UnknownFunction);
  EXPECT_FALSE(R.run(".rule drop ghost"));
  EXPECT_FALSE(R.Kind);
}

TEST(IqlCatalogTest, RecursionThroughNegationIsRefused) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+edge(a: int, b: int)"));
  ASSERT_TRUE(R.run("+reach(X, Y) <- edge(X, Y)"));
  ASSERT_TRUE(R.run("+reach(X, Z) <- reach(X, Y), edge(Y, Z)"));
  EXPECT_TRUE(R.C.brokenRule().empty()) << R.C.brokenRule();
  ASSERT_TRUE(R.run("+lonely(X) <- edge(X, _), !reach(X, X)"));
  EXPECT_TRUE(R.C.brokenRule().empty()) << R.C.brokenRule();
  // Closing a cycle through the negation: refused, not kept.
  ASSERT_TRUE(R.run("+reach(X, Y) <- lonely(X), edge(X, Y)"));
  EXPECT_NE(R.C.brokenRule().find("`lonely` negates `reach` inside a recursive cycle"),
            std::string::npos)
      << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().at("reach").Clauses.size(), 2u);
  ASSERT_TRUE(R.run("+cnt(X, count<Y>) <- edge(X, Y), cnt(Y, _)"));
  EXPECT_NE(R.C.brokenRule().find("aggregates over `cnt`"), std::string::npos) << R.C.brokenRule();
  EXPECT_EQ(R.C.rules().count("cnt"), 0u);
}

TEST(IqlCatalogTest, RuleClearKeepsAnEmptyRule) {
  // As the server lists it afterwards (17_rule_commands/07, 20).
  CatalogRunner R;
  ASSERT_TRUE(R.run("+edge(a: int, b: int)"));
  ASSERT_TRUE(R.run("+reach(X, Y) <- edge(X, Y)"));
  EXPECT_TRUE(R.run(".rule clear reach")) << R.Error;
  EXPECT_TRUE(R.run(".rule clear reach")) << R.Error;
  EXPECT_EQ(R.C.rules().at("reach").Clauses.size(), 0u);
  EXPECT_TRUE(R.run(".rule drop reach")) << R.Error;
  EXPECT_FALSE(R.run(".rule drop reach"));
  // Removing the last clause deletes the rule.
  ASSERT_TRUE(R.run("+far(X) <- edge(X, _)"));
  EXPECT_TRUE(R.run(".rule remove far 1")) << R.Error;
  EXPECT_FALSE(R.run(".rule clear far"));
}

TEST(IqlCatalogTest, UpdateBodiesAreChecked) {
  CatalogRunner R;
  ASSERT_TRUE(R.run("+emp(id: int, name: string)"));
  ASSERT_TRUE(R.run("-emp(I, N) <- emp(I, N), I > 3"));
  EXPECT_FALSE(R.run("-emp(I, N) <- emp(I, N, X)"));
  EXPECT_NE(R.Error.find("`emp` has 2 column(s) but the body reads 3"), std::string::npos)
      << R.Error;
  EXPECT_FALSE(R.run("-emp(I, N) <- emp(I, N), N > 3"));
  EXPECT_FALSE(R.Error.empty());
  EXPECT_FALSE(R.run("-ghost(I) <- emp(I, _)"));
  EXPECT_EQ(R.Error, "Relation 'ghost' not found");
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
    O.Forward.push_back(rawIqlStatement(S));
  for (auto &S : Bwd)
    O.Backward.push_back(rawIqlStatement(S));
  L.Ops.push_back(std::move(O));
  return L;
}

TEST(VerifierTest, ReversibleCreateRelation) {
  SchemaState Before;
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R =
      verifyMigration(lowered(Op, {"+employee(id: int)"}, {".rel drop employee"}), Before, After);
  EXPECT_FALSE(R.Failure) << R.Failure->Message;
  EXPECT_TRUE(R.BackwardChecked);
  EXPECT_EQ(R.Statements, 2u);
}

TEST(VerifierTest, WrongForwardIsAMismatch) {
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R = verifyMigration(lowered(Op, {"+employee(id: string)"}, {".rel drop employee"}),
                                   SchemaState(), After);
  ASSERT_TRUE(R.Failure);
  EXPECT_EQ(R.Failure->TheReason, VerifyFailure::Reason::Mismatch);
  EXPECT_EQ(R.Failure->ThePhase, VerifyFailure::Phase::Forward);
  EXPECT_EQ(R.Failure->Index, 1u);
  EXPECT_EQ(R.Failure->Op, Op.get());
}

TEST(VerifierTest, WrongBackwardNamesTheStatement) {
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R = verifyMigration(lowered(Op, {"+employee(id: int)"}, {".rel drop employees"}),
                                   SchemaState(), After);
  ASSERT_TRUE(R.Failure);
  EXPECT_EQ(R.Failure->TheReason, VerifyFailure::Reason::Failed);
  EXPECT_EQ(R.Failure->ThePhase, VerifyFailure::Phase::Backward);
  EXPECT_EQ(R.Failure->Statement, ".rel drop employees");
}

TEST(VerifierTest, RejectedStatement) {
  SchemaState After = stateWith({{"employee", cols({{"id", Type::intTy()}})}});
  auto Op = std::make_shared<CreateRelation>("employee", cols({{"id", Type::intTy()}}));
  VerifyResult R =
      verifyMigration(lowered(Op, {"+employee(id: int, at: timestamp)"}, {}), SchemaState(), After);
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

// Meta statements are classified by the form the parser (or
// iql::metaStatement) matched, not by their words.
TEST(MigrationStatement, MetaCommandsAreClassifiedByTheirForm) {
  using Id = iql::MetaCommandId;
  EXPECT_EQ(migrationKind(iql::metaStatement(Id::RelDrop, {"doc"})), K::RelDrop);
  EXPECT_EQ(migrationKind(iql::metaStatement(Id::RuleRemove, {"near", "2"})), K::RuleRemove);
  EXPECT_EQ(migrationKind(iql::metaStatement(Id::RuleDropPrefix, {"prefix", "n"})), std::nullopt);
  EXPECT_EQ(migrationKind(iql::metaStatement(Id::KgUse, {"g"})), std::nullopt);
  iql::Statement Unmatched;
  Unmatched.K = iql::Statement::Kind::Meta;
  Unmatched.Words = {"rel", "drop", "doc"};
  EXPECT_EQ(migrationKind(Unmatched), std::nullopt);
}
