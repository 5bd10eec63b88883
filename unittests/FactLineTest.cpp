//===- FactLineTest.cpp - The fact line fast path agrees with the parser --===//
//
// readPlainFact (lib/Engine/FactLine.h) may decline any line, but a line it
// reads must mean to it exactly what it means to the IQL parser: the same
// relation and the same values, of the same kinds. Checked on the lines
// the state file writes, on hand-picked hostile lines, and on lines mangled
// at random from valid ones.
//
//===----------------------------------------------------------------------===//
#include "../lib/Engine/FactLine.h"
#include "../lib/Engine/StateText.h"
#include "strata/IQL/Parser.h"
#include "gtest/gtest.h"
#include <random>

using namespace strata;
using namespace strata::engine;

namespace {

/// What the parser makes of a fact payload: the relation and row of a
/// one-row insert of constants, or nothing.
bool parserReads(llvm::StringRef Payload, std::string &Relation, iql::Tuple &Row) {
  iql::ParseOptions Options;
  Options.AllowNull = true;
  llvm::Expected<iql::Statement> S = iql::parseStatement(Payload, Options);
  if (!S) {
    llvm::consumeError(S.takeError());
    return false;
  }
  if (S->K != iql::Statement::Kind::Insert || S->Rows.size() != 1)
    return false;
  Row.clear();
  for (const iql::Expr &X : S->Rows[0]) {
    if (X.K != iql::Expr::Kind::Constant)
      return false;
    Row.push_back(X.Constant);
  }
  Relation = S->Relation;
  return true;
}

std::string describe(const iql::Tuple &Row) {
  std::string Out;
  for (const iql::Value &V : Row)
    Out += std::to_string(int(V.kind())) + ":" + V.literal() + " ";
  return Out;
}

/// Returns whether the fast path read Payload; fails the test when it
/// read it differently from the parser.
bool agrees(llvm::StringRef Payload) {
  llvm::StringRef FastRelation;
  iql::Tuple FastRow;
  if (!readPlainFact(Payload, FastRelation, FastRow))
    return false;
  std::string Relation;
  iql::Tuple Row;
  bool Parsed = parserReads(Payload, Relation, Row);
  EXPECT_TRUE(Parsed) << "the fast path read a line the parser refuses: " << Payload.str();
  if (!Parsed)
    return true;
  EXPECT_EQ(FastRelation.str(), Relation) << Payload.str();
  EXPECT_EQ(describe(FastRow), describe(Row)) << Payload.str();
  return true;
}

std::string factPayload(const iql::Tuple &Row) {
  std::string Line;
  appendFactLine(Line, "fact", "rel_1", Row);
  return Line.substr(5, Line.size() - 6); // without "fact " and "\n"
}

TEST(FactLine, ReadsWhatTheStateFileWrites) {
  using iql::Value;
  std::vector<iql::Tuple> Rows = {
      {Value::integer(0)},
      {Value::integer(-1), Value::integer(INT64_MAX)},
      {Value::integer(INT64_MIN + 1)},
      {Value::string("")},
      {Value::string("a \"quoted\" \\ back\nslash\t\r"), Value::integer(42)},
      {Value::string("ünïcode, (parens) and, commas")},
  };
  for (const iql::Tuple &Row : Rows)
    EXPECT_TRUE(agrees(factPayload(Row))) << factPayload(Row);
}

TEST(FactLine, LeavesEverythingElseToTheParser) {
  // Lines the fast path must decline (whatever the parser makes of them).
  const char *Declined[] = {
      "+n()",
      "+n(1,2)",
      "+n( 1)",
      "+n(1) ",
      " +n(1)",
      "+n(1, )",
      "+n(1.5)",
      "+n(1e3)",
      "+n(12ab)",
      "+n(- 1)",
      "+n(--1)",
      "+n(+1)",
      "+n(true)",
      "+n(null)",
      "+n([1, 2])",
      "+N(1)",
      "+_n(1)",
      "+__n(1)",
      "-n(1)",
      "n(1)",
      "+n(1) <- m(1)",
      "+n(1), +m(2)",
      "+n[(1)]",
      "+n(1).",
      "+n(\"a)",
      "+n(\"a\" \"b\")",
      "+n(1)(2)",
      "+n(X)",
      "+n(1 + 2)",
      "+n(\"a\\\")",
      "+n(9223372036854775808)",
      "+n(-9223372036854775808)",
      "+n(99999999999999999999)",
      "+n(1)\r",
      "+n(1, 2",
      "+",
      "",
      "+n(x: int)",
  };
  for (const char *Line : Declined) {
    llvm::StringRef Relation;
    iql::Tuple Row;
    EXPECT_FALSE(readPlainFact(Line, Relation, Row)) << Line;
  }
  // Lines it reads, as the parser does: odd but valid.
  const char *Read[] = {"+n(007)",
                        "+n(-0)",
                        "+true(1)",
                        "+null(1)",
                        "+not(1)",
                        "+n9_X(1, \"\")",
                        "+n(\"\\q\\\\\")",
                        "+n(9223372036854775807)",
                        "+n(-9223372036854775807)"};
  for (const char *Line : Read)
    EXPECT_TRUE(agrees(Line)) << Line;
}

TEST(FactLine, AgreesWithTheParserOnMangledLines) {
  std::mt19937 Random(20261205);
  const std::string Alphabet = "+-(), \"\\0123456789eE.aznNX_[]:<";
  const std::string Seeds[] = {"+n(1, 2)", "+rel(-42, \"a, b\")", "+r(\"x\\\"y\", 0)",
                               "+n(9223372036854775807)"};
  size_t ReadCount = 0;
  for (int I = 0; I < 20000; ++I) {
    std::string Line = Seeds[Random() % 4];
    int Edits = 1 + int(Random() % 3);
    for (int E = 0; E < Edits; ++E) {
      size_t At = Random() % (Line.size() + 1);
      char C = Alphabet[Random() % Alphabet.size()];
      switch (Random() % 3) {
      case 0:
        Line.insert(Line.begin() + long(At), C);
        break;
      case 1:
        if (At < Line.size())
          Line.erase(At, 1);
        break;
      default:
        if (At < Line.size())
          Line[At] = C;
      }
    }
    ReadCount += agrees(Line);
  }
  // The mangling leaves many lines plain; the comparison must have run.
  EXPECT_GT(ReadCount, 1000u);
}

} // namespace
