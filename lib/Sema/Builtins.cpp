//===- Builtins.cpp - The server's built-in functions and aggregates ------===//
#include "Builtins.h"
#include <string>

using namespace strata::sema;

namespace {
using R = ResultType;
const BuiltinFunction Functions[] = {
    // Distance
    {"euclidean", 2, R::Float}, {"cosine", 2, R::Float}, {"dot", 2, R::Float},
    {"manhattan", 2, R::Float},
    // Vector
    {"normalize", 1, R::Vector}, {"vec_dim", 1, R::Int}, {"vec_add", 2, R::Vector},
    {"vec_scale", 2, R::Vector},
    // LSH
    {"lsh_bucket", 3, R::Int}, {"lsh_probes", 3, R::IntList},
    {"lsh_multi_probe", 4, R::IntList},
    // Temporal (Int64 milliseconds)
    {"time_now", 0, R::Int}, {"time_diff", 2, R::Int}, {"time_add", 2, R::Int},
    {"time_sub", 2, R::Int}, {"interval_duration", 2, R::Int},
    {"time_decay", 3, R::Float}, {"time_decay_linear", 3, R::Float},
    {"time_before", 2, R::Bool}, {"time_after", 2, R::Bool},
    {"time_between", 3, R::Bool}, {"within_last", 3, R::Bool},
    {"point_in_interval", 3, R::Bool}, {"intervals_overlap", 4, R::Bool},
    {"interval_contains", 4, R::Bool},
    // Int8 quantization
    {"quantize_linear", 1, R::Unknown}, {"quantize_symmetric", 1, R::Unknown},
    {"dequantize", 1, R::Vector}, {"dequantize_scaled", 2, R::Vector},
    {"euclidean_int8", 2, R::Float}, {"cosine_int8", 2, R::Float},
    {"dot_int8", 2, R::Float}, {"manhattan_int8", 2, R::Float},
    // Math
    {"abs", 1, R::SameAsFirst}, {"abs_int64", 1, R::Int}, {"abs_float64", 1, R::Float},
    {"sqrt", 1, R::Float}, {"log", 1, R::Float}, {"exp", 1, R::Float},
    {"sin", 1, R::Float}, {"cos", 1, R::Float}, {"tan", 1, R::Float},
    {"pow", 2, R::Float}, {"floor", 1, R::Int}, {"ceil", 1, R::Int}, {"sign", 1, R::Int},
    // Casts
    {"to_float", 1, R::Float}, {"to_int", 1, R::Int},
    // String; concat's arity() is 3 (the docs: pass "" to join two values)
    {"len", 1, R::Int}, {"upper", 1, R::String}, {"lower", 1, R::String},
    {"trim", 1, R::String}, {"substr", 3, R::String}, {"replace", 3, R::String},
    {"concat", 3, R::String},
    // Scalar
    {"min_val", 2, R::SameAsFirst}, {"max_val", 2, R::SameAsFirst},
};

const BuiltinAggregate Aggregates[] = {
    {"count", AggregateKind::Count},       {"count_distinct", AggregateKind::Count},
    {"countdistinct", AggregateKind::Count}, {"sum", AggregateKind::Sum},
    {"min", AggregateKind::MinMax},        {"max", AggregateKind::MinMax},
    {"avg", AggregateKind::Avg},           {"top_k", AggregateKind::TopK},
    {"top_k_threshold", AggregateKind::TopKThreshold},
    {"within_radius", AggregateKind::WithinRadius},
};
} // namespace

const BuiltinFunction *strata::sema::findBuiltinFunction(llvm::StringRef Name) {
  std::string Lower = Name.lower();
  for (const BuiltinFunction &F : Functions)
    if (Lower == F.Name)
      return &F;
  return nullptr;
}

llvm::ArrayRef<BuiltinFunction> strata::sema::allBuiltinFunctions() { return Functions; }

const BuiltinAggregate *strata::sema::findBuiltinAggregate(llvm::StringRef Name) {
  std::string Lower = Name.lower();
  for (const BuiltinAggregate &A : Aggregates)
    if (Lower == A.Name)
      return &A;
  return nullptr;
}

llvm::ArrayRef<BuiltinAggregate> strata::sema::allBuiltinAggregates() { return Aggregates; }
