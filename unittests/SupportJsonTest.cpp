//===- SupportJsonTest.cpp - JSON with bounded nesting ---------------------===//
#include "strata/Support/Json.h"
#include <gtest/gtest.h>

using namespace strata;

TEST(SupportJson, NestingIsMeasuredBeforeParsing) {
  std::string AtLimit = std::string(MaxJsonDepth, '[') + std::string(MaxJsonDepth, ']');
  EXPECT_TRUE(bool(parseJson(AtLimit)));
  std::string Over = "[" + AtLimit + "]";
  llvm::Expected<llvm::json::Value> V = parseJson(Over);
  ASSERT_FALSE(bool(V));
  EXPECT_EQ(llvm::toString(V.takeError()), "JSON nested more than 64 levels deep");
  // Far deeper than the stack allows, objects and arrays mixed.
  std::string Deep;
  for (int I = 0; I < 200000; ++I)
    Deep += I % 2 ? "{\"a\":" : "[";
  llvm::Expected<llvm::json::Value> D = parseJson(Deep);
  ASSERT_FALSE(bool(D));
  llvm::consumeError(D.takeError());
}

TEST(SupportJson, BracketsInStringsDoNotCount) {
  std::string Text = "{\"s\": \"" + std::string(1000, '[') + "\\\"" + std::string(10, '{') + "\"}";
  llvm::Expected<llvm::json::Value> V = parseJson(Text);
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
  EXPECT_EQ(V->getAsObject()->getString("s")->size(), 1011u);
}

TEST(SupportJson, ErrorsOfTheParserPassThrough) {
  llvm::Expected<llvm::json::Value> V = parseJson("{\"a\": }");
  ASSERT_FALSE(bool(V));
  EXPECT_FALSE(llvm::toString(V.takeError()).empty());
}

// Found by strata-fuzz-json: `1e3085` read as infinity, which frameText
// writes as null, so a reply changed on its way through replyFrames.
TEST(SupportJson, NumbersOutOfRangeAreRefused) {
  for (const char *Text : {"1e999", "[1, {\"a\": -1e400}]", "{\"rows\": [[2e308]]}"}) {
    llvm::Expected<llvm::json::Value> V = parseJson(Text);
    ASSERT_FALSE(bool(V)) << Text;
    EXPECT_EQ(llvm::toString(V.takeError()), "JSON has a number out of the range of a double");
  }
  // The largest and smallest doubles, and integers beyond 64 bits (read as
  // doubles), are numbers still.
  for (const char *Text :
       {"1.7976931348623157e308", "5e-324", "1e-400", "123456789012345678901234"})
    EXPECT_TRUE(bool(parseJson(Text))) << Text;
}
