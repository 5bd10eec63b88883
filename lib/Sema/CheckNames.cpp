//===- CheckNames.cpp - Declared names and column lists -------------------===//
//
// Relation names follow the server's rule (strata/IQL/Names.h); Strata
// holds index names to the same rule so every name it emits is safe, and
// refuses the names it makes for itself (ownedNameForm) so that no user
// relation is taken for its ledger, a stage or a temporary.
//
//===----------------------------------------------------------------------===//
#include "strata/IQL/Names.h"
#include "strata/Sema/Sema.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include <cctype>

using namespace strata;

using iql::isNameChar;
using iql::isReservedWord;
using iql::MaxNameBytes;

static bool matchesServerRule(llvm::StringRef Name) {
  iql::NameProblem P = iql::checkName(Name);
  return P == iql::NameProblem::None || P == iql::NameProblem::TooLong;
}

llvm::StringRef strata::nameKindSpelling(NameKind K) {
  switch (K) {
  case NameKind::Relation:
    return "relation";
  case NameKind::Derived:
    return "derived relation";
  case NameKind::Index:
    return "index";
  }
  return "relation";
}

std::string strata::suggestLegalName(llvm::StringRef Name) {
  std::string Out;
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    if (std::isupper(static_cast<unsigned char>(C))) {
      char Prev = I ? Name[I - 1] : 0;
      bool PrevLowerOrDigit = std::islower(static_cast<unsigned char>(Prev)) ||
                              std::isdigit(static_cast<unsigned char>(Prev));
      if (!Out.empty() && PrevLowerOrDigit)
        Out += '_';
      Out += static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    } else if (isNameChar(C)) {
      Out += C;
    } else if (!Out.empty() && Out.back() != '_') {
      Out += '_';
    }
  }
  size_t Start = Out.find_first_not_of("_0123456789");
  if (Start == std::string::npos)
    return "";
  Out.erase(0, Start);
  while (!Out.empty() && Out.back() == '_')
    Out.pop_back();
  if (!matchesServerRule(Out) || isReservedWord(Out) || Out.size() > MaxNameBytes)
    return "";
  return Out;
}

bool strata::checkDeclaredName(const ast::Ident &Name, NameKind Kind, DiagnosticEngine &Diags,
                               bool AllowTemporary) {
  llvm::StringRef N = Name.Name;
  llvm::StringRef What = nameKindSpelling(Kind);
  if (N.size() > MaxNameBytes) {
    Diags.reportAt(DiagKind::NameTooLong, Name.Range, What.str(), N.size(), MaxNameBytes);
    return false;
  }
  if (N.startswith("__")) {
    Diags.reportAt(DiagKind::ReservedNamePrefix, Name.Range, What.str(), N.str());
    return false;
  }
  if (!matchesServerRule(N)) {
    DiagnosticBuilder B = Diags.reportAt(DiagKind::InvalidName, Name.Range, What.str(), N.str());
    std::string Fixed = suggestLegalName(N);
    if (!Fixed.empty())
      B.fixIt(Name.Range, Fixed);
    return false;
  }
  if (isReservedWord(N)) {
    Diags.reportAt(DiagKind::ReservedWordName, Name.Range, What.str(), N.str());
    return false;
  }
  iql::OwnedForm Owned = iql::ownedNameForm(N);
  if (Owned != iql::OwnedForm::None && !(AllowTemporary && Owned == iql::OwnedForm::Temporary)) {
    Diags.reportAt(DiagKind::OwnedName, Name.Range, What.str(), N.str(), iql::ownedNameRule(Owned));
    return false;
  }
  return true;
}

namespace {
/// The first column of a list with a given name. Relations are narrow: a
/// scan of the columns before is cheaper than a map up to a few dozen.
class FirstColumnNamed {
public:
  explicit FirstColumnNamed(llvm::ArrayRef<ast::Column> Columns) : Columns(Columns) {
    if (Columns.size() > ScanUpTo)
      for (const ast::Column &C : Columns)
        Map.try_emplace(C.Name.Name, &C);
  }
  /// The first column named like C, when it comes before C.
  const ast::Column *firstBefore(const ast::Column &C) const {
    if (Columns.size() > ScanUpTo) {
      const ast::Column *First = Map.lookup(C.Name.Name);
      return First != &C ? First : nullptr;
    }
    for (const ast::Column *Earlier = Columns.begin(); Earlier != &C; ++Earlier)
      if (Earlier->Name.Name == C.Name.Name)
        return Earlier;
    return nullptr;
  }

private:
  static constexpr size_t ScanUpTo = 32;
  llvm::ArrayRef<ast::Column> Columns;
  llvm::StringMap<const ast::Column *> Map;
};
} // namespace

std::optional<ColumnList> strata::resolveColumns(llvm::ArrayRef<ast::Column> Columns,
                                                 const ast::Ident &Owner, NameKind Kind,
                                                 DiagnosticEngine &Diags) {
  ColumnList Result;
  Result.Columns.reserve(Columns.size());
  bool Ok = true;
  if (Columns.empty()) {
    Diags.reportAt(DiagKind::EmptyRelation, Owner.Range, nameKindSpelling(Kind).str(), Owner.Name);
    return std::nullopt;
  }
  FirstColumnNamed Seen(Columns);
  for (const ast::Column &C : Columns) {
    if (const ast::Column *First = Seen.firstBefore(C)) {
      Diags.reportAt(DiagKind::DuplicateColumn, C.Name.Range, C.Name.Name, Owner.Name)
          .noteAt(DiagKind::NotePreviousDefinition, First->Name.Range, C.Name.Name);
      Ok = false;
    }
    std::optional<Type> T = resolveType(C.Type, Diags);
    if (!T) {
      Ok = false;
      continue;
    }
    if (C.Fill && !checkFillValue(*C.Fill, *T, Owner.Name + "." + C.Name.Name, Diags))
      Ok = false;
    Result.Columns.push_back({C.Name.Name, std::move(*T), C.Name.Range});
  }
  if (!Ok)
    return std::nullopt;
  return Result;
}
