//===- TupleSetTest.cpp - The engine's fact set and its join index --------===//
#include "strata/IQL/TupleSet.h"
#include "../lib/Engine/HashIndex.h"
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <set>

using namespace strata;
using namespace strata::iql;

namespace {
Tuple pair(int64_t A, int64_t B) { return {Value::integer(A), Value::integer(B)}; }

/// The set's tuples, sorted, to compare with a reference.
std::vector<Tuple> contents(const TupleSet &S) { return sortedTuples(S); }

std::vector<Tuple> contents(const std::set<Tuple, bool (*)(const Tuple &, const Tuple &)> &S) {
  return std::vector<Tuple>(S.begin(), S.end());
}
} // namespace

TEST(TupleSet, InsertFindEraseAndSize) {
  TupleSet S;
  EXPECT_TRUE(S.empty());
  EXPECT_EQ(S.begin(), S.end());
  EXPECT_EQ(S.count(pair(1, 2)), 0u);
  EXPECT_EQ(S.erase(pair(1, 2)), 0u);
  auto [It, New] = S.insert(pair(1, 2));
  EXPECT_TRUE(New);
  EXPECT_EQ(*It, pair(1, 2));
  auto [Again, NewAgain] = S.insert(pair(1, 2));
  EXPECT_FALSE(NewAgain);
  EXPECT_EQ(&*Again, &*It); // the stored tuple, not a copy
  EXPECT_EQ(S.size(), 1u);
  EXPECT_EQ(S.find(pair(1, 2)), It);
  EXPECT_EQ(S.find(pair(2, 1)), S.end());
  EXPECT_EQ(S.erase(pair(1, 2)), 1u);
  EXPECT_EQ(S.erase(pair(1, 2)), 0u);
  EXPECT_TRUE(S.empty());
  EXPECT_EQ(S.begin(), S.end());
}

// Tuples of different lengths and kinds are different facts: the integer
// 1 and the float 1.0, the empty tuple and a tuple of null.
TEST(TupleSet, KeepsTuplesOfEveryShapeApart) {
  TupleSet S;
  std::vector<Tuple> All = {{},
                            {Value::null()},
                            {Value::integer(1)},
                            {Value::real(1.0)},
                            {Value::string("1")},
                            {Value::boolean(true)},
                            {Value::list({Value::integer(1)})},
                            pair(1, 1),
                            {Value::integer(1), Value::integer(1), Value::integer(1)}};
  for (const Tuple &T : All)
    EXPECT_TRUE(S.insert(T).second);
  for (const Tuple &T : All)
    EXPECT_FALSE(S.insert(T).second);
  EXPECT_EQ(S.size(), All.size());
  size_t Seen = 0;
  for (const Tuple &T : S)
    Seen += std::count(All.begin(), All.end(), T);
  EXPECT_EQ(Seen, All.size());
}

// Growth rehashes the table many times and adds arena chunks; a stored
// tuple never moves, since indexes point at it.
TEST(TupleSet, StoredTuplesStayPutWhileTheSetGrows) {
  TupleSet S;
  std::vector<const Tuple *> Stored;
  const int N = 100000;
  for (int I = 0; I < N; ++I)
    Stored.push_back(&*S.insert(pair(I, I * 7)).first);
  EXPECT_EQ(S.size(), size_t(N));
  for (int I = 0; I < N; ++I) {
    ASSERT_EQ(*Stored[size_t(I)], pair(I, I * 7));
    ASSERT_EQ(&*S.find(pair(I, I * 7)), Stored[size_t(I)]);
  }
  // Iteration is in insertion order while nothing was erased.
  int I = 0;
  for (const Tuple &T : S) {
    ASSERT_EQ(T, pair(I, I * 7));
    ++I;
  }
  EXPECT_EQ(I, N);
}

// Every tuple given the same hash: probes walk one long run of slots and
// must still tell the tuples apart, through growth and erasure.
TEST(TupleSet, ManyCollidingHashes) {
  TupleSet S;
  const size_t Same = 12345;
  const int N = 3000;
  for (int I = 0; I < N; ++I)
    ASSERT_TRUE(S.insert(pair(I, -I), Same).second);
  for (int I = 0; I < N; ++I) {
    ASSERT_TRUE(S.contains(pair(I, -I), Same));
    ASSERT_FALSE(S.insert(pair(I, -I), Same).second);
  }
  EXPECT_FALSE(S.contains(pair(N, -N), Same));
  for (int I = 0; I < N; I += 2)
    ASSERT_EQ(S.erase(pair(I, -I), Same), 1u);
  for (int I = 0; I < N; ++I)
    ASSERT_EQ(S.contains(pair(I, -I), Same), I % 2 == 1) << I;
  for (int I = 0; I < N; I += 2)
    ASSERT_TRUE(S.insert(pair(I, -I), Same).second);
  EXPECT_EQ(S.size(), size_t(N));
}

// Erasing leaves the other tuples where they are; a later insert reuses
// the freed place; iteration skips what was erased.
TEST(TupleSet, EraseKeepsOthersInPlaceAndReusesPlaces) {
  TupleSet S;
  std::vector<const Tuple *> Stored;
  for (int I = 0; I < 100; ++I)
    Stored.push_back(&*S.insert(pair(I, 0)).first);
  for (int I = 0; I < 100; I += 3)
    ASSERT_EQ(S.erase(pair(I, 0)), 1u);
  for (int I = 1; I < 100; I += 3)
    EXPECT_EQ(*Stored[size_t(I)], pair(I, 0));
  size_t Visited = 0;
  for (const Tuple &T : S) {
    EXPECT_NE(T[0].asInt() % 3, 0);
    ++Visited;
  }
  EXPECT_EQ(Visited, S.size());
  EXPECT_EQ(S.size(), 66u);
  const Tuple *Reused = &*S.insert(pair(1000, 0)).first;
  EXPECT_EQ(Reused, Stored[99]); // the last place freed
}

TEST(TupleSet, EraseThroughAnIteratorWhileWalking) {
  TupleSet S;
  for (int I = 0; I < 50; ++I)
    S.insert(pair(I, I));
  for (auto It = S.begin(); It != S.end();)
    It = (*It)[0].asInt() % 2 ? S.erase(It) : std::next(It);
  EXPECT_EQ(S.size(), 25u);
  for (const Tuple &T : S)
    EXPECT_EQ(T[0].asInt() % 2, 0);
  for (auto It = S.begin(); It != S.end();)
    It = S.erase(It);
  EXPECT_TRUE(S.empty());
  EXPECT_TRUE(S.insert(pair(1, 1)).second);
}

// Erasing a tuple by a reference to the stored tuple itself.
TEST(TupleSet, EraseByTheStoredTuple) {
  TupleSet S;
  S.insert(pair(1, 2));
  S.insert(pair(3, 4));
  const Tuple &Stored = *S.find(pair(1, 2));
  EXPECT_EQ(S.erase(Stored), 1u);
  EXPECT_EQ(S.size(), 1u);
  EXPECT_EQ(S.count(pair(3, 4)), 1u);
}

TEST(TupleSet, CopiesAreIndependentAndMovesLeaveAnEmptySet) {
  TupleSet A;
  for (int I = 0; I < 1000; ++I)
    A.insert(pair(I, 1));
  A.erase(pair(5, 1));
  TupleSet B(A);
  EXPECT_EQ(A, B);
  B.insert(pair(5, 1));
  B.erase(pair(6, 1));
  EXPECT_NE(A, B);
  EXPECT_EQ(A.count(pair(5, 1)), 0u);
  EXPECT_EQ(A.count(pair(6, 1)), 1u);
  TupleSet C(std::move(B));
  EXPECT_TRUE(B.empty());
  EXPECT_EQ(C.size(), 999u); // A's 999, one added and one erased
  B.insert(pair(7, 7));      // a moved-from set is usable
  EXPECT_EQ(B.size(), 1u);
  C = A;
  EXPECT_EQ(C, A);
  C = std::move(B);
  EXPECT_EQ(C.size(), 1u);
  TupleSet D;
  D.reserve(5000);
  D.insert(A.begin(), A.end());
  EXPECT_EQ(D, A);
  D.clear();
  EXPECT_TRUE(D.empty());
}

// Random inserts and erasures against std::set, many of them on a small
// range of values so that places are freed and reused over and over.
TEST(TupleSet, AgreesWithAReferenceSetUnderRandomChurn) {
  std::mt19937 Random(2026);
  TupleSet S;
  std::set<Tuple, bool (*)(const Tuple &, const Tuple &)> Ref(tupleLess);
  for (int Op = 0; Op < 200000; ++Op) {
    Tuple T = pair(int64_t(Random() % 500), int64_t(Random() % 20));
    switch (Random() % 3) {
    case 0:
    case 1:
      ASSERT_EQ(S.insert(T).second, Ref.insert(T).second);
      break;
    case 2:
      ASSERT_EQ(S.erase(T), Ref.erase(T));
      break;
    }
    ASSERT_EQ(S.size(), Ref.size());
  }
  EXPECT_EQ(contents(S), contents(Ref));
}

// insertBatch against one insert() per tuple on a twin set: the same
// tuples reported new in the same order, the same contents and the same
// iteration order, through batches that repeat tuples, hold strings and
// follow erasures (whose places are reused), and batches of one.
TEST(TupleSet, BatchInsertsAgreeWithOneInsertEach) {
  std::mt19937 Random(5);
  TupleSet Batched, Single;
  for (int Round = 0; Round < 300; ++Round) {
    std::vector<Tuple> Batch;
    // Every third batch holds one tuple or none: insertBatch takes a
    // shorter way for them.
    size_t Size = Round % 3 == 0 ? size_t(Round % 2) : Random() % 70;
    for (size_t I = 0; I < Size; ++I) {
      Tuple T = pair(int64_t(Random() % 400), int64_t(Random() % 30));
      if (Random() % 5 == 0)
        T.push_back(Value::string("s" + std::to_string(Random() % 7)));
      Batch.push_back(std::move(T));
    }
    std::vector<size_t> Hashes;
    for (const Tuple &T : Batch)
      Hashes.push_back(TupleSet::hashOf(T));
    std::vector<Tuple> Expected, Added;
    for (const Tuple &T : Batch)
      if (Single.insert(T).second)
        Expected.push_back(T);
    Batched.insertBatch(Batch, Hashes, [&](const Tuple &T) { Added.push_back(T); });
    ASSERT_EQ(Added, Expected) << "round " << Round;
    for (int E = 0; E < 5; ++E) {
      Tuple T = pair(int64_t(Random() % 400), int64_t(Random() % 30));
      ASSERT_EQ(Batched.erase(T), Single.erase(T));
    }
  }
  EXPECT_EQ(Batched.size(), Single.size());
  EXPECT_TRUE(std::equal(Batched.begin(), Batched.end(), Single.begin(), Single.end()));
}

// Tuples are constructed as they are placed (a large set's unused arena
// costs nothing): copies, clears and reuse after them keep every tuple.
TEST(TupleSet, CopiesOfAPartlyFilledArena) {
  TupleSet A;
  for (int I = 0; I < 100; ++I) // chunks of 16, 32, 64: the last one partly used
    A.insert(pair(I, I));
  TupleSet B(A);
  EXPECT_EQ(B, A);
  EXPECT_EQ(contents(B), contents(A));
  A.clear();
  A.insert(pair(1, 2));
  EXPECT_EQ(A.size(), 1u);
  EXPECT_EQ(B.size(), 100u);
  B = A;
  EXPECT_EQ(B, A);
}

TEST(HashIndex, FindsTuplesByTheirValuesAtTheKeyColumns) {
  TupleSet Facts;
  for (int I = 0; I < 20000; ++I)
    Facts.insert(Tuple{Value::integer(I % 100), Value::string("s" + std::to_string(I % 7)),
                       Value::integer(I)});
  engine::HashIndex ByFirstTwo(0b011);
  for (const Tuple &T : Facts)
    ByFirstTwo.add(T);
  // 100 values of the first column times 7 of the second, but they move
  // together (I % 100 fixes I % 7 only up to 700 combinations).
  EXPECT_EQ(ByFirstTwo.keys(), 700u);
  engine::HashIndex::Matches Found = ByFirstTwo.find(Tuple{Value::integer(3), Value::string("s3")});
  std::vector<const Tuple *> Hits(Found.begin(), Found.end());
  EXPECT_EQ(Hits.size(), 20000u / 700 + 1);
  // In the order they were filed (the set's order, by the third column).
  for (size_t I = 1; I < Hits.size(); ++I)
    EXPECT_LT((*Hits[I - 1])[2].asInt(), (*Hits[I])[2].asInt());
  for (const Tuple *T : Hits) {
    EXPECT_EQ((*T)[0], Value::integer(3));
    EXPECT_EQ((*T)[1], Value::string("s3"));
  }
  EXPECT_TRUE(ByFirstTwo.find(Tuple{Value::integer(3), Value::string("s7")}).empty());
  EXPECT_TRUE(ByFirstTwo.find(Tuple{Value::integer(100), Value::string("s3")}).empty());
  EXPECT_TRUE(ByFirstTwo.find(Tuple{Value::integer(3)}).empty());

  engine::HashIndex ByLast(0b100);
  for (const Tuple &T : Facts)
    ByLast.add(T);
  EXPECT_EQ(ByLast.keys(), 20000u);
  for (int I = 0; I < 20000; I += 997) {
    engine::HashIndex::Matches One = ByLast.find(Tuple{Value::integer(I)});
    ASSERT_EQ(One.size(), 1u);
    EXPECT_EQ((**One.begin())[2], Value::integer(I));
  }
  EXPECT_TRUE(ByLast.find(Tuple{Value::real(5.0)}).empty());
}

namespace {
/// A tuple's hash as Value.cpp defines it, folding each value's hash()
/// with splitmix64's finaliser: TupleHash works integers out itself and
/// must still give these values.
size_t referenceHash(const std::vector<const Value *> &Values) {
  auto Mix = [](uint64_t Seed, uint64_t H) {
    uint64_t X = ((Seed << 5) | (Seed >> 59)) ^ H;
    X ^= X >> 30;
    X *= 0xbf58476d1ce4e5b9ULL;
    X ^= X >> 27;
    X *= 0x94d049bb133111ebULL;
    return X ^ (X >> 31);
  };
  uint64_t H = Values.size();
  for (const Value *V : Values)
    H = Mix(H, V->hash());
  return size_t(H);
}
} // namespace

TEST(TupleHash, WholeTuplesAndKeyColumnsHashAsDefined) {
  std::mt19937_64 Random(11);
  const Value Kinds[] = {Value::integer(-3),
                         Value::integer(1),
                         Value::real(1.0),
                         Value::string("a"),
                         Value::string(""),
                         Value::boolean(true),
                         Value::null(),
                         Value::list({Value::integer(2)}),
                         Value::integer(INT64_MIN),
                         Value::integer(123456789)};
  for (int Round = 0; Round < 500; ++Round) {
    Tuple T(Random() % 70); // past 64 columns too
    for (Value &V : T)
      V = Kinds[Random() % std::size(Kinds)];
    std::vector<const Value *> All, Key;
    for (const Value &V : T)
      All.push_back(&V);
    EXPECT_EQ(TupleHash()(T), referenceHash(All));
    uint64_t Mask = Random();
    if (Round % 5 == 0)
      Mask |= uint64_t(1) << 63;
    Tuple Projection;
    for (size_t I = 0; I < T.size() && I < 64; ++I)
      if ((Mask >> I) & 1) {
        Key.push_back(&T[I]);
        Projection.push_back(T[I]);
      }
    EXPECT_EQ(TupleHash::columns(T, Mask), referenceHash(Key));
    EXPECT_EQ(TupleHash::columns(T, Mask), TupleHash()(Projection));
  }
}

// tupleLess compares two integers itself: the order must stay that of
// compareValues, column by column, with integers, floats (1 and 1.0
// differ) and strings mixed.
TEST(TupleSet, TupleOrderIsCompareValuesColumnByColumn) {
  std::mt19937 Random(11);
  auto Cell = [&]() {
    switch (Random() % 4) {
    case 0:
    case 1:
      return Value::integer(int64_t(Random() % 5) - 2);
    case 2:
      return Value::real(double(int64_t(Random() % 5) - 2));
    default:
      return Value::string(std::string(1, char('a' + Random() % 3)));
    }
  };
  for (int I = 0; I < 20000; ++I) {
    Tuple A, B;
    for (size_t N = Random() % 3 + 1; N > 0; --N)
      A.push_back(Cell());
    for (size_t N = Random() % 3 + 1; N > 0; --N)
      B.push_back(Cell());
    int Expected = 0;
    for (size_t C = 0; C < A.size() && C < B.size() && Expected == 0; ++C)
      Expected = compareValues(A[C], B[C]);
    bool Less = Expected != 0 ? Expected < 0 : A.size() < B.size();
    ASSERT_EQ(tupleLess(A, B), Less) << I;
  }
}

// sortTupleRefs sorts tuples of integers through a flat copy of them,
// packed into one key each and radix-sorted when the columns' ranges fit
// 64 bits: the order must be tupleLess's, for every arity it takes that
// path for (one to four), with negative and large values, narrow ranges
// and columns of one value (the packed path), and when the tuples are not
// all integers or not all of one arity (the path it must not take).
TEST(TupleSet, SortingRefsAgreesWithTupleLess) {
  std::mt19937_64 Random(5);
  int Round = 0;
  auto Int = [&](size_t Column) {
    if (Round % 3 == 1) // narrow: the packed keys' path
      return Value::integer(int64_t(Random() % 5000) - 2500);
    if (Round % 3 == 2) // the first column of one value, the others narrow
      return Value::integer(Column == 0 ? 7 : int64_t(Random() % 70000));
    switch (Random() % 3) {
    case 0:
      return Value::integer(int64_t(Random() % 7) - 3);
    case 1:
      return Value::integer(int64_t(Random()));
    default:
      return Value::integer(std::numeric_limits<int64_t>::min() + int64_t(Random() % 2));
    }
  };
  for (; Round < 300; ++Round) {
    size_t Arity = Round % 5 + 1; // 5: more than the flat path takes
    std::vector<Tuple> Tuples(Random() % 200 + 2);
    for (Tuple &T : Tuples)
      for (size_t C = 0; C < Arity; ++C)
        T.push_back(Int(C));
    if (Round % 7 == 0)
      Tuples[Random() % Tuples.size()].push_back(Int(Arity)); // two arities
    if (Round % 11 == 0)
      Tuples[Random() % Tuples.size()][0] = Value::string("s"); // not all integers
    std::vector<const Tuple *> Refs;
    for (const Tuple &T : Tuples)
      Refs.push_back(&T);
    std::vector<const Tuple *> Expected = Refs;
    std::stable_sort(Expected.begin(), Expected.end(),
                     [](const Tuple *A, const Tuple *B) { return tupleLess(*A, *B); });
    sortTupleRefs(Refs);
    ASSERT_EQ(Refs.size(), Expected.size());
    for (size_t I = 0; I < Refs.size(); ++I)
      ASSERT_EQ(*Refs[I], *Expected[I]) << "round " << Round << ", row " << I;
  }
}
