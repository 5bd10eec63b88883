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

#include "strata/IQL/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace strata::iql {

enum class FunctionId : unsigned char {
#define IQL_FUNCTION(Id, Name, Params, Result) Id,
#include "strata/IQL/Functions.def"
};

enum class ResultType { Int, Float, Bool, String, Vector, IntList, SameAsFirst, Unknown };

/// The type of a function's argument, as Functions.def spells it (its
/// header says what each accepts).
enum class ParamType : unsigned char {
  Int,
  Timestamp,
  Number,
  String,
  Vector,
  Int8Vector,
  Ordered,
  Sequence,
  Any,
};

/// The most arguments a built-in function takes.
constexpr unsigned MaxFunctionParams = 4;

struct BuiltinFunction {
  FunctionId Id;
  const char *Name;
  unsigned Arity;
  ResultType Result;
  ParamType Params[MaxFunctionParams]; // the first Arity are meaningful

  llvm::ArrayRef<ParamType> params() const { return llvm::makeArrayRef(Params, Arity); }
};

/// The spelling of T in Functions.def and in diagnostics: `int`, `number`.
llvm::StringRef paramTypeName(ParamType T);
/// Whether V may be passed where T is expected. Null never fits: a call
/// with a null argument is null. A list fits `vector` and `int8vector`
/// whatever its elements; the functions narrow (and refuse) elements.
bool valueFits(ParamType T, const Value &V);

/// The spelling of R for readers: `int`, `list[int]`, `same as the first
/// argument`, `any`.
llvm::StringRef resultTypeName(ResultType R);
/// `len(sequence) -> int`, for hover and completion.
std::string functionSignature(const BuiltinFunction &F);

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
  Sum,           // int: floats truncated, saturating at the int64 bounds
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

/// `sum<X>`, `top_k<K, X...>`, `top_k_threshold<K, T, X...>`: its
/// leading parameters, then the variables it takes.
std::string aggregateSignature(const BuiltinAggregate &A);

/// Null when Name (any case) is not an aggregate.
const BuiltinAggregate *findAggregate(llvm::StringRef Name);
llvm::ArrayRef<BuiltinAggregate> allAggregates();

/// An HNSW index's distance metric (IndexMetrics.def).
enum class IndexMetric : unsigned char {
#define IQL_METRIC(Id, Name, Alias) Id,
#include "strata/IQL/IndexMetrics.def"
};
/// The canonical name: `cosine`, `euclidean`, `dot_product`, `manhattan`.
llvm::StringRef indexMetricName(IndexMetric M);
/// A metric as the server reads it (name or alias, any case); nullopt for
/// anything else.
std::optional<IndexMetric> parseIndexMetric(llvm::StringRef Spelling);
/// Every metric, in IndexMetrics.def's order.
llvm::ArrayRef<IndexMetric> allIndexMetrics();
/// The server's spellings for messages: `cosine|cos, euclidean|l2, ...`.
std::string indexMetricSpellings();

/// Whether a body atom named AtomName searches a vector index instead of
/// reading a relation: `hnsw_nearest("index", Query, K, Id, Dist[,
/// EfSearch])` binds Id and Dist for the K rows nearest to Query. The
/// server recognises the name exactly (no other case).
bool isIndexSearch(llvm::StringRef AtomName);
/// The name of that atom, for messages.
llvm::StringRef indexSearchName();

/// Whether a query's body atom named AtomName shapes the reply instead of
/// reading a relation: `limit(N)` keeps the first N rows, `limit(N, O)`
/// the N rows after the first O (in the order `?r(X, S:desc)` asks for).
bool isQueryLimit(llvm::StringRef AtomName);

//===-- Meta commands (MetaCommands.def) ------------------------------------===//

enum class MetaCommandId : unsigned char {
  None, // not a meta command
#define IQL_META_FORM(Id, Command, Sub, Args, Usage, Migration) Id,
#include "strata/IQL/MetaCommands.def"
};

/// What the parser says when a command's words match none of its forms.
enum class MetaUnmatched { UnknownSubcommand, Usage, UnknownCommand };

struct MetaCommand {
  const char *Name;
  MetaUnmatched Unmatched;
  const char *Usage;
};

struct MetaCommandForm {
  MetaCommandId Id;
  const char *Command;
  const char *Sub;   // "" when the form has no sub-command word
  const char *Args;  // MetaCommands.def's header says how to read it
  const char *Usage; // "" to fall back to the command's
  bool Migration;    // a migration may send this form
};

/// Null when Name (exact case, without the dot) is not a command the
/// parser accepts.
const MetaCommand *findMetaCommand(llvm::StringRef Name);
llvm::ArrayRef<MetaCommandForm> allMetaForms();
/// Id must not be None.
const MetaCommandForm &metaFormInfo(MetaCommandId Id);
/// Whether Words (after Command and Sub) fit Form's Args.
bool metaArgsFit(const MetaCommandForm &Form, llvm::ArrayRef<std::string> Words);

/// A server command Strata's parser does not accept (MetaCommands.def).
struct ServerOnlyMetaCommand {
  const char *Command;
  const char *Sub;
  const char *Args;
};
llvm::ArrayRef<ServerOnlyMetaCommand> serverOnlyMetaCommands();

} // namespace strata::iql

#endif
