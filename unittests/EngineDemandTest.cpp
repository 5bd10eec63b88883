//===- EngineDemandTest.cpp - Demand-driven queries against full ones -----===//
//
// A bound query is answered demand-driven (lib/Engine/Demand.h) unless
// full evaluation is asked for (strata/Engine/Evaluation.h); the replies
// must be the same, and the demand-driven one must not need the work of
// the full one.
//
//===----------------------------------------------------------------------===//
#include "strata/Engine/Engine.h"
#include "strata/Engine/Evaluation.h"
#include "strata/Engine/Limits.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace strata;
using namespace strata::engine;

namespace {

/// The process's choice, set for one test and restored after it.
struct ScopedEvaluation {
  QueryEvaluation Saved = queryEvaluation();
  EvaluationLimits SavedLimits = evaluationLimits();
  ~ScopedEvaluation() {
    queryEvaluation() = Saved;
    evaluationLimits() = SavedLimits;
  }
};

/// A reply as text: its error, or its columns and rows.
std::string text(const Reply &R) {
  if (R.IsError)
    return "error: " + R.ErrorMessage;
  std::string S;
  llvm::raw_string_ostream OS(S);
  for (const std::string &C : R.Columns)
    OS << C << "|";
  OS << "\n";
  for (const auto &Row : R.Rows) {
    for (const Cell &C : Row)
      OS << C.toJson() << "|";
    OS << "\n";
  }
  return OS.str();
}

/// Runs Setup, then each query, on a fresh engine with Choice.
std::vector<std::string> replies(QueryEvaluation Choice, const std::string &Setup,
                                 const std::vector<std::string> &Queries) {
  queryEvaluation() = Choice;
  Engine E;
  Session S(E);
  Reply Ready = S.execute(Setup);
  EXPECT_FALSE(Ready.IsError) << Ready.ErrorMessage;
  std::vector<std::string> Out;
  for (const std::string &Q : Queries)
    Out.push_back(Q + "\n" + text(S.execute(Q)));
  return Out;
}

const char *const Graph = "+edge[(1, 2), (2, 3), (3, 1), (3, 4), (5, 6)]\n"
                          "+node[(1), (2), (3), (4), (5), (6), (7)]\n"
                          "+reach(X, Y) <- edge(X, Y)\n"
                          "+reach(X, Z) <- reach(X, Y), edge(Y, Z)\n";

TEST(EngineDemand, SameRepliesAsFullEvaluation) {
  ScopedEvaluation Restore;
  std::string Setup = std::string(Graph) + "+lonely(X) <- node(X), !reach(X, _)\n"
                                           "+out(X, count<Y>) <- reach(X, Y)\n"
                                           "+big(X) <- out(X, N), N > 2\n"
                                           "+twice(X, Z) <- reach(X, Y), reach(Y, Z)\n"
                                           "+label(X, \"n\") <- node(X)\n"
                                           "+next(X, X + 1) <- node(X)\n";
  std::vector<std::string> Queries = {
      "?reach(1, Y)",
      "?reach(X, 4)",
      "?reach(5, 6)",
      "?reach(7, Y)",
      "?reach(X, X)",
      "?reach(1, _)",
      "?twice(2, Z)",
      "?lonely(4)",
      "?out(1, N)",
      "?big(X)",
      "?label(3, L)",
      "?label(X, \"n\")",
      "?next(4, Y)",
      "?next(X, 5)",
      "?edge(1, Y), reach(Y, Z)",
      "?reach(1, Y), !edge(1, Y)",
      "?reach(X, Y), X = 3",
      "?reach(1, nope(2))",
      "?reach(1, Y), limit(1)",
  };
  EXPECT_EQ(replies(QueryEvaluation::DemandDriven, Setup, Queries),
            replies(QueryEvaluation::Full, Setup, Queries));
}

TEST(EngineDemand, SessionRulesAndFacts) {
  ScopedEvaluation Restore;
  std::string Setup = std::string(Graph) + "hop(X, Y) <- reach(X, Y)\n"
                                           "hop(X, Z) <- hop(X, Y), link(Y, Z)\n"
                                           "link(4, 8)\n";
  std::vector<std::string> Queries = {"?hop(1, Y)", "?hop(X, 8)", "?link(4, Y)"};
  std::vector<std::string> Demand = replies(QueryEvaluation::DemandDriven, Setup, Queries);
  EXPECT_EQ(Demand, replies(QueryEvaluation::Full, Setup, Queries));
  EXPECT_NE(Demand[0].find("8"), std::string::npos) << Demand[0];
}

TEST(EngineDemand, TouchesOnlyWhatTheBindingReaches) {
  ScopedEvaluation Restore;
  std::string Setup = "+edge[";
  for (int I = 0; I < 400; ++I)
    Setup += (I ? ", (" : "(") + std::to_string(I) + ", " + std::to_string(I + 1) + ")";
  Setup += "]\n+reach(X, Y) <- edge(X, Y)\n+reach(X, Z) <- reach(X, Y), edge(Y, Z)\n";
  evaluationLimits().Steps = 3000;
  std::vector<std::string> Demand =
      replies(QueryEvaluation::DemandDriven, Setup, {"?reach(396, Y)"});
  EXPECT_EQ(Demand[0].find("error"), std::string::npos) << Demand[0];
  std::vector<std::string> Full = replies(QueryEvaluation::Full, Setup, {"?reach(396, Y)"});
  EXPECT_NE(Full[0].find("more than 3000 join steps"), std::string::npos) << Full[0];
}

/// The edges of a generated graph of about N nodes, numbered from 0.
using Edges = std::vector<std::pair<int, int>>;

Edges chainGraph(int N) {
  Edges Out;
  for (int I = 0; I + 1 < N; ++I)
    Out.push_back({I, I + 1});
  return Out;
}

/// Twice as many edges as nodes, drawn with a fixed seed: cycles,
/// self-loops and nodes nothing reaches included.
Edges randomGraph(int N, unsigned Seed) {
  std::mt19937 Rng(Seed);
  std::uniform_int_distribution<int> Node(0, N - 1);
  std::set<std::pair<int, int>> Out;
  while (Out.size() < size_t(2 * N))
    Out.insert({Node(Rng), Node(Rng)});
  return Edges(Out.begin(), Out.end());
}

/// A Side x Side grid with edges right and down.
Edges gridGraph(int Side) {
  Edges Out;
  for (int R = 0; R < Side; ++R)
    for (int C = 0; C < Side; ++C) {
      if (C + 1 < Side)
        Out.push_back({R * Side + C, R * Side + C + 1});
      if (R + 1 < Side)
        Out.push_back({R * Side + C, (R + 1) * Side + C});
    }
  return Out;
}

std::string factList(const std::string &Relation, const Edges &Pairs) {
  std::string S = "+" + Relation + "[";
  for (size_t I = 0; I < Pairs.size(); ++I)
    S += (I ? ", (" : "(") + std::to_string(Pairs[I].first) + ", " +
         std::to_string(Pairs[I].second) + ")";
  return S + "]\n";
}

TEST(EngineDemand, GeneratedGraphsAgreeWithTheFullClosure) {
  ScopedEvaluation Restore;
  const char *const Base = "+reach(X, Y) <- edge(X, Y)\n";
  // Right-linear (the binding passed on, so the recursive clause keeps no
  // magic atom), left-linear (each step asks anew) and non-linear (rounds
  // that cannot store new facts in place).
  const std::vector<std::string> Recursions = {"+reach(X, Z) <- reach(X, Y), edge(Y, Z)\n",
                                               "+reach(X, Z) <- edge(X, Y), reach(Y, Z)\n",
                                               "+reach(X, Z) <- reach(X, Y), reach(Y, Z)\n"};
  const std::vector<std::pair<std::string, Edges>> Graphs = {
      {"chain", chainGraph(40)}, {"random", randomGraph(40, 7)}, {"grid", gridGraph(6)}};
  for (const auto &[Shape, Graph] : Graphs) {
    int Last = Graph.back().second;
    std::vector<std::string> Queries = {"?reach(X, X)", "?edge(1, Y), reach(Y, Z)",
                                        "?reach(0, " + std::to_string(Last) + ")",
                                        "?reach(" + std::to_string(Last) + ", 0)"};
    for (int K : {0, 1, 2, Last / 2, Last, 999}) {
      Queries.push_back("?reach(" + std::to_string(K) + ", Y)");
      Queries.push_back("?reach(X, " + std::to_string(K) + ")");
    }
    for (const std::string &Recursion : Recursions)
      // Stored facts of reach seed its demand-driven copies whatever was
      // asked: the magic atoms must then stay.
      for (bool Seeded : {false, true}) {
        std::string Setup = factList("edge", Graph) + Base + Recursion;
        if (Seeded)
          Setup += factList("reach", {{3, 900}, {900, 901}, {Last, 5}});
        SCOPED_TRACE(Shape + (Seeded ? ", seeded, " : ", ") + Recursion);
        EXPECT_EQ(replies(QueryEvaluation::DemandDriven, Setup, Queries),
                  replies(QueryEvaluation::Full, Setup, Queries));
      }
  }
}

TEST(EngineDemand, ParsesTheChoice) {
  EXPECT_EQ(parseQueryEvaluation("demand"), QueryEvaluation::DemandDriven);
  EXPECT_EQ(parseQueryEvaluation("full"), QueryEvaluation::Full);
  EXPECT_FALSE(parseQueryEvaluation("Full").has_value());
  EXPECT_FALSE(parseQueryEvaluation("").has_value());
}

} // namespace
