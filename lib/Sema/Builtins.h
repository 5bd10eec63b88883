//===- Builtins.h - The server's built-in functions and aggregates -*- C++ -*-===//
//
// From src/ast/mod.rs (BuiltinFunc::parse / arity, AggregateFunc). Names are
// matched case-insensitively, as the server does.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_SEMA_BUILTINS_H
#define STRATA_LIB_SEMA_BUILTINS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace strata::sema {

enum class ResultType { Int, Float, Bool, String, Vector, IntList, SameAsFirst, Unknown };

struct BuiltinFunction {
  const char *Name;
  unsigned Arity;
  ResultType Result;
};

/// Null when Name (any case) is not a built-in function.
const BuiltinFunction *findBuiltinFunction(llvm::StringRef Name);
llvm::ArrayRef<BuiltinFunction> allBuiltinFunctions();

enum class AggregateKind {
  Count,         // count, count_distinct: int
  Sum,           // type of the variable
  MinMax,        // type of the variable
  Avg,           // float
  TopK,          // top_k<K, Vars...>
  TopKThreshold, // top_k_threshold<K, Threshold, Vars...>
  WithinRadius,  // within_radius<MaxDist, Vars...>
};

struct BuiltinAggregate {
  const char *Name;
  AggregateKind Kind;
  bool isRanking() const {
    return Kind == AggregateKind::TopK || Kind == AggregateKind::TopKThreshold ||
           Kind == AggregateKind::WithinRadius;
  }
  /// Ranking aggregates: parameters before the variables.
  unsigned leadingParams() const {
    return Kind == AggregateKind::TopKThreshold ? 2 : isRanking() ? 1 : 0;
  }
};

const BuiltinAggregate *findBuiltinAggregate(llvm::StringRef Name);
llvm::ArrayRef<BuiltinAggregate> allBuiltinAggregates();

} // namespace strata::sema

#endif
