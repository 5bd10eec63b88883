//===- FactSetTest.cpp - Copies of a relation's facts share until changed -===//
#include "../lib/Engine/ChangeLog.h"
#include "../lib/Engine/Store.h"
#include "gtest/gtest.h"

using namespace strata;
using namespace strata::engine;

namespace {

iql::Tuple fact(int64_t I) { return {iql::Value::integer(I)}; }

TEST(FactSet, ACopySharesUntilEitherSideChanges) {
  FactSet A;
  for (int64_t I = 0; I < 100; ++I)
    A.insert(fact(I), nullptr);
  FactSet B = A;
  EXPECT_EQ(&A.set(), &B.set()) << "a copy does not copy the tuples";
  EXPECT_NE(A.id(), B.id()) << "but it is another set to the change log";
  EXPECT_TRUE(B.erase(fact(5), nullptr));
  EXPECT_NE(&A.set(), &B.set());
  EXPECT_EQ(A.size(), 100u);
  EXPECT_EQ(B.size(), 99u);
  EXPECT_TRUE(A.set().count(fact(5)));
  // Erasing what is not there changes (and copies) nothing.
  FactSet C = A;
  EXPECT_FALSE(C.erase(fact(1000), nullptr));
  EXPECT_EQ(&A.set(), &C.set());
  EXPECT_TRUE(C.insert(fact(1000), nullptr));
  EXPECT_FALSE(A.set().count(fact(1000)));
  EXPECT_EQ(C.size(), 101u);
}

TEST(FactSet, EmptySetsAndMovedFromSetsCanBeFilled) {
  FactSet A, B;
  EXPECT_TRUE(A.empty());
  A.insert(fact(1), nullptr);
  EXPECT_TRUE(B.empty()) << "empty sets start from one shared set, never changed";
  FactSet C = std::move(A);
  EXPECT_TRUE(A.empty());
  EXPECT_EQ(C.size(), 1u);
  A.insert(fact(2), nullptr);
  EXPECT_EQ(A.size(), 1u);
  EXPECT_FALSE(C.set().count(fact(2)));
  B.reserve(10);
  EXPECT_TRUE(B.empty());
}

} // namespace
