//===- ReplyFormatTest.cpp - Replies printed as the server's client does --===//
#include "strata/Exec/ReplyFormat.h"
#include "gtest/gtest.h"
#include <cstdint>

using namespace strata;
using Value = strata::Cell;

namespace {
std::string printed(const Reply &R) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  exec::printReply(R, OS);
  return OS.str();
}

Reply table(std::vector<std::string> Columns, std::vector<std::vector<Value>> Rows) {
  Reply R;
  R.Columns = std::move(Columns);
  R.Rows = std::move(Rows);
  return R;
}
} // namespace

TEST(ReplyFormatTable, NumbersRightStringsLeftWidthsFromTheWidestCell) {
  Reply R =
      table({"id", "city", "population"}, {{Value(7), Value("Lyon"), Value(513275)},
                                           {Value(12), Value("Saint-Étienne"), Value(172565)}});
  EXPECT_EQ(printed(R), "┌────┬─────────────────┬────────────┐\n"
                        "│ id │ city            │ population │\n"
                        "├────┼─────────────────┼────────────┤\n"
                        "│  7 │ \"Lyon\"          │     513275 │\n"
                        "│ 12 │ \"Saint-Étienne\" │     172565 │\n"
                        "└────┴─────────────────┴────────────┘\n"
                        "2 rows\n");
}

TEST(ReplyFormatTable, OneRowStillSaysRows) {
  EXPECT_EQ(printed(table({"n"}, {{Value(3)}})), "┌───┐\n"
                                                 "│ n │\n"
                                                 "├───┤\n"
                                                 "│ 3 │\n"
                                                 "└───┘\n"
                                                 "1 rows\n");
}

// A query of a nullary relation answers rows of no columns: the client
// prints each as two bars, as 10_edge_cases/14_wildcard_patterns of the server's
// transcripts shows.
TEST(ReplyFormatTable, RowsOfNoColumnsAreTwoBars) {
  EXPECT_EQ(printed(table({}, {{}})), "┌┐\n"
                                      "││\n"
                                      "├┤\n"
                                      "││\n"
                                      "└┘\n"
                                      "1 rows\n");
}

TEST(ReplyFormatTable, AColumnWithAnyNonNumberIsLeftAligned) {
  Reply R = table({"v"}, {{Value(100)}, {Value("x")}});
  EXPECT_EQ(printed(R), "┌─────┐\n"
                        "│ v   │\n"
                        "├─────┤\n"
                        "│ 100 │\n"
                        "│ \"x\" │\n"
                        "└─────┘\n"
                        "2 rows\n");
}

TEST(ReplyFormatTable, LongCellsAreCutAtFortyCharacters) {
  std::string Long(50, 'a');
  std::string Text = printed(table({"s"}, {{Value(Long)}}));
  // 39 characters of the quoted string, then an ellipsis: 40 in all.
  std::string Cut = "\"" + std::string(38, 'a') + "…";
  EXPECT_NE(Text.find("│ " + Cut + " │\n"), std::string::npos) << Text;
  EXPECT_NE(Text.find("┌" +
                      [] {
                        std::string S;
                        for (int I = 0; I < 42; ++I)
                          S += "─";
                        return S;
                      }() +
                      "┐\n"),
            std::string::npos)
      << Text;
}

// Cells are measured in characters: a long cell of two-byte characters is
// cut after 39 of them, a short row leaves its last cells blank, and the
// extremes of 64-bit integers print whole.
TEST(ReplyFormatTable, WidthsInCharactersShortRowsAndLargeIntegers) {
  std::string Long;
  for (int I = 0; I < 45; ++I)
    Long += "é";
  Reply R = table({"n", "s"}, {{Value(INT64_MIN), Value(Long)}, {Value(INT64_MAX)}});
  std::string Cut = "\"";
  for (int I = 0; I < 38; ++I)
    Cut += "é";
  Cut += "…";
  std::string Rule20, Rule42;
  for (int I = 0; I < 22; ++I)
    Rule20 += "─";
  for (int I = 0; I < 42; ++I)
    Rule42 += "─";
  EXPECT_EQ(printed(R), "┌" + Rule20 + "┬" + Rule42 + "┐\n" + "│ n                    │ s" +
                            std::string(39, ' ') + " │\n" + "├" + Rule20 + "┼" + Rule42 + "┤\n" +
                            "│ -9223372036854775808 │ " + Cut + " │\n" +
                            "│  9223372036854775807 │ " + std::string(40, ' ') + " │\n" + "└" +
                            Rule20 + "┴" + Rule42 + "┘\n" + "2 rows\n");
}

TEST(ReplyFormatTable, EmptyResultSaysNoResults) {
  EXPECT_EQ(printed(table({"x", "y"}, {})), "No results.\n");
}

TEST(ReplyFormatMessages, OneLinePerRow) {
  Reply R = Reply::message("Knowledge graph 'g' created.");
  R.Rows.push_back({Value("Switched to knowledge graph: g")});
  EXPECT_EQ(printed(R), "Knowledge graph 'g' created.\nSwitched to knowledge graph: g\n");
  // A message that is itself an error is printed as the server sent it.
  EXPECT_EQ(printed(Reply::message("Rule 'x' not found")), "Rule 'x' not found\n");
}

TEST(ReplyFormatErrors, ErrorFrameWithValidationErrors) {
  Reply R = Reply::error("Program refused");
  R.ValidationErrors.push_back({2, 1, "Unknown base type: 'timestamp'"});
  EXPECT_EQ(printed(R), "Error: Program refused\n  line 2: Unknown base type: 'timestamp'\n");
  EXPECT_EQ(printed(Reply::error("Error: boom")), "Error: boom\n");
}

TEST(ReplyFormatCells, ScalarsAsTheClientShowsThem) {
  EXPECT_EQ(exec::cellText(Value(42)), "42");
  EXPECT_EQ(exec::cellText(Value(-42)), "-42");
  EXPECT_EQ(exec::cellText(Value(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(exec::cellText(Value(true)), "true");
  EXPECT_EQ(exec::cellText(Value(nullptr)), "null");
  EXPECT_EQ(exec::cellText(Value("say \"hi\"\\\n\t")), "\"say \\\"hi\\\"\\\\\\n\\t\"");
}

TEST(ReplyFormatCells, DoublesAsTheServersJsonLibraryPrintsThem) {
  EXPECT_EQ(exec::cellText(Value(110.0)), "110.0");
  EXPECT_EQ(exec::cellText(Value(9.99)), "9.99");
  EXPECT_EQ(exec::cellText(Value(0.1)), "0.1");
  EXPECT_EQ(exec::cellText(Value(-2.5)), "-2.5");
  EXPECT_EQ(exec::cellText(Value(0.0)), "0.0");
  EXPECT_EQ(exec::cellText(Value(1234000000000000.0)), "1234000000000000.0");
  EXPECT_EQ(exec::cellText(Value(1.234e16)), "1.234e16");
  EXPECT_EQ(exec::cellText(Value(1e20)), "1e20");
  EXPECT_EQ(exec::cellText(Value(0.00001)), "0.00001");
  EXPECT_EQ(exec::cellText(Value(0.000001)), "1e-6");
  EXPECT_EQ(exec::cellText(Value(1.5e-7)), "1.5e-7");
  EXPECT_EQ(exec::cellText(Value(-1e300)), "-1e300");
}

TEST(ReplyFormatCells, VectorsListsAndRecords) {
  EXPECT_EQ(exec::cellText(Value(Value::ListT{0.5, 1.0, -2})), "[0.5, 1.0, -2]");
  EXPECT_EQ(exec::cellText(Value(Value::ListT{})), "[]");
  EXPECT_EQ(exec::cellText(Value(Value::ObjectT{{"name", "Ann"}, {"age", 30}})),
            "{age: 30, name: \"Ann\"}");
}

TEST(ReplyFormatJson, AFrameFromTheWirePrintsAsATable) {
  llvm::Expected<llvm::json::Value> Frame = llvm::json::parse(
      R"({"type":"result","columns":["id","score"],"rows":[[1,0.5],[2,1.0]],"row_count":2})");
  ASSERT_TRUE(bool(Frame));
  llvm::Expected<Reply> R = exec::replyFromJson(*Frame);
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(printed(*R), "┌────┬───────┐\n"
                         "│ id │ score │\n"
                         "├────┼───────┤\n"
                         "│  1 │   0.5 │\n"
                         "│  2 │   1.0 │\n"
                         "└────┴───────┘\n"
                         "2 rows\n");
}

namespace {
TEST(ReplyFormatFrameText, FloatsStayFloatsInShortestForm) {
  using llvm::json::Array;
  using strata::exec::frameText;
  EXPECT_EQ(frameText(Array{5.0, 0.1, -2.5, 100.0, 1e20, 1.5e-7, 0.00001, 123.456}),
            "[5.0,0.1,-2.5,100.0,1e20,1.5e-7,0.00001,123.456]");
  EXPECT_EQ(frameText(Array{int64_t(5), int64_t(-7), int64_t(0)}), "[5,-7,0]");
  EXPECT_EQ(frameText(llvm::json::Object{{"b", 1.0}, {"a", "x\"y"}, {"c", nullptr}}),
            "{\"a\":\"x\\\"y\",\"b\":1.0,\"c\":null}");
}

TEST(ReplyFormatFrameText, FloatsSurviveTheRoundTrip) {
  strata::Reply R;
  R.Columns = {"x"};
  R.Rows.push_back({strata::Cell(5.0)});
  R.Rows.push_back({strata::Cell(-74.0)});
  std::string Text = strata::exec::replyFrame(R);
  EXPECT_EQ(Text, R"({"columns":["x"],"row_count":2,"rows":[[5.0],[-74.0]],"type":"result"})");
  llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Text);
  ASSERT_TRUE(bool(Parsed));
  llvm::Expected<strata::Reply> Back = strata::exec::replyFromJson(*Parsed, Text);
  ASSERT_TRUE(bool(Back));
  EXPECT_EQ(strata::exec::cellText(Back->Rows[0][0]), "5.0");
  EXPECT_EQ(strata::exec::cellText(Back->Rows[1][0]), "-74.0");
  EXPECT_EQ(Back->Rows, R.Rows);
}
} // namespace

TEST(ReplyFormatCellLiteral, EveryCellReadsBackAsTheSameValue) {
  EXPECT_EQ(*exec::cellLiteral(Value(42)), "42");
  EXPECT_EQ(*exec::cellLiteral(Value(nullptr)), "null");
  EXPECT_EQ(*exec::cellLiteral(Value(true)), "true");
  EXPECT_EQ(*exec::cellLiteral(Value("a \"q\"")), "\"a \\\"q\\\"\"");
  EXPECT_EQ(*exec::cellLiteral(Value(Value::ListT{1, "x"})), "[1, \"x\"]");
  // A whole double keeps a fraction, so it stays a float.
  EXPECT_EQ(*exec::cellLiteral(Value(5.0)), "5.0");
  EXPECT_EQ(*exec::cellLiteral(Value(-5.0)), "-5.0");
}

TEST(ReplyFormatCellLiteral, AFloatColumnMakesANegativeIntegerAFloat) {
  // A cell from a JSON tree (Cell::fromJson) reads -5.0 as an integer.
  iql::ColumnType Float;
  Float.K = iql::ColumnType::Kind::Float;
  EXPECT_EQ(*exec::cellLiteral(Value::fromJson(llvm::json::Value(-5.0))), "-5");
  EXPECT_EQ(*exec::cellLiteral(Value::fromJson(llvm::json::Value(-5.0)), &Float), "-5.0");
}

TEST(ReplyFormatCellLiteral, ARecordHasNoLiteral) {
  EXPECT_FALSE(exec::cellLiteral(Value(Value::ObjectT{{"a", 1}})));
}
