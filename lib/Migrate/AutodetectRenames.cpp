//===- AutodetectRenames.cpp - Rename detection and schema hints ----------===//
#include "AutodetectImpl.h"
#include "strata/AST/Printer.h"
#include "strata/IQL/Builtins.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <fmt/format.h>
#include <functional>

using namespace strata;
using namespace strata::detail;

// ---- Hints -----------------------------------------------------------------

namespace {
void addColumnHints(SchemaHints &H, const std::string &Rel,
                    const std::vector<ast::Column> &Columns) {
  std::vector<SchemaHints::ColumnPlace> &Places = H.ColumnPlaces[Rel];
  Places.reserve(Columns.size());
  for (const ast::Column &C : Columns) {
    if (C.Fill)
      H.Fills.emplace(Rel + "." + C.Name.Name, *C.Fill);
    if (C.RenamedFrom)
      H.RenamedColumns.emplace(Rel + "." + C.Name.Name, C.RenamedFrom->Name);
    Places.push_back({C.Range, C.Type.Range});
  }
}
} // namespace

SchemaHints strata::collectHints(llvm::ArrayRef<ast::SourceFile> Files) {
  SchemaHints H;
  for (const ast::SourceFile &F : Files)
    for (const ast::Item &I : F.Items) {
      if (const auto *R = std::get_if<ast::RelationDecl>(&I)) {
        if (R->RenamedFrom)
          H.RenamedRelations.emplace(R->Name.Name, R->RenamedFrom->Name);
        addColumnHints(H, R->Name.Name, R->Columns);
      } else if (const auto *D = std::get_if<ast::DerivedDecl>(&I)) {
        if (D->RenamedFrom)
          H.RenamedRelations.emplace(D->Name.Name, D->RenamedFrom->Name);
      }
    }
  return H;
}

// ---- Clauses ---------------------------------------------------------------

namespace {
struct VarRenamer {
  std::map<std::string, std::string> Names;
  void expr(ast::Expr &E) {
    if (E.TheKind == ast::Expr::Kind::Variable) {
      auto It = Names.find(E.Text);
      if (It == Names.end())
        It = Names.emplace(E.Text, "V" + std::to_string(Names.size())).first;
      E.Text = It->second;
    }
    for (ast::Expr &O : E.Operands)
      expr(O);
  }
  void atom(ast::Atom &A) {
    for (ast::Expr &E : A.Args)
      expr(E);
    for (ast::NamedArg &N : A.NamedArgs)
      expr(N.Value);
  }
  void clause(ast::Clause &C) {
    for (ast::HeadArg &H : C.HeadArgs) {
      if (H.IsAggregate)
        for (ast::AggregateArg &A : H.AggArgs)
          expr(A.Value);
      else
        expr(H.Value);
    }
    for (ast::BodyLiteral &L : C.Body) {
      if (L.TheKind == ast::BodyLiteral::Kind::Comparison) {
        expr(L.Lhs);
        expr(L.Rhs);
      } else {
        atom(L.TheAtom);
      }
    }
  }
};
} // namespace

std::vector<std::string>
strata::canonicalClauses(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> Clauses,
                         llvm::StringRef HeadName) {
  std::vector<std::string> Out;
  for (const auto &C : Clauses) {
    ast::Clause Copy = *C;
    if (!HeadName.empty())
      Copy.Head.Name = HeadName.str();
    VarRenamer R;
    R.clause(Copy);
    Out.push_back(ast::toString(Copy));
  }
  std::sort(Out.begin(), Out.end());
  return Out;
}

std::set<std::string> strata::readsOf(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> Clauses) {
  std::set<std::string> Out;
  for (const auto &C : Clauses)
    for (const ast::BodyLiteral &L : C->Body)
      if (L.TheKind != ast::BodyLiteral::Kind::Comparison &&
          !iql::isIndexSearch(L.TheAtom.Relation.Name))
        Out.insert(L.TheAtom.Relation.Name);
  return Out;
}

double strata::nameSimilarity(llvm::StringRef A, llvm::StringRef B) {
  size_t Longest = std::max(A.size(), B.size());
  if (Longest == 0)
    return 1;
  unsigned D = A.edit_distance(B, /*AllowReplacements=*/true);
  return 1.0 - double(std::min<size_t>(D, Longest)) / double(Longest);
}

std::optional<ast::Expr> strata::defaultFill(const Type &T) {
  ast::Expr E;
  switch (T.kind()) {
  case Type::Kind::Int:
    E.TheKind = ast::Expr::Kind::Int;
    E.Text = "0";
    return E;
  case Type::Kind::Float:
    E.TheKind = ast::Expr::Kind::Float;
    E.Text = "0.0";
    return E;
  case Type::Kind::String:
    E.TheKind = ast::Expr::Kind::String;
    return E;
  case Type::Kind::Bool:
    E.TheKind = ast::Expr::Kind::Bool;
    return E;
  case Type::Kind::Vector:
    // A vector of the column's dimension: `[]` does not fit `vector(3)`.
    E.TheKind = ast::Expr::Kind::List;
    for (uint32_t I = 0; I < T.vectorDim(); ++I) {
      ast::Expr Zero;
      Zero.TheKind = ast::Expr::Kind::Float;
      Zero.Text = "0.0";
      E.Operands.push_back(std::move(Zero));
    }
    return E;
  case Type::Kind::List:
    E.TheKind = ast::Expr::Kind::List;
    return E;
  case Type::Kind::Record:
    return std::nullopt;
  }
  return std::nullopt;
}

std::string strata::defaultFillText(const Type &T) {
  std::optional<ast::Expr> E = defaultFill(T);
  return E ? ast::toString(*E) : std::string();
}

// ---- Rename resolution -----------------------------------------------------

namespace {
struct Candidate {
  RenameGuess::Kind Kind;
  std::string Rel; // columns: the relation's new name
  std::string From, To;
  double Score = 0;
  bool Hinted = false;
  llvm::SMRange Loc;
  bool Flagged = false; // a --rename flag names it (set by the resolver)
};

std::string kindWord(RenameGuess::Kind K) {
  switch (K) {
  case RenameGuess::Kind::Relation:
    return "relation";
  case RenameGuess::Kind::Column:
    return "column";
  case RenameGuess::Kind::Rule:
    return "rule";
  }
  return "";
}

class Resolver {
public:
  Resolver(const AutodetectOptions &Opts, DiagnosticEngine &Diags,
           std::vector<RenameGuess> &Guesses)
      : Opts(Opts), Diags(Diags), Guesses(Guesses) {
    Used.assign(Opts.Renames.size(), false);
  }

  /// Decides the candidates of one group; returns the accepted old -> new.
  std::map<std::string, std::string> decide(std::vector<Candidate> Cands) {
    for (Candidate &C : Cands)
      C.Flagged = flagIndex(C).has_value();
    std::stable_sort(Cands.begin(), Cands.end(), [](const Candidate &A, const Candidate &B) {
      if (A.Hinted != B.Hinted)
        return A.Hinted;
      if (A.Flagged != B.Flagged)
        return A.Flagged;
      if (A.Score != B.Score)
        return A.Score > B.Score;
      if (A.From != B.From)
        return A.From < B.From;
      return A.To < B.To;
    });
    std::map<std::string, std::string> Accepted;
    std::set<std::string> TakenFrom, TakenTo;
    for (const Candidate &C : Cands) {
      if (TakenFrom.count(C.From) || TakenTo.count(C.To))
        continue;
      if (!C.Hinted && C.Score < Opts.MinScore)
        continue;
      TakenFrom.insert(C.From);
      TakenTo.insert(C.To);
      RenameGuess G;
      G.TheKind = C.Kind;
      G.Score = std::round(C.Score * 1000) / 1000;
      G.From = C.Rel.empty() ? C.From : C.Rel + "." + C.From;
      G.To = C.Rel.empty() ? C.To : C.Rel + "." + C.To;
      G.Question = fmt::format("Did you rename {} to {}? [y/N]", G.From, G.To);
      G.Answer = G.From + "=" + G.To;
      if (C.Hinted) {
        G.Decision = "hint";
        G.Accepted = true;
      } else if (flagAnswers(C)) {
        G.Decision = "flag";
        G.Accepted = true;
      } else if (Opts.AskRename) {
        G.Accepted = Opts.AskRename(G.Question);
        G.Decision = G.Accepted ? "asked" : "refused";
      } else {
        G.Decision = "unanswered";
        Diags.reportAt(DiagKind::RenameNotConfirmed, C.Loc, kindWord(C.Kind), G.From, G.To,
                       G.Answer);
      }
      if (G.Accepted)
        Accepted.emplace(C.From, C.To);
      Guesses.push_back(std::move(G));
    }
    return Accepted;
  }

  /// Whether a --rename flag names exactly this pair (marking it used).
  bool flagAnswers(const Candidate &C) {
    if (std::optional<size_t> I = flagIndex(C)) {
      Used[*I] = true;
      return true;
    }
    return false;
  }

  /// The --rename flag naming exactly this pair, if any.
  std::optional<size_t> flagIndex(const Candidate &C) {
    for (size_t I = 0; I < Opts.Renames.size(); ++I) {
      const auto &[Old, New] = Opts.Renames[I];
      bool Match;
      if (C.Kind == RenameGuess::Kind::Column) {
        llvm::StringRef OldRel, OldCol, NewRel, NewCol;
        std::tie(OldRel, OldCol) = llvm::StringRef(Old).split('.');
        if (OldCol.empty())
          continue;
        std::tie(NewRel, NewCol) = llvm::StringRef(New).split('.');
        if (NewCol.empty()) {
          NewCol = NewRel;
          NewRel = C.Rel;
        }
        Match = (OldRel == C.Rel || OldRel == RelOldName(C.Rel)) && OldCol == C.From &&
                NewRel == C.Rel && NewCol == C.To;
      } else {
        Match = Old == C.From && New == C.To;
      }
      if (Match)
        return I;
    }
    return std::nullopt;
  }

  void reportUnused(const SchemaState &From, const SchemaState &To) {
    for (size_t I = 0; I < Opts.Renames.size(); ++I)
      if (!Used[I])
        reportUnusedRename(From, To, Opts, I, NewToOldRelation, Diags);
  }

  std::map<std::string, std::string> NewToOldRelation;
  std::string RelOldName(const std::string &New) {
    auto It = NewToOldRelation.find(New);
    return It == NewToOldRelation.end() ? New : It->second;
  }

private:
  const AutodetectOptions &Opts;
  DiagnosticEngine &Diags;
  std::vector<RenameGuess> &Guesses;
  std::vector<bool> Used;
};

bool sameColumns(const ColumnList &A, const ColumnList &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A.Columns[I].Name != B.Columns[I].Name || A.Columns[I].Ty != B.Columns[I].Ty)
      return false;
  return true;
}

std::string hintFor(const SchemaHints &H, const std::string &New) {
  auto It = H.RenamedRelations.find(New);
  return It == H.RenamedRelations.end() ? std::string() : It->second;
}

/// An explicit rename answer (a renamed_from hint or a --rename flag) whose
/// names are reused: the new name exists on the old side or the old name on
/// the new side (rename chains `a -> b, b -> c` and swaps).
struct Explicit {
  std::string Old, New;
  bool Flag = false;
};

/// Which of Pairs to honour. A flag always counts (it is today's answer). A
/// renamed_from hint stays in the schema after its migration, so a hint
/// whose target name already exists counts only when that name is vacated:
/// the old holder is renamed away by an honoured answer, or the hint's
/// source disappears. Hints forming a cycle (a swap) count when the swap
/// changes something (CycleChanged, given the cycle's names); otherwise the
/// cycle is taken as already applied.
using CycleTest = std::function<bool(const std::vector<std::string> &Names)>;
std::set<std::pair<std::string, std::string>> honouredReused(
    const std::vector<Explicit> &Pairs, const std::function<bool(const std::string &)> &InFrom,
    const std::function<bool(const std::string &)> &InTo, const CycleTest &CycleChanged) {
  std::vector<bool> Live(Pairs.size(), false);
  auto Fixpoint = [&] {
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (size_t I = 0; I < Pairs.size(); ++I) {
        if (Live[I])
          continue;
        const Explicit &P = Pairs[I];
        bool Ok = P.Flag || !InFrom(P.New) || !InTo(P.Old);
        for (size_t J = 0; J < Pairs.size() && !Ok; ++J)
          Ok = Live[J] && Pairs[J].Old == P.New;
        if (Ok)
          Live[I] = Changed = true;
      }
    }
  };
  Fixpoint();
  for (size_t I = 0; I < Pairs.size(); ++I) {
    if (Live[I])
      continue;
    // Follow the chain of pending hints from I; a cycle comes back to I.
    std::vector<size_t> Cycle{I};
    std::set<size_t> Seen{I};
    bool Closed = false;
    while (true) {
      const std::string &Next = Pairs[Cycle.back()].New;
      size_t Found = Pairs.size();
      for (size_t J = 0; J < Pairs.size(); ++J)
        if (!Live[J] && Pairs[J].Old == Next)
          Found = J;
      if (Found == Pairs.size())
        break;
      if (Found == I) {
        Closed = true;
        break;
      }
      if (!Seen.insert(Found).second)
        break;
      Cycle.push_back(Found);
    }
    if (!Closed)
      continue;
    std::vector<std::string> Names;
    for (size_t J : Cycle)
      Names.push_back(Pairs[J].New);
    if (!CycleChanged(Names))
      continue;
    for (size_t J : Cycle)
      Live[J] = true;
    Fixpoint();
  }
  std::set<std::pair<std::string, std::string>> Out;
  for (size_t I = 0; I < Pairs.size(); ++I)
    if (Live[I])
      Out.insert({Pairs[I].Old, Pairs[I].New});
  return Out;
}

/// A cycle changes something when one of its names has another shape on
/// the two sides (ShapeDiffers).
CycleTest anyShapeDiffers(std::function<bool(const std::string &)> ShapeDiffers) {
  return [ShapeDiffers = std::move(ShapeDiffers)](const std::vector<std::string> &Names) {
    return llvm::any_of(Names, ShapeDiffers);
  };
}

/// The (new, old) name pairs worth scoring, in (new, old) order: every
/// explicit answer (a renamed_from hint or a --rename flag) whose names exist
/// on their sides, plus each pair of a vanished old name and an appeared new
/// name whose shapes agree (Shape gives the same key). No other pair can
/// become a candidate, so listing only these keeps rename detection linear in
/// the schema when few names change.
template <typename T>
std::set<std::pair<std::string, std::string>>
pairsToScore(const SchemaState::Map<T> &Old, const SchemaState::Map<T> &New, const SchemaState &To,
             const SchemaHints &Hints, const AutodetectOptions &Opts,
             const std::function<std::string(const std::string &, const T &)> &Shape) {
  std::set<std::pair<std::string, std::string>> Pairs;
  auto AddExplicit = [&](const std::string &OldName, const std::string &NewName) {
    if (Old.count(OldName) && New.count(NewName))
      Pairs.insert({NewName, OldName});
  };
  for (const auto &[NewName, OldName] : Hints.RenamedRelations)
    AddExplicit(OldName, NewName);
  for (const auto &[OldName, NewName] : Opts.Renames)
    AddExplicit(OldName, NewName);
  std::map<std::string, std::vector<const std::string *>> VanishedByShape;
  for (const auto &[OldName, Def] : Old)
    if (!To.hasRelationName(OldName))
      VanishedByShape[Shape(OldName, *Def)].push_back(&OldName);
  if (VanishedByShape.empty())
    return Pairs;
  for (const auto &[NewName, Def] : New) {
    if (Old.count(NewName))
      continue;
    auto It = VanishedByShape.find(Shape(NewName, *Def));
    if (It != VanishedByShape.end())
      for (const std::string *OldName : It->second)
        Pairs.insert({NewName, *OldName});
  }
  return Pairs;
}

/// False when no column of New can be a rename of a column of Old: both
/// have the same column names and nothing answers a rename explicitly. Then
/// every pair of differently named columns reuses a name, and only an
/// explicit answer makes such a pair a candidate.
bool mayRenameColumns(const RelationDef &Old, const RelationDef &New, const SchemaHints &Hints,
                      const AutodetectOptions &Opts) {
  if (!Opts.Renames.empty())
    return true;
  std::string Prefix = New.Name + ".";
  auto Hint = Hints.RenamedColumns.lower_bound(Prefix);
  if (Hint != Hints.RenamedColumns.end() && llvm::StringRef(Hint->first).startswith(Prefix))
    return true;
  if (Old.Columns.size() != New.Columns.size())
    return true;
  for (const ColumnDef &C : Old.Columns.Columns)
    if (!New.Columns.find(C.Name))
      return true;
  return false;
}

std::string columnsKey(const ColumnList &Columns) {
  std::string Key;
  for (const ColumnDef &C : Columns.Columns)
    Key += C.Name + ":" + C.Ty.str() + ",";
  return Key;
}
/// The columns by name and type, whatever their order: a relation renamed
/// while its columns are reordered keeps every column.
std::string columnSetKey(const ColumnList &Columns) {
  std::vector<std::string> Parts;
  for (const ColumnDef &C : Columns.Columns)
    Parts.push_back(C.Name + ":" + C.Ty.str() + ",");
  std::sort(Parts.begin(), Parts.end());
  std::string Key;
  for (const std::string &P : Parts)
    Key += P;
  return Key;
}
/// Renames of stored relations. Reused names (chains, swaps) only on
/// explicit answers.
std::map<std::string, std::string> relationRenames(const SchemaState &From, const SchemaState &To,
                                                   const SchemaHints &Hints,
                                                   const AutodetectOptions &Opts, Resolver &R) {
  auto Reused = [&](const std::string &Old, const std::string &New) {
    return From.relation(New) || To.hasRelationName(Old);
  };
  std::set<std::pair<std::string, std::string>> Pairs = pairsToScore<RelationDef>(
      From.relations(), To.relations(), To, Hints, Opts,
      [](const std::string &, const RelationDef &D) { return columnSetKey(D.Columns); });
  std::vector<Explicit> Ex;
  for (const auto &[NewName, OldName] : Pairs) {
    if (!Reused(OldName, NewName))
      continue;
    Candidate C{RenameGuess::Kind::Relation, "", OldName, NewName, 0, false, {}};
    bool Flag = R.flagIndex(C).has_value();
    if (hintFor(Hints, NewName) == OldName || Flag)
      Ex.push_back({OldName, NewName, Flag});
  }
  std::set<std::pair<std::string, std::string>> Live = honouredReused(
      Ex, [&](const std::string &N) { return From.relation(N) != nullptr; },
      [&](const std::string &O) { return To.hasRelationName(O); },
      anyShapeDiffers([&](const std::string &N) {
        const RelationDef *F = From.relation(N), *T = To.relation(N);
        return !F || !T || !sameColumns(F->Columns, T->Columns);
      }));
  std::vector<Candidate> Cands;
  for (const auto &[NewName, OldName] : Pairs) {
    const RelationDef *New = To.relation(NewName), *Old = From.relation(OldName);
    std::string Hint = hintFor(Hints, NewName);
    bool IsReused = Reused(OldName, NewName);
    if (IsReused && !Live.count({OldName, NewName}))
      continue;
    Candidate C{RenameGuess::Kind::Relation, "", OldName, NewName, 0, false, New->Loc};
    // A --rename answer is honoured whatever else changed: the columns are
    // then matched and reshaped like those of any kept relation.
    bool Flagged = R.flagIndex(C).has_value();
    if (Hint == OldName) {
      C.Hinted = true;
      C.Score = 1;
    } else if (columnSetKey(Old->Columns) == columnSetKey(New->Columns)) {
      C.Score = 0.6 + 0.4 * nameSimilarity(OldName, NewName);
    } else if (IsReused || Flagged) {
      C.Score = 1; // a --rename answer
    } else {
      continue;
    }
    Cands.push_back(std::move(C));
  }
  return R.decide(std::move(Cands));
}

/// The columns of Columns named in Names, in the order of Columns.
std::vector<std::string> namesInOrder(const ColumnList &Columns,
                                      const std::vector<std::string> &Names) {
  std::vector<std::string> Out;
  for (const ColumnDef &C : Columns.Columns)
    if (llvm::is_contained(Names, C.Name))
      Out.push_back(C.Name);
  return Out;
}

/// Renames of the columns of relation NewName (New), which was Old.
std::map<std::string, std::string> columnRenames(const std::string &NewName, const RelationDef &Old,
                                                 const RelationDef &New, const SchemaHints &Hints,
                                                 Resolver &R) {
  auto HintOf = [&](const std::string &NewCol) {
    auto It = Hints.RenamedColumns.find(NewName + "." + NewCol);
    return It == Hints.RenamedColumns.end() ? std::string() : It->second;
  };
  auto Reused = [&](const std::string &O, const std::string &N) {
    return Old.Columns.find(N).has_value() || New.Columns.find(O).has_value();
  };
  std::vector<Explicit> Ex;
  for (const ColumnDef &NC : New.Columns.Columns)
    for (const ColumnDef &OC : Old.Columns.Columns) {
      if (!Reused(OC.Name, NC.Name) || OC.Name == NC.Name)
        continue;
      Candidate C{RenameGuess::Kind::Column, NewName, OC.Name, NC.Name, 0, false, NC.Loc};
      bool Flag = R.flagIndex(C).has_value();
      if (HintOf(NC.Name) == OC.Name || Flag)
        Ex.push_back({OC.Name, NC.Name, Flag});
    }
  // A swap of names through renamed_from is pending when a name it uses
  // changes type, or when its names stand in another order among
  // themselves: the new schema lists the renamed columns where the old ones
  // stood (`p(a, b)` -> `p(b renamed_from a, a renamed_from b)`). Once
  // applied, the names stand in the schema's order, and the hints left in
  // it change nothing, whatever else moves around them.
  auto TypeChanged = [&](const std::string &N) {
    std::optional<size_t> F = Old.Columns.find(N), T = New.Columns.find(N);
    return !F || !T || Old.Columns.Columns[*F].Ty != New.Columns.Columns[*T].Ty;
  };
  std::set<std::pair<std::string, std::string>> Live = honouredReused(
      Ex, [&](const std::string &N) { return Old.Columns.find(N).has_value(); },
      [&](const std::string &O) { return New.Columns.find(O).has_value(); },
      [&](const std::vector<std::string> &Names) {
        return llvm::any_of(Names, TypeChanged) ||
               namesInOrder(Old.Columns, Names) != namesInOrder(New.Columns, Names);
      });
  std::vector<Candidate> Cands;
  for (const ColumnDef &NC : New.Columns.Columns) {
    std::string Hint = HintOf(NC.Name);
    for (const ColumnDef &OC : Old.Columns.Columns) {
      if (OC.Name == NC.Name)
        continue;
      bool IsReused = Reused(OC.Name, NC.Name);
      if (IsReused && !Live.count({OC.Name, NC.Name}))
        continue;
      Candidate C{RenameGuess::Kind::Column, NewName, OC.Name, NC.Name, 0, false, NC.Loc};
      // A --rename answer holds with a type change too (rename + retype).
      bool Flagged = R.flagIndex(C).has_value();
      if (Hint == OC.Name) {
        C.Hinted = true;
        C.Score = 1;
      } else if (OC.Ty == NC.Ty) {
        C.Score = 0.5 + 0.5 * nameSimilarity(OC.Name, NC.Name);
      } else if (IsReused || Flagged) {
        C.Score = 1; // a --rename answer
      } else {
        continue;
      }
      Cands.push_back(std::move(C));
    }
  }
  return R.decide(std::move(Cands));
}

/// Renames of the columns of relations that exist on both sides, by new
/// relation name.
std::map<std::string, std::map<std::string, std::string>>
columnRenamesOfRelations(const SchemaState &From, const SchemaState &To,
                         const std::map<std::string, std::string> &RelationRenames,
                         const SchemaHints &Hints, const AutodetectOptions &Opts, Resolver &R) {
  std::map<std::string, std::map<std::string, std::string>> Out;
  for (const auto &[NewName, New] : To.relations()) {
    std::string OldName = R.RelOldName(NewName);
    if (OldName == NewName && From.relation(NewName)) {
      // The old holder of the name is dropped or renamed away: no columns
      // to carry over.
      bool Vacated = false;
      for (auto &[O, N] : RelationRenames)
        Vacated |= O == NewName;
      if (Vacated)
        continue;
    }
    const RelationDef *Old = From.relation(OldName);
    if (!Old || !mayRenameColumns(*Old, *New, Hints, Opts))
      continue;
    std::map<std::string, std::string> Accepted = columnRenames(NewName, *Old, *New, Hints, R);
    if (!Accepted.empty())
      Out[NewName] = std::move(Accepted);
  }
  return Out;
}

/// What a rule is, whatever it is called: its columns and its clauses with
/// a placeholder head, so that equal clause lists compare equal whatever
/// the two heads are called.
std::string ruleShape(const std::string &, const DerivedDef &D) {
  std::string Key = columnsKey(D.Columns);
  for (const std::string &C : canonicalClauses(D.Clauses, "\x01"))
    Key += "\n" + C;
  return Key;
}

/// Renames of rules: same columns, same clauses once the head is renamed.
std::map<std::string, std::string> ruleRenames(const SchemaState &From, const SchemaState &To,
                                               const SchemaHints &Hints,
                                               const AutodetectOptions &Opts, Resolver &R) {
  auto Reused = [&](const std::string &Old, const std::string &New) {
    return From.derivedRelation(New) || To.hasRelationName(Old);
  };
  std::set<std::pair<std::string, std::string>> Pairs =
      pairsToScore<DerivedDef>(From.derived(), To.derived(), To, Hints, Opts, ruleShape);
  std::vector<Explicit> Ex;
  for (const auto &[NewName, OldName] : Pairs) {
    const DerivedDef *New = To.derivedRelation(NewName), *Old = From.derivedRelation(OldName);
    if (!Reused(OldName, NewName) || !sameColumns(Old->Columns, New->Columns))
      continue;
    Candidate C{RenameGuess::Kind::Rule, "", OldName, NewName, 0, false, New->Loc};
    bool Flag = R.flagIndex(C).has_value();
    if (hintFor(Hints, NewName) == OldName || Flag)
      Ex.push_back({OldName, NewName, Flag});
  }
  std::set<std::pair<std::string, std::string>> Live = honouredReused(
      Ex, [&](const std::string &N) { return From.derivedRelation(N) != nullptr; },
      [&](const std::string &O) { return To.hasRelationName(O); },
      anyShapeDiffers([&](const std::string &N) {
        const DerivedDef *F = From.derivedRelation(N), *T = To.derivedRelation(N);
        return !F || !T || !sameColumns(F->Columns, T->Columns) ||
               canonicalClauses(F->Clauses) != canonicalClauses(T->Clauses);
      }));
  std::vector<Candidate> Cands;
  for (const auto &[NewName, OldName] : Pairs) {
    const DerivedDef *New = To.derivedRelation(NewName), *Old = From.derivedRelation(OldName);
    std::string Hint = hintFor(Hints, NewName);
    bool IsReused = Reused(OldName, NewName);
    if (IsReused && !Live.count({OldName, NewName}))
      continue;
    if (!sameColumns(Old->Columns, New->Columns))
      continue;
    Candidate C{RenameGuess::Kind::Rule, "", OldName, NewName, 0, false, New->Loc};
    // A --rename answer holds with changed clauses too (rename + replace).
    bool Flagged = R.flagIndex(C).has_value();
    if (Hint == OldName) {
      C.Hinted = true;
      C.Score = 1;
    } else if (canonicalClauses(Old->Clauses, NewName) == canonicalClauses(New->Clauses)) {
      C.Score = 0.6 + 0.4 * nameSimilarity(OldName, NewName);
    } else if (IsReused || Flagged) {
      C.Score = 1; // a --rename answer
    } else {
      continue;
    }
    Cands.push_back(std::move(C));
  }
  return R.decide(std::move(Cands));
}
} // namespace

RenamePlan strata::detail::resolveRenames(const SchemaState &From, const SchemaState &To,
                                          const SchemaHints &Hints, const AutodetectOptions &Opts,
                                          DiagnosticEngine &Diags,
                                          std::vector<RenameGuess> &Guesses) {
  RenamePlan Plan;
  Resolver R(Opts, Diags, Guesses);
  Plan.Relations = relationRenames(From, To, Hints, Opts, R);
  for (auto &[Old, New] : Plan.Relations)
    R.NewToOldRelation[New] = Old;
  Plan.Columns = columnRenamesOfRelations(From, To, Plan.Relations, Hints, Opts, R);
  Plan.Rules = ruleRenames(From, To, Hints, Opts, R);
  R.reportUnused(From, To);
  return Plan;
}
