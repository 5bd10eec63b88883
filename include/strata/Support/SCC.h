//===- SCC.h - Strongly connected components of a graph ---------*- C++ -*-===//
//
// The one implementation of strongly connected components, shared by
// stratification (Sema, the engine) and the autodetector's rule ordering.
// Tarjan's algorithm with an explicit stack instead of recursion: a chain
// of a million rules must not exhaust the call stack.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_SCC_H
#define STRATA_SUPPORT_SCC_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include <vector>

namespace strata {

/// The strongly connected components of a directed graph.
struct StronglyConnectedComponents {
  /// Every component, its nodes in increasing order. A component comes
  /// after every component it has an edge to (successors first, which is
  /// dependencies first when an edge points at what a node reads). The
  /// order is a function of the graph alone: the depth-first search starts
  /// from nodes 0, 1, ... in turn and follows edges in the order the
  /// successor callback lists them, and components are listed as it
  /// completes them.
  std::vector<std::vector<unsigned>> Components;
  /// Index into Components of each node's component.
  std::vector<unsigned> ComponentOf;
};

/// Appends the successors of a node to the vector given (which may already
/// hold other nodes' successors: append, never clear). Duplicates and self
/// loops are allowed; every successor must be below the number of nodes.
using SuccessorFn = llvm::function_ref<void(unsigned Node, std::vector<unsigned> &Out)>;

/// The strongly connected components of the graph over nodes
/// 0..NumNodes-1. Time and memory linear in nodes and edges; the
/// successors of a node are asked for exactly once.
StronglyConnectedComponents findStronglyConnectedComponents(unsigned NumNodes,
                                                            SuccessorFn Successors);

} // namespace strata

#endif
