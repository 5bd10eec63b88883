//===- Demand.h - Demand-driven rewriting of a query (magic sets) -*- C++ -*-===//
//
// Bottom-up evaluation computes a derived relation whole, even when a query
// asks for a few of its facts: `?reach(1, Y)` would derive every `reach`
// fact of the graph. The rewriting here (magic sets) turns the rules a
// query reads into rules that derive only the facts the query's bindings
// can reach: for each atom of a rule-defined relation read with some
// arguments bound, a "magic" relation collects the bound values that are
// asked for, and an adorned copy of the relation (one per pattern of bound
// and free columns) derives only facts whose bound columns are among them.
// The bindings flow in the order the planner solves each body, so the
// rewritten program asks nothing the original would not have looked up.
//
// A clause that reads its own adorned relation with the bound arguments of
// its head passed on unchanged (`r(X, Z) <- r(X, Y), e(Y, Z)`, X bound)
// keeps no magic atom: every fact it reads there was asked for already,
// unless the relation has stored facts, which its adorned copy starts
// with whatever was asked.
//
// Every adorned fact is a fact of the original relation, and every fact of
// the original relation that matches a binding asked for is derived, so a
// query reads the same answers either way. The rewriting only applies to
// relations where that argument holds as the engine evaluates them: those
// defined by rules, on no cycle through another relation (the server's
// reading of such cycles is its own, Evaluator.cpp), with no aggregate and
// no index search. Any other relation an adorned body reads (a negated
// one, an aggregate, a base relation) is read whole, computed as before.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_DEMAND_H
#define STRATA_LIB_ENGINE_DEMAND_H

#include "IqlTypes.h"
#include "llvm/Support/Error.h"
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace strata::engine {

/// A relation's rule clauses, by relation name.
using ClauseMap = std::map<std::string, std::vector<const Clause *>>;

/// The order in which the planner solves a body's literals (indices into
/// the body).
using BodyOrder = std::function<llvm::Expected<std::vector<size_t>>(const std::vector<Literal> &)>;

struct DemandProgram {
  /// The query's body with each restricted atom renamed to its adorned
  /// relation; the body unchanged when nothing could be restricted.
  std::vector<Literal> Body;
  /// The adorned and magic clauses the renamed body reads; empty when
  /// nothing could be restricted.
  std::deque<Clause> Clauses;
  /// Each adorned relation and the relation whose facts it holds a part of
  /// (its base and session facts seed it).
  std::map<std::string, std::string> Origin;
  /// Each adorned or magic relation and the relation it was made for, to
  /// name in messages.
  std::map<std::string, std::string> ShownAs;
};

/// Rewrites Body and the rules it reads. Eligible names the relations that
/// may be restricted; Seeded those of them with stored facts (base or
/// session), which their adorned copies start with; Tag makes the new
/// relations' names unique to this rewriting (two queries on one
/// evaluation must not share them).
llvm::Expected<DemandProgram> rewriteForDemand(const std::vector<Literal> &Body,
                                               const ClauseMap &Clauses,
                                               const std::set<std::string> &Eligible,
                                               const std::set<std::string> &Seeded,
                                               const BodyOrder &Order, unsigned Tag);

} // namespace strata::engine

#endif
