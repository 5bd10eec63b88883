//===- Rename.cpp - Renaming a symbol across the schema files -------------===//
//
// Migration files are history and are never edited. So that the next
// makemigrations keeps the data under a renamed relation or column, the
// declaration records the name the history knows with `renamed_from`: the
// annotation it already has when the history has not reached the current
// name yet, else the current name.
//
//===----------------------------------------------------------------------===//
#include "IndexImpl.h"
#include "strata/IQL/Names.h"
#include "strata/Sema/Sema.h"
#include <algorithm>

using namespace strata;
using namespace strata::index;

namespace {

template <typename... Args> llvm::Error refuse(const FileEntry &E, DiagKind K, Args &&...A) {
  Diagnostic D = DiagnosticBuilder::make(K, llvm::SMLoc(), std::forward<Args>(A)...);
  D.File = E.Path;
  return llvm::make_error<DiagnosticError>(std::move(D));
}

/// The first diagnostic of Diags as an error about file E.
llvm::Error firstDiagnostic(const FileEntry &E, DiagnosticEngine &Diags) {
  Diagnostic D = Diags.diagnostics().front();
  D.File = E.Path;
  D.Ranges.clear();
  D.FixIts.clear();
  return llvm::make_error<DiagnosticError>(std::move(D));
}

/// A column name follows the rule of relation names, without the names
/// Strata owns (those are relation names).
bool checkColumnName(llvm::StringRef Name, DiagnosticEngine &Diags) {
  iql::NameProblem P = iql::checkName(Name);
  if (P == iql::NameProblem::TooLong)
    Diags.report(DiagKind::NameTooLong, {}, "column", Name.size(), iql::MaxNameBytes);
  else if (P == iql::NameProblem::InternalPrefix)
    Diags.report(DiagKind::ReservedNamePrefix, {}, "column", Name.str());
  else if (P != iql::NameProblem::None)
    Diags.report(DiagKind::InvalidName, {}, "column", Name.str());
  else if (iql::isReservedWord(Name))
    Diags.report(DiagKind::ReservedWordName, {}, "column", Name.str());
  return !Diags.hasErrors();
}

bool isVariableName(llvm::StringRef Name) {
  if (Name.empty() || Name == "_" || !(std::isupper((unsigned char)Name[0]) || Name[0] == '_'))
    return false;
  return llvm::all_of(Name, [](char C) { return std::isalnum((unsigned char)C) || C == '_'; });
}

/// Checks NewName as a name of S. Returns an error that says why not.
llvm::Error checkNewName(const FileEntry &E, const Symbol &S, llvm::StringRef NewName) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  bool Ok = true;
  switch (S.Kind) {
  case SymbolKind::Relation:
  case SymbolKind::Derived:
  case SymbolKind::Index: {
    NameKind K = S.Kind == SymbolKind::Index     ? NameKind::Index
                 : S.Kind == SymbolKind::Derived ? NameKind::Derived
                                                 : NameKind::Relation;
    Ok = checkDeclaredName(ast::Ident{NewName.str(), {}}, K, Diags);
    break;
  }
  case SymbolKind::Column:
    Ok = checkColumnName(NewName, Diags);
    break;
  case SymbolKind::Variable:
    if (!isVariableName(NewName))
      return refuse(E, DiagKind::RenameRefused,
                    "variable `" + S.Name + "` to `" + NewName.str() + "`",
                    "a variable starts with an uppercase letter or `_` and goes on with "
                    "letters, digits and `_`");
    break;
  default:
    break;
  }
  return Ok ? llvm::Error::success() : firstDiagnostic(E, Diags);
}

std::string what(const Symbol &S) {
  std::string Name = S.Kind == SymbolKind::Column ? S.Owner + "." + S.Name : S.Name;
  return symbolKindName(S.Kind).str() + " `" + Name + "`";
}

/// Refuses what cannot be renamed: built-ins, migrations, names only the
/// history declares.
llvm::Error checkRenamable(const SymbolIndex::Impl &I, const FileEntry &E, const Occ &O,
                           const Symbol &S) {
  switch (S.Kind) {
  case SymbolKind::Function:
  case SymbolKind::Aggregate:
    return refuse(E, DiagKind::RenameRefused, what(S), "it is built into the server");
  case SymbolKind::Migration:
    return refuse(E, DiagKind::RenameRefused, what(S), "migrations are history, never edited");
  case SymbolKind::Variable:
    if (E.isMigration())
      return refuse(E, DiagKind::RenameRefused, what(S), "migrations are history, never edited");
    return llvm::Error::success();
  default:
    break;
  }
  if (!I.declaration(O.Sym).second)
    return refuse(E, DiagKind::RenameRefused, what(S),
                  "no schema file declares it, and migrations are history, never edited");
  return llvm::Error::success();
}

/// Whether NewName is already taken where S lives.
llvm::Error checkClash(const SymbolIndex::Impl &I, const FileEntry &E, const Occ &O,
                       const Symbol &S, llvm::StringRef NewName) {
  std::string Verb = "rename " + what(S) + " to `" + NewName.str() + "`";
  if (S.Kind == SymbolKind::Variable) {
    for (const Occ &Other : E.Occs)
      if (Other.Clause == O.Clause && I.Table.Syms[Other.Sym].Kind == SymbolKind::Variable &&
          I.Table.Syms[Other.Sym].Name == NewName)
        return refuse(E, DiagKind::OpNameExists, Verb, NewName.str(), "variable of this clause");
    return llvm::Error::success();
  }
  SymbolKind Group = S.Kind == SymbolKind::Derived ? SymbolKind::Relation : S.Kind;
  std::optional<unsigned> Taken = I.Table.lookup(Group, S.Owner, NewName);
  if (Taken && I.declaration(*Taken).second) {
    Symbol T = I.symbol(*Taken);
    std::string Kind = symbolKindName(T.Kind).str();
    if (T.Kind == SymbolKind::Column)
      Kind += " of `" + T.Owner + "`";
    return refuse(E, DiagKind::OpNameExists, Verb, NewName.str(), Kind);
  }
  return llvm::Error::success();
}

struct DeclAnnotation {
  bool Found = false;
  /// The annotation, if one is written.
  const ast::Ident *RenamedFrom = nullptr;
  int64_t InsertAt = -1; // where ` renamed_from OLD` goes when there is none
};

template <typename Optional> const ast::Ident *written(const Optional &RenamedFrom) {
  return RenamedFrom ? &*RenamedFrom : nullptr;
}

/// The `renamed_from` slot of the declaration at D (a relation's name or a
/// column's).
DeclAnnotation annotationOf(const FileEntry &F, const Occ &D) {
  auto NameAt = [&](const ast::Ident &N) { return F.offsetOf(N.Range.Start) == int64_t(D.Begin); };
  auto InColumns = [&](const std::vector<ast::Column> &Cols) -> DeclAnnotation {
    for (const ast::Column &C : Cols)
      if (NameAt(C.Name))
        return {true, written(C.RenamedFrom), F.offsetOf(C.Range.End)};
    return {};
  };
  for (const ast::Item &It : F.AST.Items) {
    if (auto *R = std::get_if<ast::RelationDecl>(&It)) {
      if (NameAt(R->Name))
        return {true, written(R->RenamedFrom), D.End};
      if (DeclAnnotation A = InColumns(R->Columns); A.Found)
        return A;
    } else if (auto *Dd = std::get_if<ast::DerivedDecl>(&It)) {
      if (NameAt(Dd->Name))
        return {true, written(Dd->RenamedFrom), D.End};
      if (DeclAnnotation A = InColumns(Dd->Columns); A.Found)
        return A;
    }
  }
  return {};
}

/// The edit that records the old name on the declaration, if one is needed.
std::optional<TextEdit> annotate(const SymbolIndex::Impl &I, const Occ &O, const Symbol &S) {
  auto [F, D] = I.declaration(O.Sym);
  DeclAnnotation A = annotationOf(*F, *D);
  if (!A.Found)
    return std::nullopt;
  bool HistoryKnowsName = false;
  I.forEach(O.Sym, nullptr, [&](const FileEntry &, const Occ &X) {
    HistoryKnowsName |= X.TheRole == Role::HistoryDefinition;
  });
  if (!A.RenamedFrom) {
    if (A.InsertAt < 0)
      return std::nullopt;
    return TextEdit{size_t(A.InsertAt), size_t(A.InsertAt), " renamed_from " + S.Name};
  }
  if (!HistoryKnowsName) // the annotation still names what the history has
    return std::nullopt;
  int64_t B = F->offsetOf(A.RenamedFrom->Range.Start), End = F->offsetOf(A.RenamedFrom->Range.End);
  if (B < 0 || End < B)
    return std::nullopt;
  return TextEdit{size_t(B), size_t(End), S.Name};
}

} // namespace

llvm::Expected<WorkspaceEdit> strata::index::renameAt(const SymbolIndex::Impl &I,
                                                      const FileEntry &E, size_t Offset,
                                                      llvm::StringRef NewName) {
  const Occ *O = I.occAt(E, Offset);
  if (!O)
    return refuse(E, DiagKind::RenameRefused, "here",
                  "no relation, column, index or variable is under the cursor");
  Symbol S = I.symbol(O->Sym);
  if (llvm::Error Err = checkRenamable(I, E, *O, S))
    return Err;
  WorkspaceEdit Out;
  if (NewName == S.Name)
    return Out;
  if (llvm::Error Err = checkNewName(E, S, NewName))
    return Err;
  if (llvm::Error Err = checkClash(I, E, *O, S, NewName))
    return Err;
  const FileEntry *Only = S.Kind == SymbolKind::Variable ? &E : nullptr;
  I.forEach(O->Sym, Only, [&](const FileEntry &F, const Occ &X) {
    bool Edits = X.TheRole == Role::Declaration || X.TheRole == Role::Reference;
    if (Edits && !F.isMigration() && (!Only || X.Clause == O->Clause))
      Out[F.Path].push_back({X.Begin, X.End, NewName.str()});
  });
  bool Annotates = S.Kind == SymbolKind::Relation || S.Kind == SymbolKind::Derived ||
                   S.Kind == SymbolKind::Column;
  if (Annotates)
    if (std::optional<TextEdit> A = annotate(I, *O, S))
      Out[I.declaration(O->Sym).first->Path].push_back(std::move(*A));
  for (auto &[Path, Edits] : Out)
    std::sort(Edits.begin(), Edits.end(), [](const TextEdit &A, const TextEdit &B) {
      return A.Begin != B.Begin ? A.Begin < B.Begin : A.End < B.End;
    });
  return Out;
}
