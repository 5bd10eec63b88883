//===- Builtins.cpp - Lookups over the server's vocabulary -----------------===//
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata::iql;

namespace {
//===-- Reading the signatures of Functions.def at compile time ------------===//

// The spellings, in ParamType order.
constexpr const char *ParamNames[] = {"int",        "timestamp", "number",   "string", "vector",
                                      "int8vector", "ordered",   "sequence", "any"};
constexpr unsigned NumParamTypes = sizeof(ParamNames) / sizeof(ParamNames[0]);
static_assert(NumParamTypes == unsigned(ParamType::Any) + 1, "a ParamType without a spelling");

constexpr bool isSpace(char C) { return C == ' ' || C == ','; }

constexpr bool spelledAs(const char *Word, unsigned Len, const char *Name) {
  unsigned I = 0;
  for (; I < Len; ++I)
    if (Name[I] != Word[I])
      return false;
  return Name[I] == '\0';
}

/// A signature's types; Valid is false for an unknown word or too many.
struct Signature {
  unsigned Arity = 0;
  ParamType Params[MaxFunctionParams] = {};
  bool Valid = true;
};

constexpr Signature parseSignature(const char *S) {
  Signature Sig;
  for (unsigned I = 0; S[I];) {
    if (isSpace(S[I])) {
      ++I;
      continue;
    }
    unsigned Len = 0;
    while (S[I + Len] && !isSpace(S[I + Len]))
      ++Len;
    unsigned T = 0;
    while (T < NumParamTypes && !spelledAs(S + I, Len, ParamNames[T]))
      ++T;
    if (T == NumParamTypes || Sig.Arity == MaxFunctionParams) {
      Sig.Valid = false;
      return Sig;
    }
    Sig.Params[Sig.Arity++] = ParamType(T);
    I += Len;
  }
  return Sig;
}

constexpr BuiltinFunction function(FunctionId Id, const char *Name, const char *Params,
                                   ResultType Result) {
  Signature Sig = parseSignature(Params);
  return {
      Id, Name, Sig.Arity, Result, {Sig.Params[0], Sig.Params[1], Sig.Params[2], Sig.Params[3]}};
}

constexpr bool allSignaturesValid() {
#define IQL_FUNCTION(Id, Name, Params, Result)                                                     \
  if (!parseSignature(Params).Valid)                                                               \
    return false;
#include "strata/IQL/Functions.def"
  return true;
}
static_assert(allSignaturesValid(), "Functions.def: a signature names an unknown type");

constexpr BuiltinFunction Functions[] = {
#define IQL_FUNCTION(Id, Name, Params, Result)                                                     \
  function(FunctionId::Id, Name, Params, ResultType::Result),
#include "strata/IQL/Functions.def"
};

const MetaCommand MetaCommands[] = {
#define IQL_META_COMMAND(Name, Unmatched, Usage) {Name, MetaUnmatched::Unmatched, Usage},
#include "strata/IQL/MetaCommands.def"
};

const MetaCommandForm MetaForms[] = {
#define IQL_META_FORM(Id, Command, Sub, Args, Usage, Migration)                                    \
  {MetaCommandId::Id, Command, Sub, Args, Usage, Migration},
#include "strata/IQL/MetaCommands.def"
};

const ServerOnlyMetaCommand ServerOnly[] = {
#define IQL_META_SERVER_ONLY(Command, Sub, Args) {Command, Sub, Args},
#include "strata/IQL/MetaCommands.def"
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

llvm::StringRef strata::iql::paramTypeName(ParamType T) { return ParamNames[unsigned(T)]; }

llvm::StringRef strata::iql::resultTypeName(ResultType R) {
  switch (R) {
  case ResultType::Int:
    return "int";
  case ResultType::Float:
    return "float";
  case ResultType::Bool:
    return "bool";
  case ResultType::String:
    return "string";
  case ResultType::Vector:
    return "vector";
  case ResultType::IntList:
    return "list[int]";
  case ResultType::SameAsFirst:
    return "same as the first argument";
  case ResultType::Unknown:
    break;
  }
  return "any";
}

std::string strata::iql::functionSignature(const BuiltinFunction &F) {
  std::string Out = std::string(F.Name) + "(";
  for (unsigned I = 0; I < F.Arity; ++I)
    Out += (I ? ", " : "") + paramTypeName(F.Params[I]).str();
  return Out + ") -> " + resultTypeName(F.Result).str();
}

std::string strata::iql::aggregateSignature(const BuiltinAggregate &A) {
  static const char *const Leading[] = {"K", "Threshold"};
  static const char *const Radius[] = {"MaxDist"};
  bool IsRadius = A.Kind == AggregateKind::WithinRadius;
  std::string Out = std::string(A.Name) + "<";
  for (unsigned I = 0; I < A.leadingParams(); ++I)
    Out += std::string(IsRadius ? Radius[I] : Leading[I]) + ", ";
  return Out + (A.isRanking() ? "X...>" : "X>");
}

bool strata::iql::valueFits(ParamType T, const Value &V) {
  switch (T) {
  case ParamType::Int:
  case ParamType::Timestamp:
    return V.kind() == Value::Kind::Int;
  case ParamType::Number:
    return V.isNumber();
  case ParamType::String:
    return V.kind() == Value::Kind::String;
  case ParamType::Vector:
  case ParamType::Int8Vector:
    return V.kind() == Value::Kind::List;
  case ParamType::Ordered:
    return V.isNumber() || V.kind() == Value::Kind::String;
  case ParamType::Sequence:
    return V.kind() == Value::Kind::String || V.kind() == Value::Kind::List;
  case ParamType::Any:
    return !V.isNull();
  }
  return false;
}

const BuiltinAggregate *strata::iql::findAggregate(llvm::StringRef Name) {
  for (const BuiltinAggregate &A : Aggregates)
    if (Name.equals_insensitive(A.Name))
      return &A;
  return nullptr;
}

llvm::ArrayRef<BuiltinAggregate> strata::iql::allAggregates() { return Aggregates; }

const MetaCommand *strata::iql::findMetaCommand(llvm::StringRef Name) {
  for (const MetaCommand &C : MetaCommands)
    if (Name == C.Name)
      return &C;
  return nullptr;
}

llvm::ArrayRef<MetaCommandForm> strata::iql::allMetaForms() { return MetaForms; }

const MetaCommandForm &strata::iql::metaFormInfo(MetaCommandId Id) {
  return MetaForms[static_cast<unsigned>(Id) - 1];
}

bool strata::iql::metaArgsFit(const MetaCommandForm &Form, llvm::ArrayRef<std::string> Words) {
  llvm::SmallVector<llvm::StringRef, 4> Shape;
  llvm::StringRef(Form.Args).split(Shape, ' ', -1, /*KeepEmpty=*/false);
  size_t I = 0;
  for (llvm::StringRef Part : Shape) {
    if (Part == "...")
      return true;
    if (I == Words.size())
      return false;
    bool Placeholder = llvm::all_of(Part, [](char C) { return C < 'a' || C > 'z'; });
    if (!Placeholder && Words[I] != Part)
      return false;
    ++I;
  }
  return I == Words.size();
}

llvm::ArrayRef<ServerOnlyMetaCommand> strata::iql::serverOnlyMetaCommands() { return ServerOnly; }

bool strata::iql::isIndexSearch(llvm::StringRef AtomName) { return AtomName == indexSearchName(); }

llvm::StringRef strata::iql::indexSearchName() { return "hnsw_nearest"; }

bool strata::iql::isQueryLimit(llvm::StringRef AtomName) { return AtomName == "limit"; }

namespace {
struct MetricSpelling {
  strata::iql::IndexMetric Id;
  const char *Name, *Alias;
};
const MetricSpelling Metrics[] = {
#define IQL_METRIC(Id, Name, Alias) {strata::iql::IndexMetric::Id, Name, Alias},
#include "strata/IQL/IndexMetrics.def"
};
const strata::iql::IndexMetric MetricIds[] = {
#define IQL_METRIC(Id, Name, Alias) strata::iql::IndexMetric::Id,
#include "strata/IQL/IndexMetrics.def"
};
} // namespace

llvm::StringRef strata::iql::indexMetricName(IndexMetric M) {
  return Metrics[static_cast<unsigned>(M)].Name;
}

std::optional<strata::iql::IndexMetric> strata::iql::parseIndexMetric(llvm::StringRef Spelling) {
  for (const MetricSpelling &S : Metrics)
    if (Spelling.equals_insensitive(S.Name) || Spelling.equals_insensitive(S.Alias))
      return S.Id;
  return std::nullopt;
}

llvm::ArrayRef<strata::iql::IndexMetric> strata::iql::allIndexMetrics() { return MetricIds; }

std::string strata::iql::indexMetricSpellings() {
  std::string Out;
  for (const MetricSpelling &S : Metrics)
    Out += std::string(Out.empty() ? "" : ", ") + S.Name + "|" + S.Alias;
  return Out;
}
