//===- FailureKind.cpp - The kinds of failure both sides can name ---------===//
#include "FailureKind.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata;
using namespace strata::difftest;

llvm::StringRef difftest::failureKindName(FailureKind K) {
  switch (K) {
  case FailureKind::Syntax:
    return "syntax";
  case FailureKind::Name:
    return "name";
  case FailureKind::NotGround:
    return "not-ground";
  case FailureKind::UnknownRelation:
    return "unknown-relation";
  case FailureKind::Arity:
    return "arity";
  case FailureKind::Type:
    return "type";
  case FailureKind::UnknownFunction:
    return "unknown-function";
  case FailureKind::BadAggregate:
    return "bad-aggregate";
  case FailureKind::Unsafe:
    return "unsafe-variable";
  case FailureKind::Stratification:
    return "stratification";
  case FailureKind::MissingObject:
    return "missing-object";
  case FailureKind::IndexOption:
    return "index-option";
  case FailureKind::Other:
    return "other";
  }
  return "other";
}

namespace {
/// Phrases that name a kind, tried in order (the first match wins), in
/// lower case. Both sides' wordings are listed: Sema's diagnostics
/// (Diagnostics.def), the catalog's rows (lib/Verify/Catalog.cpp) and the
/// server's rows as the engine prints them.
struct Phrase {
  const char *Text;
  FailureKind Kind;
};
const Phrase Phrases[] = {
    {"parse error", FailureKind::Syntax},
    {"stratif", FailureKind::Stratification},
    {"inside a recursive cycle", FailureKind::Stratification},
    {"conflicting aggregation", FailureKind::BadAggregate},
    {"different ranking aggregates", FailureKind::BadAggregate},
    {"cannot insert", FailureKind::NotGround},
    {"must be ground", FailureKind::NotGround},
    {"a fact needs at least one value", FailureKind::Arity},
    {"fact must have at least one argument", FailureKind::Arity},
    {"is rejected by the server; names", FailureKind::Name},
    {"reserved", FailureKind::Name},
    {"invalid column name", FailureKind::Name},
    {"invalid relation name", FailureKind::Name},
    {"name is", FailureKind::Name},
    {"unknown function", FailureKind::UnknownFunction},
    {"unknown aggregate", FailureKind::UnknownFunction},
    {"by the embedded engine", FailureKind::UnknownFunction},
    {"not bound", FailureKind::Unsafe},
    {"does not appear in its body", FailureKind::Unsafe},
    {"cannot order the body", FailureKind::Unsafe},
    {"wildcard", FailureKind::Unsafe},
    {"aggregates are only allowed", FailureKind::BadAggregate},
    {"aggregates a variable", FailureKind::BadAggregate},
    {"order annotation", FailureKind::BadAggregate},
    {"takes no order", FailureKind::BadAggregate},
    {"needs exactly one marked", FailureKind::BadAggregate},
    {"is read by the server as a variable", FailureKind::BadAggregate},
    {"must be a positive integer literal", FailureKind::BadAggregate},
    {"index error", FailureKind::IndexOption},
    {"invalid metric", FailureKind::IndexOption},
    {"unknown metric", FailureKind::IndexOption},
    {"hnsw", FailureKind::IndexOption},
    {"ef_", FailureKind::IndexOption},
    {"m must be", FailureKind::IndexOption},
    {"index type", FailureKind::IndexOption},
    {"arity", FailureKind::Arity},
    {"but this atom has", FailureKind::Arity},
    {"clause head has", FailureKind::Arity},
    {"argument(s) but", FailureKind::Arity},
    {"column(s) but", FailureKind::Arity},
    {"takes ", FailureKind::Arity},
    {"violated constraints", FailureKind::Type},
    {"cannot compare", FailureKind::Type},
    {"needs numbers", FailureKind::Type},
    {"type", FailureKind::Type},
    {"not found as rule", FailureKind::MissingObject},
    {"index must be 1 or greater", FailureKind::MissingObject},
    {"failed to drop rule", FailureKind::MissingObject},
    {"failed to clear rule", FailureKind::MissingObject},
    {"failed to remove rule clause", FailureKind::MissingObject},
    {"there is no clause", FailureKind::MissingObject},
    {"rule '", FailureKind::MissingObject},
    {"unknown relation", FailureKind::UnknownRelation},
    {"relation '", FailureKind::UnknownRelation},
    {"which does not exist", FailureKind::UnknownRelation},
};
} // namespace

/// Whether Lower is the server's parse error for a call of a function it
/// does not know: `invalid term: 'NAME(...)'` (lib/Engine/UnknownCalls.h),
/// not one for other text it cannot read (`invalid term: 'y).'`).
static bool isUnknownCall(llvm::StringRef Lower) {
  const llvm::StringRef Intro = "invalid term: '";
  size_t At = Lower.find(Intro);
  if (At == llvm::StringRef::npos)
    return false;
  llvm::StringRef Term = Lower.drop_front(At + Intro.size());
  size_t Name = Term.find_if_not([](char C) { return llvm::isAlnum(C) || C == '_'; });
  return Name != 0 && Name != llvm::StringRef::npos && Term[Name] == '(' &&
         Term.rtrim().endswith(")'");
}

FailureKind difftest::classifyFailure(llvm::StringRef Message) {
  std::string Lower = Message.lower();
  if (isUnknownCall(Lower))
    return FailureKind::UnknownFunction;
  for (const Phrase &P : Phrases)
    if (llvm::StringRef(Lower).contains(P.Text))
      return P.Kind;
  return FailureKind::Other;
}
