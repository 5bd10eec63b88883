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

// Found by strata-fuzz-json: a double of 2^63 given to llvm::json's
// getAsInteger is converted to int64 (undefined; UBSan reports it).
TEST(SupportJson, IntegersAreReadOnlyInRange) {
  using Int = llvm::Optional<int64_t>;
  auto Read = [](const char *Text) -> Int {
    llvm::Expected<llvm::json::Value> V = parseJson(Text);
    EXPECT_TRUE(bool(V)) << Text;
    if (!V) {
      llvm::consumeError(V.takeError());
      return llvm::None;
    }
    return jsonInteger(*V);
  };
  EXPECT_EQ(Read("9223372036854775807"), Int(INT64_MAX));
  EXPECT_EQ(Read("-9223372036854775808"), Int(INT64_MIN));
  EXPECT_EQ(Read("-9223372036854775808.0"), Int(INT64_MIN));
  EXPECT_EQ(Read("12.0"), Int(12));
  EXPECT_EQ(Read("9223372036854775808.5"), llvm::None);
  // LLVM 14's parser clamps integer literals beyond int64 to INT64_MAX
  // (strtoll); parseJson does not look at the text's digits again.
  EXPECT_EQ(Read("18446744073709551615"), Int(INT64_MAX));
  EXPECT_EQ(Read("1e30"), llvm::None);
  EXPECT_EQ(Read("-1e30"), llvm::None);
  EXPECT_EQ(Read("1.5"), llvm::None);
  EXPECT_EQ(Read("\"7\""), llvm::None);
  llvm::json::Object O{{"n", 3}};
  EXPECT_EQ(jsonInteger(O, "n"), Int(3));
  EXPECT_EQ(jsonInteger(O, "missing"), llvm::None);
}

TEST(SupportJson, RepeatedTopLevelKeysAreFound) {
  EXPECT_EQ(repeatedTopLevelKey(R"({"type": "ping", "id": "1", "type": "execute"})"),
            std::string("type"));
  // Escapes are decoded: both keys are `id`.
  EXPECT_EQ(repeatedTopLevelKey(R"({"id": "a", "\u0069d": "b"})"), std::string("id"));
  // Keys of nested objects, values equal to keys, and quotes inside
  // strings are no top-level keys.
  for (const char *Text : {R"({"a": {"b": 1, "b": 2}})", R"({"a": "a", "b": ["a", "a"]})",
                           R"({"a": "x\":", "x": 1})", R"([1, "a", "a"])", R"("a")", "{}"})
    EXPECT_EQ(repeatedTopLevelKey(Text), llvm::None) << Text;
}
