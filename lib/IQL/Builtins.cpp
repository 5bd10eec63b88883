//===- Builtins.cpp - Lookups over the server's vocabulary -----------------===//
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata::iql;

namespace {
const BuiltinFunction Functions[] = {
#define IQL_FUNCTION(Id, Name, Arity, Result) {FunctionId::Id, Name, Arity, ResultType::Result},
#include "strata/IQL/Functions.def"
};

const BuiltinAggregate Aggregates[] = {
#define IQL_AGGREGATE(Id, Name, Kind) {AggregateId::Id, Name, AggregateKind::Kind},
#include "strata/IQL/Aggregates.def"
};
} // namespace

const BuiltinFunction *strata::iql::findFunction(llvm::StringRef Name) {
  for (const BuiltinFunction &F : Functions)
    if (Name.equals_insensitive(F.Name))
      return &F;
  return nullptr;
}

const BuiltinFunction &strata::iql::functionInfo(FunctionId Id) {
  return Functions[static_cast<unsigned>(Id)];
}

llvm::ArrayRef<BuiltinFunction> strata::iql::allFunctions() { return Functions; }

const BuiltinAggregate *strata::iql::findAggregate(llvm::StringRef Name) {
  for (const BuiltinAggregate &A : Aggregates)
    if (Name.equals_insensitive(A.Name))
      return &A;
  return nullptr;
}

llvm::ArrayRef<BuiltinAggregate> strata::iql::allAggregates() { return Aggregates; }

bool strata::iql::isIndexSearch(llvm::StringRef AtomName) { return AtomName == indexSearchName(); }

llvm::StringRef strata::iql::indexSearchName() { return "hnsw_nearest"; }
