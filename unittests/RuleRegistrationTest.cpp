//===- RuleRegistrationTest.cpp - Stratification when rules are registered -===//
//
// validateRule stratifies only the rules around a new one (the ones its
// body reaches, when that reaches its head): these are the cycles it must
// still find, whichever rule closes them, and the shapes it must accept.
//
//===----------------------------------------------------------------------===//
#include "strata/Engine/Engine.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::engine;

namespace {

struct Registration : ::testing::Test {
  Engine E;
  Session S{E};

  /// The error of the reply, or "" when it succeeded.
  std::string failure(llvm::StringRef Program) {
    Reply R = S.execute(Program);
    if (R.IsError)
      return R.ErrorMessage;
    for (const auto &Row : R.Rows)
      for (const strata::Cell &Cell : Row)
        if (llvm::Optional<llvm::StringRef> Text = Cell.getAsString())
          if (Text->contains("Failed to register"))
            return Text->str();
    return "";
  }

  void SetUp() override {
    ASSERT_EQ(failure("+base(x: int)"), "");
    ASSERT_EQ(failure("+base[(1), (2)]"), "");
  }
};

TEST_F(Registration, NegationThroughARuleNamedBeforeItExists) {
  // `b` has no rule yet when `a` negates it; the rule for `b` closes the cycle.
  EXPECT_EQ(failure("+a(X) <- base(X), !b(X)"), "");
  EXPECT_NE(failure("+b(X) <- a(X)").find("not stratifiable"), std::string::npos);
}

TEST_F(Registration, NegationOnALongerCycle) {
  EXPECT_EQ(failure("+a(X) <- base(X), !c(X)"), "");
  EXPECT_EQ(failure("+b(X) <- a(X)"), "");
  EXPECT_NE(failure("+c(X) <- b(X)").find("not stratifiable"), std::string::npos);
}

TEST_F(Registration, SelfNegation) {
  EXPECT_NE(failure("+p(X) <- base(X), !p(X)").find("not stratifiable"), std::string::npos);
}

TEST_F(Registration, AggregateOverItsOwnRecursion) {
  EXPECT_EQ(failure("+t(X, Y) <- base(X), Y = X"), "");
  EXPECT_NE(failure("+t(X, count<Y>) <- t(X, Y)").find("not stratifiable"), std::string::npos);
}

TEST_F(Registration, SessionRulesTakePart) {
  EXPECT_EQ(failure("s(X) <- a(X)"), "");
  EXPECT_NE(failure("+a(X) <- base(X), !s(X)").find("not stratifiable"), std::string::npos);
}

TEST_F(Registration, PositiveRecursionAndChainsAreAccepted) {
  EXPECT_EQ(failure("+e(X, Y) <- base(X), base(Y)"), "");
  EXPECT_EQ(failure("+tc(X, Y) <- e(X, Y)"), "");
  EXPECT_EQ(failure("+tc(X, Z) <- tc(X, Y), e(Y, Z)"), "");
  for (int I = 1; I < 50; ++I)
    EXPECT_EQ(failure("+c" + std::to_string(I) + "(X) <- c" + std::to_string(I - 1) + "(X)"), "");
  EXPECT_EQ(failure("+c0(X) <- base(X), !tc(X, X)"), ""); // closes no cycle
}

TEST_F(Registration, NegationAcrossALongChain) {
  // Long enough that the walk from the last rule's body is not short.
  EXPECT_EQ(failure("+c0(X) <- base(X), !top(X)"), "");
  for (int I = 1; I < 100; ++I)
    ASSERT_EQ(failure("+c" + std::to_string(I) + "(X) <- c" + std::to_string(I - 1) + "(X)"), "");
  EXPECT_EQ(failure("+side(X) <- c99(X)"), ""); // nobody names `side`: no cycle
  EXPECT_NE(failure("+top(X) <- c99(X)").find("not stratifiable"), std::string::npos);
}

//===-- The body index (RuleBodyIndex.h) -----------------------------------===//
//
// A chain longer than the short walk asks the index whether any body reads
// the new rule's head. These cycles are closed after the rules reading the
// head were dropped and registered again, so a stale index would let them
// through; the messages are those the scan gave before the index.

struct LongChain : Registration {
  void SetUp() override {
    Registration::SetUp();
    ASSERT_EQ(failure("+c0(X) <- base(X), !top(X)"), "");
    for (int I = 1; I < 100; ++I)
      ASSERT_EQ(failure("+c" + std::to_string(I) + "(X) <- c" + std::to_string(I - 1) + "(X)"), "");
  }
  static constexpr const char *TopCycle =
      "Failed to register rule 'top': Rule 'c0' is not stratifiable: it negates 'top', which "
      "depends on it recursively";
};

TEST_F(LongChain, RefusedAtTheRuleThatClosesTheCycle) {
  EXPECT_EQ(failure("+top(X) <- c99(X)"), TopCycle);
}

TEST_F(LongChain, ADroppedReaderNoLongerCounts) {
  EXPECT_EQ(failure(".rule drop c0"), "");
  EXPECT_EQ(failure("+top(X) <- c99(X)"), ""); // nothing reads `top` now
  EXPECT_EQ(failure("+c0(X) <- base(X), !top(X)"),
            "Failed to register rule 'c0': Rule 'c0' is not stratifiable: it negates 'top', "
            "which depends on it recursively");
}

TEST_F(LongChain, AReaderRegisteredAgainCounts) {
  for (const char *Drop : {".rule drop c0", ".rule clear c0", ".rule remove c0 1", ".rel drop c0",
                           ".rule drop prefix c0"}) {
    SCOPED_TRACE(Drop);
    EXPECT_EQ(failure(Drop), "");
    EXPECT_EQ(failure("+c0(X) <- base(X), !top(X)"), "");
    EXPECT_EQ(failure("+top(X) <- c99(X)"), TopCycle);
  }
}

TEST_F(LongChain, EachGraphHasItsOwn) {
  EXPECT_EQ(failure(".kg create other"), "");
  EXPECT_EQ(failure("+base(x: int)"), "");
  for (int I = 1; I < 100; ++I)
    ASSERT_EQ(failure("+c" + std::to_string(I) + "(X) <- c" + std::to_string(I - 1) + "(X)"), "");
  EXPECT_EQ(failure("+top(X) <- c99(X)"), ""); // `other` has no `c0` negating it
  EXPECT_EQ(failure(".kg use default"), "");
  EXPECT_EQ(failure("+top(X) <- c99(X)"), TopCycle);
}

TEST_F(LongChain, AJournalRecordIsReadAgain) {
  // The record puts back the reader of `top` without the session's
  // commands: the index must be built again from the rules.
  EXPECT_EQ(failure(".rule drop c0"), "");
  ASSERT_FALSE(bool(E.applyChanges("graph default\nrule +c0(X) <- base(X), !top(X)\n")));
  EXPECT_EQ(failure("+top(X) <- c99(X)"), TopCycle);
}

} // namespace
