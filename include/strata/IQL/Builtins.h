//===- Builtins.h - The server's built-in functions and aggregates -*- C++ -*-===//
//
// Lookups over the one description of the server's vocabulary
// (Functions.def, Aggregates.def). A function or aggregate is known to
// Strata exactly when it is listed there: Sema accepts it, the engine runs
// it (by Id, never by name), the verifier and editors list it.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_BUILTINS_H
#define STRATA_IQL_BUILTINS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace strata::iql {

enum class FunctionId : unsigned char {
#define IQL_FUNCTION(Id, Name, Arity, Result) Id,
#include "strata/IQL/Functions.def"
};

enum class ResultType { Int, Float, Bool, String, Vector, IntList, SameAsFirst, Unknown };

struct BuiltinFunction {
  FunctionId Id;
  const char *Name;
  unsigned Arity;
  ResultType Result;
};

/// Null when Name (any case) is not a built-in function.
const BuiltinFunction *findFunction(llvm::StringRef Name);
const BuiltinFunction &functionInfo(FunctionId Id);
llvm::ArrayRef<BuiltinFunction> allFunctions();

enum class AggregateId : unsigned char {
#define IQL_AGGREGATE(Id, Name, Kind) Id,
#include "strata/IQL/Aggregates.def"
};

enum class AggregateKind {
  Count,         // count<X>: int
  CountDistinct, // count_distinct<X>: int
  Sum,           // type of the variable
  MinMax,        // type of the variable
  Avg,           // float
  TopK,          // top_k<K, Vars...>
  TopKThreshold, // top_k_threshold<K, Threshold, Vars...>
  WithinRadius,  // within_radius<MaxDist, Vars...>
};

struct BuiltinAggregate {
  AggregateId Id;
  const char *Name;
  AggregateKind Kind;

  bool isCount() const {
    return Kind == AggregateKind::Count || Kind == AggregateKind::CountDistinct;
  }
  bool isRanking() const {
    return Kind == AggregateKind::TopK || Kind == AggregateKind::TopKThreshold ||
           Kind == AggregateKind::WithinRadius;
  }
  /// Ranking aggregates: parameters before the variables.
  unsigned leadingParams() const {
    return Kind == AggregateKind::TopKThreshold ? 2 : isRanking() ? 1 : 0;
  }
};

/// Null when Name (any case) is not an aggregate.
const BuiltinAggregate *findAggregate(llvm::StringRef Name);
llvm::ArrayRef<BuiltinAggregate> allAggregates();

/// Whether a body atom named AtomName searches a vector index instead of
/// reading a relation: `hnsw_nearest("index", Query, K, Id, Dist[,
/// EfSearch])` binds Id and Dist for the K rows nearest to Query. The
/// server recognises the name exactly (no other case).
bool isIndexSearch(llvm::StringRef AtomName);
/// The name of that atom, for messages.
llvm::StringRef indexSearchName();

} // namespace strata::iql

#endif
