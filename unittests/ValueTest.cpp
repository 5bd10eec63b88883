//===- ValueTest.cpp - One cell of a fact: size, sharing, copies -----------===//
#include "strata/IQL/Value.h"
#include <cmath>
#include <gtest/gtest.h>
#include <thread>
#include <utility>

using namespace strata::iql;

namespace {
Value longText() { return Value::string(std::string(40, 'x')); }
Value someList() { return Value::list({Value::integer(1), Value::string("two")}); }

/// One value of every kind, built afresh each time.
std::vector<Value> everyKind() {
  return {Value::null(),     Value::boolean(true), Value::integer(-7),
          Value::real(2.5),  Value::string("s"),   longText(),
          Value::string(""), someList(),           Value::list({})};
}

/// Assigns through a reference so that the compiler does not see the
/// self-assignment (and warn about it).
void assignTo(Value &To, const Value &From) { To = From; }
void moveTo(Value &To, Value &From) { To = std::move(From); }
} // namespace

TEST(Value, IsAKindAndAnEightBytePayload) { EXPECT_EQ(sizeof(Value), 16u); }

TEST(Value, CopiesShareAStringOrAListBlock) {
  Value S = longText();
  Value T = S;
  EXPECT_EQ(&S.asString(), &T.asString());
  Value L = someList();
  Value M;
  M = L;
  EXPECT_EQ(&L.asList(), &M.asList());
  EXPECT_EQ(M.asList()[1].asString(), "two");
  // The first holder going away leaves the copy whole.
  S = Value::integer(3);
  L = Value::null();
  EXPECT_EQ(T.asString(), std::string(40, 'x'));
  EXPECT_EQ(M.asList().size(), 2u);
}

TEST(Value, AssignmentAcrossKindsReplacesTheWholeValue) {
  std::vector<Value> From = everyKind();
  for (const Value &Source : From) {
    for (Value Target : everyKind()) {
      Target = Source;
      EXPECT_EQ(Target, Source) << Source.literal();
      EXPECT_EQ(Target.kind(), Source.kind());
      EXPECT_EQ(Target.asString(), Source.asString());
      EXPECT_EQ(Target.asList(), Source.asList());
      EXPECT_EQ(Target.hash(), Source.hash());
    }
  }
  // The sources are untouched by every copy made and dropped above.
  EXPECT_EQ(From, everyKind());
}

TEST(Value, SelfAssignmentKeepsTheValue) {
  for (const Value &Expected : everyKind()) {
    Value V = Expected;
    assignTo(V, V);
    EXPECT_EQ(V, Expected) << Expected.literal();
    moveTo(V, V);
    EXPECT_EQ(V, Expected) << Expected.literal();
  }
}

TEST(Value, MovedFromKeepsItsKindAndHoldsNothing) {
  Value S = longText();
  Value T = std::move(S);
  EXPECT_EQ(T.asString(), std::string(40, 'x'));
  EXPECT_EQ(S.kind(), Value::Kind::String); // NOLINT: the state is the test
  EXPECT_EQ(S.asString(), "");
  EXPECT_EQ(S, Value::string(""));

  Value L = someList();
  Value M;
  M = std::move(L);
  EXPECT_EQ(M.asList().size(), 2u);
  EXPECT_EQ(L.kind(), Value::Kind::List); // NOLINT
  EXPECT_TRUE(L.asList().empty());

  Value I = Value::integer(42);
  Value J = std::move(I);
  EXPECT_EQ(I.asInt(), 42); // NOLINT: a number is copied, not emptied
  EXPECT_EQ(J.asInt(), 42);

  // A value moved from takes a new value as any other.
  S = Value::real(1.5);
  EXPECT_EQ(S, Value::real(1.5));
}

TEST(Value, AnEmptyStringOrListEqualsOneBuiltAnyWay) {
  Value Built = Value::string(std::string());
  Value Moved = longText();
  Value Taker = std::move(Moved);
  EXPECT_EQ(Built, Moved); // NOLINT
  EXPECT_EQ(Built.hash(), Moved.hash());
  EXPECT_EQ(Built.literal(), "\"\"");
  EXPECT_EQ(Value::list({}).literal(), "[]");
  EXPECT_NE(Value::string(""), Value::list({}));
  EXPECT_NE(Value::string(""), Value::null());
}

TEST(Value, EqualityAndHashDoNotDependOnSharing) {
  Value A = longText(), B = longText();
  EXPECT_NE(&A.asString(), &B.asString());
  size_t First = A.hash(); // computed, then kept in A's block
  EXPECT_EQ(A.hash(), First);
  EXPECT_EQ(B.hash(), First);
  EXPECT_EQ(A, B);
  EXPECT_NE(A, Value::string(std::string(41, 'x')));
  EXPECT_EQ(someList(), someList());
  EXPECT_EQ(someList().hash(), someList().hash());
  EXPECT_NE(Value::integer(1), Value::real(1.0));
  Value NaN = Value::real(std::nan(""));
  EXPECT_EQ(NaN, NaN);
  EXPECT_EQ(compareValues(A, B), 0);
  EXPECT_LT(compareValues(Value::string("a"), Value::string("b")), 0);
}

TEST(Value, ThreadsCopyAndDropOneSharedString) {
  Value Shared = longText();
  auto Churn = [&Shared] {
    for (int I = 0; I < 100000; ++I) {
      Value Copy = Shared;
      Value Other;
      Other = Copy;
    }
  };
  std::thread A(Churn), B(Churn);
  A.join();
  B.join();
  EXPECT_EQ(Shared.asString(), std::string(40, 'x'));
}
