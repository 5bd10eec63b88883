//===- SupportTest.cpp - Graph algorithms of lib/Support ------------------===//
#include "strata/Support/SCC.h"
#include <gtest/gtest.h>
#include <random>

using namespace strata;

namespace {
using Adjacency = std::vector<std::vector<unsigned>>;
using Components = std::vector<std::vector<unsigned>>;

StronglyConnectedComponents sccOf(const Adjacency &G) {
  return findStronglyConnectedComponents(G.size(), [&](unsigned V, std::vector<unsigned> &Out) {
    Out.insert(Out.end(), G[V].begin(), G[V].end());
  });
}

/// Whether To can be reached from From (a path of zero edges counts).
std::vector<std::vector<bool>> reachability(const Adjacency &G) {
  size_t N = G.size();
  std::vector<std::vector<bool>> R(N, std::vector<bool>(N, false));
  for (size_t From = 0; From < N; ++From) {
    std::vector<unsigned> Work{static_cast<unsigned>(From)};
    R[From][From] = true;
    while (!Work.empty()) {
      unsigned V = Work.back();
      Work.pop_back();
      for (unsigned W : G[V])
        if (!R[From][W]) {
          R[From][W] = true;
          Work.push_back(W);
        }
    }
  }
  return R;
}

TEST(SCCTest, EmptyGraph) {
  StronglyConnectedComponents S = sccOf({});
  EXPECT_TRUE(S.Components.empty());
  EXPECT_TRUE(S.ComponentOf.empty());
}

TEST(SCCTest, UnrelatedNodesComeInNodeOrder) {
  EXPECT_EQ(sccOf({{}, {}, {}}).Components, (Components{{0}, {1}, {2}}));
}

TEST(SCCTest, SelfLoopIsItsOwnComponent) {
  StronglyConnectedComponents S = sccOf({{0}, {1, 0}});
  EXPECT_EQ(S.Components, (Components{{0}, {1}}));
  EXPECT_EQ(S.ComponentOf, (std::vector<unsigned>{0, 1}));
}

TEST(SCCTest, SuccessorsComeFirst) {
  // 0 -> 1 -> 2: the chain's end is completed first.
  EXPECT_EQ(sccOf({{1}, {2}, {}}).Components, (Components{{2}, {1}, {0}}));
}

TEST(SCCTest, CyclesAreSortedAndOrderedByDependency) {
  // {0, 3} read {1, 4}, which read {2}; 5 reads 0 and stands alone.
  Adjacency G = {{3, 4}, {4}, {}, {0}, {1, 2, 2}, {0}};
  StronglyConnectedComponents S = sccOf(G);
  EXPECT_EQ(S.Components, (Components{{2}, {1, 4}, {0, 3}, {5}}));
  EXPECT_EQ(S.ComponentOf, (std::vector<unsigned>{2, 1, 0, 2, 1, 3}));
}

TEST(SCCTest, EdgeOrderDecidesBetweenUnrelatedComponents) {
  // 0 reads 1 and 2, which do not reach each other: whichever edge comes
  // first is completed first.
  EXPECT_EQ(sccOf({{1, 2}, {}, {}}).Components, (Components{{1}, {2}, {0}}));
  EXPECT_EQ(sccOf({{2, 1}, {}, {}}).Components, (Components{{2}, {1}, {0}}));
}

TEST(SCCTest, AsksForEachNodesSuccessorsOnce) {
  Adjacency G = {{1, 2}, {0, 2}, {0}, {3}};
  std::vector<unsigned> Asked(G.size(), 0);
  findStronglyConnectedComponents(G.size(), [&](unsigned V, std::vector<unsigned> &Out) {
    ++Asked[V];
    Out.insert(Out.end(), G[V].begin(), G[V].end());
  });
  EXPECT_EQ(Asked, (std::vector<unsigned>{1, 1, 1, 1}));
}

TEST(SCCTest, MatchesMutualReachabilityOnRandomGraphs) {
  std::mt19937 Random(20261204);
  for (int Round = 0; Round < 200; ++Round) {
    unsigned N = 1 + Random() % 12;
    Adjacency G(N);
    unsigned Edges = Random() % (2 * N + 1);
    for (unsigned E = 0; E < Edges; ++E)
      G[Random() % N].push_back(Random() % N);
    StronglyConnectedComponents S = sccOf(G);
    auto R = reachability(G);
    for (unsigned A = 0; A < N; ++A) {
      for (unsigned B = 0; B < N; ++B)
        EXPECT_EQ(S.ComponentOf[A] == S.ComponentOf[B], R[A][B] && R[B][A]);
      // Successors first: an edge never points at a later component.
      for (unsigned B : G[A])
        EXPECT_LE(S.ComponentOf[B], S.ComponentOf[A]);
    }
    for (unsigned C = 0; C < S.Components.size(); ++C) {
      EXPECT_TRUE(std::is_sorted(S.Components[C].begin(), S.Components[C].end()));
      for (unsigned V : S.Components[C])
        EXPECT_EQ(S.ComponentOf[V], C);
    }
  }
}

TEST(SCCTest, MillionNodeChainDoesNotRecurse) {
  const unsigned N = 1000000;
  StronglyConnectedComponents S =
      findStronglyConnectedComponents(N, [&](unsigned V, std::vector<unsigned> &Out) {
        if (V + 1 < N)
          Out.push_back(V + 1);
      });
  ASSERT_EQ(S.Components.size(), N);
  EXPECT_EQ(S.Components.front(), (std::vector<unsigned>{N - 1}));
  EXPECT_EQ(S.Components.back(), (std::vector<unsigned>{0}));
}

TEST(SCCTest, MillionNodeCycleIsOneComponent) {
  const unsigned N = 1000000;
  StronglyConnectedComponents S = findStronglyConnectedComponents(
      N, [&](unsigned V, std::vector<unsigned> &Out) { Out.push_back((V + 1) % N); });
  ASSERT_EQ(S.Components.size(), 1u);
  EXPECT_EQ(S.Components[0].size(), N);
  EXPECT_EQ(S.Components[0][N - 1], N - 1);
}
} // namespace
