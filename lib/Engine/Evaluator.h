//===- Evaluator.h - Bottom-up evaluation of rule bodies --------*- C++ -*-===//
//
// Solves a body (atoms, negations, comparisons, assignments) against a
// graph's base facts and the relations its rules derive. Derived relations
// are computed on demand, stratum by stratum in dependency order; a
// recursive stratum runs semi-naively (each round joins only the facts the
// previous round found). Joins look tuples up through hash indexes on the
// columns already bound.
//
// Expression semantics (docs/engine.md): `/` always yields a float,
// integer overflow, division by zero and failed conversions yield null,
// and a comparison involving null is false, except that null != V holds
// for any V that is not null.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_EVALUATOR_H
#define STRATA_LIB_ENGINE_EVALUATOR_H

#include "Budget.h"
#include "Store.h"
#include "llvm/Support/Error.h"
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata::engine {

/// The rules and facts a session adds to its graph's.
struct SessionExtras {
  std::vector<Clause> Rules;
  std::map<std::string, TupleSet> Facts;
};

class Evaluator {
public:
  Evaluator(const Graph &G, const SessionExtras *Extras = nullptr);
  ~Evaluator();

  /// Calls Emit with the value of every variable of Body (in Vars' order,
  /// which solve fills with the body's variables in first-use order) for
  /// each way the body holds.
  using Emit = std::function<void(const std::vector<Value> &)>;
  llvm::Error solve(const std::vector<Literal> &Body, std::vector<std::string> &Vars,
                    const Emit &Callback);

  /// Every fact of Name: base facts, session facts and derived facts.
  llvm::Expected<const TupleSet *> relation(const std::string &Name);

  /// The facts of A's relation, or (demand-driven, Evaluation.h) a part
  /// of them that holds every fact matching A's constant arguments.
  llvm::Expected<const TupleSet *> relationFor(const Atom &A);

  /// What this evaluation has spent; a caller that keeps rows it did not
  /// get from solve (a query's answer read straight from a relation)
  /// charges them here.
  Budget &budget();

  /// Checks that Rule can join the graph's rules: its head variables are
  /// bound, it is safe and the rules still stratify.
  static llvm::Error validateRule(const Graph &G, const Clause &Rule,
                                  const std::vector<Clause> &Others);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/// Evaluates a ground expression (no variables); an error when it calls a
/// function the engine does not know or holds an aggregate.
llvm::Expected<Value> evaluateGround(const Expr &E);

} // namespace strata::engine

#endif
