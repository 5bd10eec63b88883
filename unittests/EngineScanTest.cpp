//===- EngineScanTest.cpp - Scanned rows against a query's reply ----------===//
//
// Session::scanQuery visits the rows execute() would answer without
// building the reply (the executor's pre-checks count and look at them on a
// million facts). For every query it accepts, the rows and the header must
// be the reply's; every other query it must refuse, visiting nothing.
//
//===----------------------------------------------------------------------===//
#include "strata/Engine/Engine.h"
#include "strata/IQL/TupleSet.h"
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace strata;
using namespace strata::engine;

namespace {

const char *Facts = "+emp(id: int, name: string, boss: int)\n"
                    "+emp[(1, \"ann\", 1), (2, \"bob\", 1), (3, \"cy\", 2), (4, \"di\", 4)]\n"
                    "+pair[(1, 1), (1, 2), (2, 2), (3, \"x\"), (4.5, true)]\n"
                    "+reach(X, Y) <- pair(X, Y)\n"
                    "+gone(1)\n"
                    ".rel drop gone\n";

/// The rows scanQuery visits, in the order a reply has them, as cells.
std::vector<std::vector<Cell>> scanned(const Session &S, const std::string &Query,
                                       std::vector<std::string> &Columns) {
  std::vector<iql::Tuple> Rows;
  std::optional<size_t> N =
      S.scanQuery(Query, Columns, [&](const iql::Tuple &T) { Rows.push_back(T); });
  EXPECT_TRUE(N) << Query;
  EXPECT_EQ(N.value_or(0), Rows.size()) << Query;
  std::sort(Rows.begin(), Rows.end(), iql::tupleLess);
  std::vector<std::vector<Cell>> Out;
  for (const iql::Tuple &T : Rows) {
    Out.emplace_back();
    for (const iql::Value &V : T)
      Out.back().push_back(V.toCell());
  }
  return Out;
}

TEST(EngineScan, SameRowsAndHeaderAsTheReply) {
  Engine E;
  Session S(E);
  ASSERT_FALSE(S.execute(Facts).IsError);
  for (std::string Query : {"?emp(I, N, B)", "?emp(I, N, I)", "?emp(I, _, 1)", "?emp(3, N, B)",
                            "?emp(I, \"bob\", B)", "?emp(I, N)", "?pair(X, Y)", "?pair(X, X)",
                            "?pair(1, Y)", "?pair(_, _)", "?pair(X, \"x\")"}) {
    Reply R = S.execute(Query);
    ASSERT_FALSE(R.IsError) << Query;
    std::vector<std::string> Columns;
    EXPECT_EQ(scanned(S, Query, Columns), R.Rows) << Query;
    EXPECT_EQ(Columns, R.Columns) << Query;
  }
}

TEST(EngineScan, RefusesWhatItCannotAnswerAlone) {
  Engine E;
  Session S(E);
  ASSERT_FALSE(S.execute(Facts).IsError);
  for (std::string Query :
       {"?reach(X, Y)", "?emp(I, N, B), I > 1", "?emp(I:desc, N, B)", "?emp(I, N, B), limit(2)",
        "?gone(X)", "?missing(X)", "?emp(I, N, B + 1)", "+emp(5, \"ed\", 1)",
        "?emp(I, N, B)\n?pair(X, Y)", "?emp(I, N, B"}) {
    std::vector<std::string> Columns;
    size_t Visited = 0;
    EXPECT_EQ(S.scanQuery(Query, Columns, [&](const iql::Tuple &) { ++Visited; }), std::nullopt)
        << Query;
    EXPECT_EQ(Visited, 0u) << Query;
  }
  // A session's own facts or rules may add rows: the scan leaves that to
  // execute().
  ASSERT_FALSE(S.execute("tmp(X) <- emp(X, _, _)").IsError);
  std::vector<std::string> Columns;
  EXPECT_EQ(S.scanQuery("?emp(I, N, B)", Columns, [](const iql::Tuple &) {}), std::nullopt);
}

} // namespace
