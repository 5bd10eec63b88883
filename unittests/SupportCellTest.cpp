//===- SupportCellTest.cpp - Reply cells keep their number kind -----------===//
#include "strata/Support/Cell.h"
#include "strata/Support/Json.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {
Cell read(llvm::StringRef Text) {
  llvm::Expected<Cell> C = parseCell(Text);
  EXPECT_TRUE(bool(C)) << Text.str();
  if (!C) {
    llvm::consumeError(C.takeError());
    return Cell();
  }
  return *C;
}
} // namespace

TEST(SupportCell, AWholeDoubleIsNotAnInteger) {
  EXPECT_EQ(Cell(-1.0).kind(), Cell::Kind::Double);
  EXPECT_EQ(Cell(-1).kind(), Cell::Kind::Integer);
  EXPECT_NE(Cell(-1.0), Cell(-1));
  EXPECT_FALSE(Cell(-1.0).getAsInteger());
  EXPECT_EQ(*Cell(-1).getAsNumber(), -1.0);
  EXPECT_EQ(cellJson(Cell(-1.0)), "-1.0");
  EXPECT_EQ(cellJson(Cell(-1)), "-1");
  EXPECT_EQ(cellJson(Cell(-0.0)), "-0.0");
}

TEST(SupportCell, TheTextDecidesTheKind) {
  EXPECT_EQ(read("-74.0"), Cell(-74.0));
  EXPECT_EQ(read("-74"), Cell(-74));
  EXPECT_EQ(read("-7.4e1"), Cell(-74.0));
  EXPECT_EQ(read("1E2"), Cell(100.0));
  EXPECT_EQ(read(" true "), Cell(true));
  EXPECT_EQ(read("null"), Cell());
  EXPECT_EQ(read(R"("a\"\u00e9\n")"), Cell("a\"\xc3\xa9\n"));
}

TEST(SupportCell, TheBoundsOfA64BitInteger) {
  EXPECT_EQ(read("9223372036854775807"), Cell(INT64_MAX));
  EXPECT_EQ(read("-9223372036854775808"), Cell(INT64_MIN));
  // One past either bound does not fit: a double, written as one.
  EXPECT_EQ(read("9223372036854775808"), Cell(9223372036854775808.0));
  EXPECT_EQ(read("-9223372036854775809"), Cell(-9223372036854775808.0));
  EXPECT_EQ(cellJson(read("9223372036854775808")), "9.223372036854776e18");
  EXPECT_EQ(cellJson(Cell(INT64_MIN)), "-9223372036854775808");
}

TEST(SupportCell, NestedListsAndObjectsRoundTrip) {
  std::string Text = R"({"b":[[1.0,-1],[]],"a":{"x":-0.5,"y":null},"c":"s"})";
  Cell C = read(Text);
  ASSERT_TRUE(C.getAsObject());
  const Cell::ListT &B = *C.getAsObject()->at("b").getAsList();
  EXPECT_EQ(B[0], Cell(Cell::ListT{1.0, -1}));
  EXPECT_TRUE(B[1].getAsList()->empty());
  // Keys come out sorted; every number keeps its kind.
  std::string Written = cellJson(C);
  EXPECT_EQ(Written, R"({"a":{"x":-0.5,"y":null},"b":[[1.0,-1],[]],"c":"s"})");
  EXPECT_EQ(read(Written), C);
}

TEST(SupportCell, ReadingRefusesWhatParseJsonRefuses) {
  for (const char *Bad : {"[1,", "1e999", "{\"a\" 1}", ""}) {
    llvm::Expected<Cell> C = parseCell(Bad);
    EXPECT_FALSE(bool(C)) << Bad;
    if (!C)
      llvm::consumeError(C.takeError());
  }
  std::string Deep = std::string(MaxJsonDepth + 1, '[') + std::string(MaxJsonDepth + 1, ']');
  llvm::Expected<Cell> D = parseCell(Deep);
  EXPECT_FALSE(bool(D));
  if (!D)
    llvm::consumeError(D.takeError());
}

TEST(SupportCell, AJsonTreeLosesOnlyANegativeWholeDouble) {
  EXPECT_EQ(Cell::fromJson(llvm::json::Value(2.0)), Cell(2.0));
  EXPECT_EQ(Cell::fromJson(llvm::json::Value(-2.5)), Cell(-2.5));
  EXPECT_EQ(Cell::fromJson(llvm::json::Value(7)), Cell(7));
  EXPECT_EQ(Cell::fromJson(llvm::json::Value(-2.0)), Cell(-2)); // llvm::json cannot tell
}

// The server's client reads a reply's numbers with two roundings (the
// digits as an integer, then times or divided by a power of ten); the
// conformance runner prints what it would show.
TEST(SupportCell, TheClientReadsNumbersWithTwoRoundings) {
  EXPECT_EQ(clientReadBack(3e100), 3.0 * 1e100); // 3.0000000000000002e100
  EXPECT_NE(clientReadBack(3e100), 3e100);
  EXPECT_EQ(clientReadBack(0.09999999999999999), 0.1); // 9999999999999999 / 1e17
  EXPECT_EQ(clientReadBack(-0.09999999999999999), -0.1);
  for (double D : {0.0, 1.0, -74.0, 0.1, 1e-7, 1e100, 2e100, 999999999999.99, -123.456, 1e300})
    EXPECT_EQ(clientReadBack(D), D) << D;
  EXPECT_TRUE(std::signbit(clientReadBack(-0.0)));
  EXPECT_EQ(clientReadBack(5e-324), 5e-324); // past 10^308: divided twice
  Cell Row(Cell::ListT{Cell(3e100), Cell(1), Cell("x")});
  EXPECT_EQ(clientReadBack(Row), Cell(Cell::ListT{Cell(3.0 * 1e100), Cell(1), Cell("x")}));
}
