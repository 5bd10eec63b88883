//===- Names.cpp - The server's rule for names ------------------------------===//
#include "strata/IQL/Names.h"
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include <fmt/format.h>

using namespace strata::iql;

bool strata::iql::isNameChar(char C) {
  return (C >= 'a' && C <= 'z') || (C >= '0' && C <= '9') || C == '_';
}

NameProblem strata::iql::checkName(llvm::StringRef Name) {
  if (Name.empty())
    return NameProblem::Empty;
  if (Name.size() > MaxNameBytes)
    return NameProblem::TooLong;
  if (Name.startswith("__"))
    return NameProblem::InternalPrefix;
  if (!(Name[0] >= 'a' && Name[0] <= 'z'))
    return NameProblem::BadStart;
  for (char C : Name)
    if (!isNameChar(C))
      return NameProblem::BadCharacter;
  return NameProblem::None;
}

std::string strata::iql::nameProblemMessage(llvm::StringRef Name, NameProblem Problem) {
  switch (Problem) {
  case NameProblem::None:
    return "";
  case NameProblem::Empty:
    return "Relation name cannot be empty";
  case NameProblem::TooLong:
    return fmt::format("Relation name too long: {} bytes (max {})", Name.size(), MaxNameBytes);
  case NameProblem::InternalPrefix:
    return fmt::format("Relation names starting with '__' are reserved: '{}'", Name.str());
  case NameProblem::BadStart:
    return fmt::format("Relation name '{}' must start with a lowercase letter (a-z)", Name.str());
  case NameProblem::BadCharacter:
    return fmt::format("Relation name '{}' may only contain a-z, 0-9 and '_'", Name.str());
  }
  return "";
}

bool strata::iql::isReservedWord(llvm::StringRef Name) {
  // Asked for every declared name: a set built once instead of a scan of
  // both lists comparing C strings.
  static const llvm::StringSet<> Words = [] {
    llvm::StringSet<> Set;
#define IQL_RESERVED(Word) Set.insert(Word);
#include "strata/IQL/ReservedWords.def"
    for (const BuiltinAggregate &A : allAggregates())
      Set.insert(A.Name);
    return Set;
  }();
  return Words.count(Name) != 0;
}

OwnedForm strata::iql::ownedNameForm(llvm::StringRef Name) {
  if (Name.startswith("strata_"))
    return OwnedForm::StrataPrefix;
  if (Name.endswith("_strata_stage"))
    return OwnedForm::Stage;
  // `_strata_tmp` then an optional counter (`_strata_tmp2` when the first
  // is taken).
  size_t At = Name.rfind("_strata_tmp");
  if (At != llvm::StringRef::npos && llvm::all_of(Name.drop_front(At + 11), llvm::isDigit))
    return OwnedForm::Temporary;
  return OwnedForm::None;
}

bool strata::iql::isOwnedName(llvm::StringRef Name) {
  return ownedNameForm(Name) != OwnedForm::None;
}

std::string strata::iql::ownedNameRule(OwnedForm Form) {
  switch (Form) {
  case OwnedForm::None:
    return "";
  case OwnedForm::StrataPrefix:
    return "names starting with `strata_` are Strata's own (its ledger `strata_migrations`, "
           "its lock `strata_lock`)";
  case OwnedForm::Stage:
    return "names ending in `_strata_stage` are the relations Strata stages facts in while a "
           "migration reshapes a relation";
  case OwnedForm::Temporary:
    return "names ending in `_strata_tmp` (and a number) are the temporary names Strata renames "
           "through";
  }
  return "";
}

std::string strata::iql::graphNameProblem(llvm::StringRef Name) {
  if (Name.empty())
    return "a knowledge-graph name cannot be empty";
  if (Name.size() > MaxNameBytes)
    return fmt::format("a knowledge-graph name has at most {} bytes", MaxNameBytes);
  if (Name.front() == '-')
    return "a knowledge-graph name cannot start with `-`";
  for (char C : Name)
    if (!(llvm::isAlnum(C) || C == '_' || C == '-'))
      return "a knowledge-graph name may only contain letters, digits, `_` and `-`";
  return "";
}
