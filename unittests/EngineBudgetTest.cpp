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

namespace {
/// The process's limits, set for one test and restored after it.
struct ScopedLimits {
  EvaluationLimits Saved = evaluationLimits();
  ~ScopedLimits() { evaluationLimits() = Saved; }
};
} // namespace

// A charge is decided inline while no bound is near; at a bound it must
// stop exactly where the out-of-line charge does: the last step, row or
// byte within the limit passes, the next one fails with its reason, and
// an exhausted budget refuses everything after, keeping the first reason.
TEST(EngineBudget, StopsExactlyPastEachBound) {
  ScopedLimits Restore;
  evaluationLimits().Steps = 10'000; // past the 4096th step's clock check
  Budget Steps;
  for (int I = 0; I < 10'000; ++I)
    ASSERT_TRUE(Steps.step()) << I;
  EXPECT_FALSE(Steps.exhausted());
  EXPECT_FALSE(Steps.step());
  EXPECT_EQ(Steps.reason(), "Evaluation stopped: it took more than 10000 join steps, the limit "
                            "for one statement (raise it with --max-steps or STRATA_MAX_STEPS)");
  EXPECT_FALSE(Steps.bytes(0));

  evaluationLimits().Rows = 3;
  Budget Rows;
  for (int I = 0; I < 3; ++I)
    ASSERT_TRUE(Rows.row());
  EXPECT_FALSE(Rows.row());
  EXPECT_EQ(Rows.reason(), "Evaluation stopped: it produced more than 3 rows, the limit for one "
                           "statement (raise it with --max-rows or STRATA_MAX_ROWS)");
  EXPECT_FALSE(Rows.step());

  evaluationLimits().MemoryBytes = 1000;
  Budget Bytes;
  EXPECT_TRUE(Bytes.bytes(600));
  EXPECT_TRUE(Bytes.bytes(400));
  EXPECT_TRUE(Bytes.bytes(0));
  EXPECT_FALSE(Bytes.bytes(1));
  EXPECT_EQ(Bytes.reason(), "Evaluation stopped: it needed more than 1000 bytes of memory, the "
                            "evaluation budget of one statement (raise it with --max-memory or "
                            "STRATA_MAX_MEMORY)");
  EXPECT_FALSE(Bytes.row());
  Bytes.stop("another reason");
  EXPECT_EQ(Bytes.reason().find("another"), std::string::npos);

  // The clock is read every 4096th step only.
  evaluationLimits() = Restore.Saved;
  evaluationLimits().Deadline = std::chrono::steady_clock::now();
  Budget Late;
  for (int I = 1; I < 4096; ++I)
    ASSERT_TRUE(Late.step()) << I;
  EXPECT_FALSE(Late.step());
  EXPECT_EQ(Late.reason(), "Evaluation stopped: the request ran past its time limit");
}
