//===- AutodetectRenames.cpp - Rename detection and schema hints ----------===//
#include "AutodetectImpl.h"
#include "strata/AST/Printer.h"
#include <algorithm>
#include <fmt/format.h>

using namespace strata;
using namespace strata::detail;

// ---- Hints -----------------------------------------------------------------

namespace {
void addColumnHints(SchemaHints &H, const std::string &Rel,
                    const std::vector<ast::Column> &Columns) {
  for (const ast::Column &C : Columns) {
    std::string Key = Rel + "." + C.Name.Name;
    if (C.Fill)
      H.Fills.emplace(Key, *C.Fill);
    if (C.RenamedFrom)
      H.RenamedColumns.emplace(Key, C.RenamedFrom->Name);
    H.ColumnTypeRanges.emplace(Key, C.Type.Range);
    H.ColumnRanges.emplace(Key, C.Range);
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

std::map<std::string, AtomUse>
strata::detail::atomUses(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> Clauses) {
  std::map<std::string, AtomUse> Uses;
  for (const auto &C : Clauses)
    for (const ast::BodyLiteral &L : C->Body) {
      if (L.TheKind == ast::BodyLiteral::Kind::Comparison)
        continue;
      AtomUse &U = Uses[L.TheAtom.Relation.Name];
      if (L.TheAtom.IsNamed) {
        for (const ast::NamedArg &N : L.TheAtom.NamedArgs)
          U.NamedColumns.insert(N.Column.Name);
      } else {
        U.Positional = true;
      }
    }
  return Uses;
}

std::set<std::string>
strata::readsOf(llvm::ArrayRef<std::shared_ptr<const ast::Clause>> Clauses) {
  std::set<std::string> Out;
  for (auto &[Name, Use] : detail::atomUses(Clauses))
    Out.insert(Name);
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
};

std::string kindWord(RenameGuess::Kind K) {
  switch (K) {
  case RenameGuess::Kind::Relation: return "relation";
  case RenameGuess::Kind::Column: return "column";
  case RenameGuess::Kind::Rule: return "rule";
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
    std::stable_sort(Cands.begin(), Cands.end(), [](const Candidate &A, const Candidate &B) {
      if (A.Hinted != B.Hinted)
        return A.Hinted;
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

  /// Whether a --rename flag names exactly this pair.
  bool flagAnswers(const Candidate &C) {
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
      if (Match) {
        Used[I] = true;
        return true;
      }
    }
    return false;
  }

  void reportUnused() {
    for (size_t I = 0; I < Opts.Renames.size(); ++I)
      if (!Used[I])
        Diags.report(DiagKind::RenameAnswerUnused, llvm::SMLoc(),
                     Opts.Renames[I].first + "=" + Opts.Renames[I].second);
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
} // namespace

RenamePlan strata::detail::resolveRenames(const SchemaState &From, const SchemaState &To,
                                          const SchemaHints &Hints,
                                          const AutodetectOptions &Opts,
                                          DiagnosticEngine &Diags,
                                          std::vector<RenameGuess> &Guesses) {
  RenamePlan Plan;
  Resolver R(Opts, Diags, Guesses);

  // Stored relations.
  {
    std::vector<Candidate> Cands;
    for (const auto &[NewName, New] : To.relations()) {
      if (From.relation(NewName))
        continue;
      std::string Hint = hintFor(Hints, NewName);
      for (const auto &[OldName, Old] : From.relations()) {
        if (To.hasRelationName(OldName))
          continue;
        Candidate C{RenameGuess::Kind::Relation, "", OldName, NewName, 0, false, New->Loc};
        if (Hint == OldName) {
          C.Hinted = true;
          C.Score = 1;
        } else if (sameColumns(Old->Columns, New->Columns)) {
          C.Score = 0.6 + 0.4 * nameSimilarity(OldName, NewName);
        } else {
          continue;
        }
        Cands.push_back(std::move(C));
      }
    }
    Plan.Relations = R.decide(std::move(Cands));
    for (auto &[Old, New] : Plan.Relations)
      R.NewToOldRelation[New] = Old;
  }

  // Columns of relations that exist on both sides.
  for (const auto &[NewName, New] : To.relations()) {
    std::string OldName = R.RelOldName(NewName);
    const RelationDef *Old = From.relation(OldName);
    if (!Old)
      continue;
    std::vector<Candidate> Cands;
    for (const ColumnDef &NC : New->Columns.Columns) {
      if (Old->Columns.find(NC.Name))
        continue;
      auto HintIt = Hints.RenamedColumns.find(NewName + "." + NC.Name);
      for (const ColumnDef &OC : Old->Columns.Columns) {
        if (New->Columns.find(OC.Name))
          continue;
        Candidate C{RenameGuess::Kind::Column, NewName, OC.Name, NC.Name, 0, false, NC.Loc};
        if (HintIt != Hints.RenamedColumns.end() && HintIt->second == OC.Name) {
          C.Hinted = true;
          C.Score = 1;
        } else if (OC.Ty == NC.Ty) {
          C.Score = 0.5 + 0.5 * nameSimilarity(OC.Name, NC.Name);
        } else {
          continue;
        }
        Cands.push_back(std::move(C));
      }
    }
    std::map<std::string, std::string> Accepted = R.decide(std::move(Cands));
    if (!Accepted.empty())
      Plan.Columns[NewName] = std::move(Accepted);
  }

  // Rules: same columns, same clauses once the head is renamed.
  {
    std::vector<Candidate> Cands;
    for (const auto &[NewName, New] : To.derived()) {
      if (From.derivedRelation(NewName))
        continue;
      std::string Hint = hintFor(Hints, NewName);
      std::vector<std::string> NewText = canonicalClauses(New->Clauses);
      for (const auto &[OldName, Old] : From.derived()) {
        if (To.hasRelationName(OldName))
          continue;
        if (!sameColumns(Old->Columns, New->Columns))
          continue;
        Candidate C{RenameGuess::Kind::Rule, "", OldName, NewName, 0, false, New->Loc};
        if (Hint == OldName) {
          C.Hinted = true;
          C.Score = 1;
        } else if (
                   canonicalClauses(Old->Clauses, NewName) == NewText) {
          C.Score = 0.6 + 0.4 * nameSimilarity(OldName, NewName);
        } else {
          continue;
        }
        Cands.push_back(std::move(C));
      }
    }
    Plan.Rules = R.decide(std::move(Cands));
  }
  R.reportUnused();
  return Plan;
}
