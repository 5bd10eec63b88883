//===- EngineBudgetTest.cpp - What the memory budget charges a fact -------===//
#include "../lib/Engine/Budget.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::engine;

namespace {
uint64_t bytesOf(std::vector<Value> Values) { return materialisedBytes(Tuple(std::move(Values))); }
} // namespace

// A value costs itself; a string or a list that is not empty costs the
// heap block its copies share, a string past the small-string buffer its
// characters too, and a list its elements. The budget's estimate is what
// stops a runaway query before the process runs out of memory, so each
// case is pinned.
TEST(EngineBudget, AFactCostsItsValuesAndWhatTheyHoldOutside) {
  const uint64_t StringBlock = sizeof(iql::detail::StringBlock);
  const uint64_t ListBlock = sizeof(iql::detail::ValueBlock) + sizeof(std::vector<Value>);
  uint64_t OneInt = bytesOf({Value::integer(7)});
  EXPECT_EQ(sizeof(Value), 16u);
  EXPECT_EQ(bytesOf({Value::string("")}), OneInt);
  EXPECT_EQ(bytesOf({Value::string("short")}), OneInt + StringBlock);
  EXPECT_EQ(bytesOf({Value::string(std::string(15, 'a'))}), OneInt + StringBlock);
  EXPECT_EQ(bytesOf({Value::string(std::string(16, 'a'))}), OneInt + StringBlock + 17);
  EXPECT_EQ(bytesOf({Value::string(std::string(100, 'a'))}), OneInt + StringBlock + 101);
  EXPECT_EQ(bytesOf({Value::integer(1), Value::integer(2)}) - OneInt, sizeof(Value));
  EXPECT_EQ(bytesOf({Value::list({})}), OneInt);
  EXPECT_EQ(bytesOf({Value::list({Value::integer(1), Value::integer(2), Value::integer(3)})}),
            OneInt + ListBlock + 3 * sizeof(Value));
  EXPECT_EQ(bytesOf({Value::list({Value::string(std::string(20, 'b'))})}),
            OneInt + ListBlock + sizeof(Value) + StringBlock + 21);
}
