//===- SCC.cpp - Tarjan's algorithm without recursion ---------------------===//
//
// The depth-first search keeps its own stack of frames. The successors of
// the nodes on that stack live in one shared vector: a node's successors
// are appended when the search enters it and dropped when it leaves, so
// memory stays linear in the edges along the current path.
//
//===----------------------------------------------------------------------===//
#include "strata/Support/SCC.h"
#include <algorithm>
#include <cassert>

using namespace strata;

namespace {
class Tarjan {
public:
  Tarjan(unsigned NumNodes, SuccessorFn Successors)
      : Successors(Successors), Index(NumNodes, Unvisited), Low(NumNodes, 0),
        OnStack(NumNodes, false) {
    Result.ComponentOf.assign(NumNodes, 0);
  }

  StronglyConnectedComponents run() {
    for (unsigned Root = 0; Root < Index.size(); ++Root)
      if (Index[Root] == Unvisited)
        searchFrom(Root);
    return std::move(Result);
  }

private:
  static constexpr unsigned Unvisited = ~0u;

  /// A node the search is inside; its successors are Pending[Begin, End),
  /// of which those before Next have been followed.
  struct Frame {
    unsigned Node;
    size_t Begin, Next, End;
  };

  void enter(unsigned V) {
    Index[V] = Low[V] = NextIndex++;
    Stack.push_back(V);
    OnStack[V] = true;
    size_t Begin = Pending.size();
    Successors(V, Pending);
    Calls.push_back({V, Begin, Begin, Pending.size()});
  }

  void searchFrom(unsigned Root) {
    enter(Root);
    while (!Calls.empty()) {
      Frame &F = Calls.back();
      unsigned V = F.Node;
      if (F.Next < F.End) {
        unsigned W = Pending[F.Next++];
        assert(W < Index.size() && "successor out of range");
        if (Index[W] == Unvisited)
          enter(W); // F may dangle from here on
        else if (OnStack[W])
          Low[V] = std::min(Low[V], Index[W]);
        continue;
      }
      Pending.resize(F.Begin);
      Calls.pop_back();
      if (!Calls.empty()) {
        unsigned Parent = Calls.back().Node;
        Low[Parent] = std::min(Low[Parent], Low[V]);
      }
      if (Low[V] == Index[V])
        popComponent(V);
    }
  }

  /// V is the root of a component: everything above it on Stack, and V.
  void popComponent(unsigned V) {
    unsigned Number = Result.Components.size();
    std::vector<unsigned> Members;
    unsigned W;
    do {
      W = Stack.back();
      Stack.pop_back();
      OnStack[W] = false;
      Result.ComponentOf[W] = Number;
      Members.push_back(W);
    } while (W != V);
    std::sort(Members.begin(), Members.end());
    Result.Components.push_back(std::move(Members));
  }

  SuccessorFn Successors;
  std::vector<unsigned> Index, Low;
  std::vector<bool> OnStack;
  std::vector<unsigned> Stack; // Tarjan's stack of unfinished components
  std::vector<Frame> Calls;    // the depth-first search's own stack
  std::vector<unsigned> Pending;
  unsigned NextIndex = 0;
  StronglyConnectedComponents Result;
};
} // namespace

StronglyConnectedComponents strata::findStronglyConnectedComponents(unsigned NumNodes,
                                                                    SuccessorFn Successors) {
  return Tarjan(NumNodes, Successors).run();
}
