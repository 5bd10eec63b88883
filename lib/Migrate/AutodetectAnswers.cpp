//===- AutodetectAnswers.cpp - What is wrong with a --rename answer -------===//
//
// An explicit answer is honoured or refused, never ignored: two answers for
// one name are refused before anything is decided, and an answer no rename
// used is explained (a name that does not exist, an old name the schema
// still declares) at the flag's text when the command line gave it a place.
//
//===----------------------------------------------------------------------===//
#include "AutodetectImpl.h"
#include "OperationImpl.h"

using namespace strata;
using namespace strata::detail;

namespace {
llvm::SMRange locOf(const AutodetectOptions &Opts, size_t I) {
  return I < Opts.RenameLocs.size() ? Opts.RenameLocs[I] : llvm::SMRange();
}

std::string answerText(const AutodetectOptions &Opts, size_t I) {
  return Opts.Renames[I].first + "=" + Opts.Renames[I].second;
}

/// An answer with the new side of a column rename spelled in full:
/// `r.a=b` is `r.a=r.b`.
std::pair<std::string, std::string> normalized(const std::pair<std::string, std::string> &A) {
  auto [OldRel, OldCol] = llvm::StringRef(A.first).split('.');
  if (OldCol.empty() || llvm::StringRef(A.second).contains('.'))
    return A;
  return {A.first, OldRel.str() + "." + A.second};
}
} // namespace

namespace {
/// Whether an answer or a `renamed_from` hint gives some other object the
/// name Name (`rel` or `rel.col`, new names): then an answer may move
/// Name's old holder away although the schema still declares Name.
bool nameTaken(const std::string &Name, const SchemaHints &Hints, const AutodetectOptions &Opts) {
  for (const auto &Answer : Opts.Renames)
    if (normalized(Answer).second == Name)
      return true;
  return Hints.RenamedColumns.count(Name) || Hints.RenamedRelations.count(Name);
}

/// Reports answer I when its old name is still declared in To and nothing
/// else takes that name: the object was not renamed.
bool checkDropped(const SchemaState &To, const SchemaHints &Hints, const AutodetectOptions &Opts,
                  size_t I, DiagnosticEngine &Diags) {
  auto [Old, New] = normalized(Opts.Renames[I]);
  auto [OldRel, OldCol] = llvm::StringRef(Old).split('.');
  auto [NewRel, NewCol] = llvm::StringRef(New).split('.');
  llvm::SMRange Decl;
  std::string Kept;
  if (OldCol.empty()) {
    if (!To.hasRelationName(Old) || nameTaken(Old, Hints, Opts))
      return true;
    Kept = Old;
    if (const RelationDef *R = To.relation(Old))
      Decl = R->Loc;
    else if (const DerivedDef *D = To.derivedRelation(Old))
      Decl = D->Loc;
  } else {
    // Only when the relation keeps its name can its columns be compared.
    const RelationDef *R = To.relation(NewRel);
    std::optional<size_t> Col = R && NewRel == OldRel ? R->Columns.find(OldCol) : std::nullopt;
    Kept = NewRel.str() + "." + OldCol.str();
    if (!Col || nameTaken(Kept, Hints, Opts))
      return true;
    Decl = R->Columns.Columns[*Col].Loc;
  }
  Diags.reportAt(DiagKind::RenameAnswerNotDropped, locOf(Opts, I), answerText(Opts, I), Kept)
      .noteAt(DiagKind::NoteDeclaredHere, Decl, Kept);
  return false;
}
} // namespace

bool detail::checkRenameAnswers(const SchemaState &To, const SchemaHints &Hints,
                                const AutodetectOptions &Opts, DiagnosticEngine &Diags) {
  bool Ok = true;
  for (size_t I = 0; I < Opts.Renames.size(); ++I)
    Ok &= checkDropped(To, Hints, Opts, I, Diags);
  for (size_t I = 0; I < Opts.Renames.size(); ++I) {
    auto [Old, New] = normalized(Opts.Renames[I]);
    for (size_t J = 0; J < I; ++J) {
      auto [FirstOld, FirstNew] = normalized(Opts.Renames[J]);
      std::string Why;
      if (Old == FirstOld && New != FirstNew)
        Why = "`" + Old + "` has one new name: it";
      else if (New == FirstNew && Old != FirstOld)
        Why = "`" + New + "` has one old name: it";
      else
        continue;
      Diags
          .reportAt(DiagKind::AnswerConflict, locOf(Opts, I), "--rename " + answerText(Opts, I),
                    "--rename " + answerText(Opts, J), Why)
          .noteAt(DiagKind::NoteFirstAnswerHere, locOf(Opts, J), "--rename " + answerText(Opts, J));
      Ok = false;
      break;
    }
  }
  return Ok;
}

namespace {
/// Why a column answer `rel.old=new` cannot be honoured, reported; false
/// when nothing specific is wrong.
bool explainColumnAnswer(const SchemaState &From, const SchemaState &To,
                         const AutodetectOptions &Opts, size_t I,
                         const std::map<std::string, std::string> &NewToOldRelation,
                         DiagnosticEngine &Diags) {
  auto [OldSide, NewSide] = normalized(Opts.Renames[I]);
  auto [Rel, OldCol] = llvm::StringRef(OldSide).split('.');
  auto [NewRel, NewCol] = llvm::StringRef(NewSide).split('.');
  auto Unknown = [&](const std::string &Name, const std::string &Why) {
    Diags.reportAt(DiagKind::RenameAnswerUnknownName, locOf(Opts, I), answerText(Opts, I), Name,
                   Why);
    return true;
  };
  // The relation may be named by its old or its new name.
  std::string OldRel = Rel.str(), NewName = NewRel.str();
  if (auto It = NewToOldRelation.find(OldRel); It != NewToOldRelation.end())
    OldRel = It->second;
  if (!To.relation(NewName))
    for (auto &[N, O] : NewToOldRelation)
      if (O == NewName)
        NewName = N;
  const RelationDef *Old = From.relation(OldRel);
  const RelationDef *New = To.relation(NewName);
  if (!Old)
    return Unknown(Rel.str(), "is not a stored relation of the history's state");
  if (!Old->Columns.find(OldCol))
    return Unknown(OldSide, "is not a column of the history's state");
  if (!New)
    return Unknown(NewRel.str(), "is not a stored relation of the schema files");
  if (!New->Columns.find(NewCol))
    return Unknown(NewName + "." + NewCol.str(), "is not a column of the schema files");
  if (std::optional<size_t> Kept = New->Columns.find(OldCol)) {
    Diags
        .reportAt(DiagKind::RenameAnswerNotDropped, locOf(Opts, I), answerText(Opts, I),
                  NewName + "." + OldCol.str())
        .noteAt(DiagKind::NoteDeclaredHere, New->Columns.Columns[*Kept].Loc,
                NewName + "." + OldCol.str());
    return true;
  }
  return false;
}

/// The same for a relation or rule answer `old=new`.
bool explainNameAnswer(const SchemaState &From, const SchemaState &To,
                       const AutodetectOptions &Opts, size_t I, DiagnosticEngine &Diags) {
  const auto &[Old, New] = Opts.Renames[I];
  auto Unknown = [&](const std::string &Name, const std::string &Why) {
    Diags.reportAt(DiagKind::RenameAnswerUnknownName, locOf(Opts, I), answerText(Opts, I), Name,
                   Why);
    return true;
  };
  if (!From.hasRelationName(Old))
    return Unknown(Old, "is not a relation or rule of the history's state");
  if (!To.hasRelationName(New))
    return Unknown(New, "is not a relation or rule of the schema files");
  if (To.hasRelationName(Old)) {
    llvm::SMRange Decl;
    if (const RelationDef *R = To.relation(Old))
      Decl = R->Loc;
    else if (const DerivedDef *D = To.derivedRelation(Old))
      Decl = D->Loc;
    Diags.reportAt(DiagKind::RenameAnswerNotDropped, locOf(Opts, I), answerText(Opts, I), Old)
        .noteAt(DiagKind::NoteDeclaredHere, Decl, Old);
    return true;
  }
  const DerivedDef *OldRule = From.derivedRelation(Old), *NewRule = To.derivedRelation(New);
  auto Same = [](const ColumnList &A, const ColumnList &B) {
    return std::equal(
        A.Columns.begin(), A.Columns.end(), B.Columns.begin(), B.Columns.end(),
        [](const ColumnDef &X, const ColumnDef &Y) { return X.Name == Y.Name && X.Ty == Y.Ty; });
  };
  if (OldRule && NewRule && !Same(OldRule->Columns, NewRule->Columns)) {
    std::string Both = opimpl::columnsText(Old, OldRule->Columns) + " and " +
                       opimpl::columnsText(New, NewRule->Columns);
    Diags.reportAt(DiagKind::RenameAnswerUnused, locOf(Opts, I), answerText(Opts, I))
        .noteAt(DiagKind::NoteRenameKeepsColumns, NewRule->Loc, Old, New, Both);
    return true;
  }
  return false;
}
} // namespace

void detail::reportUnusedRename(const SchemaState &From, const SchemaState &To,
                                const AutodetectOptions &Opts, size_t Index,
                                const std::map<std::string, std::string> &NewToOldRelation,
                                DiagnosticEngine &Diags) {
  bool Column = llvm::StringRef(Opts.Renames[Index].first).contains('.');
  bool Explained = Column ? explainColumnAnswer(From, To, Opts, Index, NewToOldRelation, Diags)
                          : explainNameAnswer(From, To, Opts, Index, Diags);
  if (!Explained)
    Diags.reportAt(DiagKind::RenameAnswerUnused, locOf(Opts, Index), answerText(Opts, Index));
}
