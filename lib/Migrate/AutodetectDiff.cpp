//===- AutodetectDiff.cpp - Schema diff and operation order ---------------===//
//
// The order of the operations produced:
//   1. drop index      (dropped, or on a relation that changes), by name
//   2. drop rule       (dropped, or reading something that changes), readers
//                      first (reverse topological order of the old rules)
//   3. drop relation   by name
//   4. rename relation
//   5. column operations of each changed relation, by relation name:
//      renames, drops, retypes, adds (each at its place)
//   6. create relation by name
//   7. rename rule
//   8. create rule / replace rule, in topological order of the new rules
//   9. alter index, create index, by name
//
//===----------------------------------------------------------------------===//
#include "AutodetectImpl.h"
#include <algorithm>

using namespace strata;
using namespace strata::detail;

namespace {

bool sameColumnList(const ColumnList &A, const ColumnList &B) {
  if (A.size() != B.size())
    return false;
  for (size_t I = 0; I < A.size(); ++I)
    if (A.Columns[I].Name != B.Columns[I].Name || A.Columns[I].Ty != B.Columns[I].Ty)
      return false;
  return true;
}

bool sameIndexParams(const IndexDef &A, const IndexDef &B) {
  return A.TheMetric == B.TheMetric && A.M == B.M && A.EfConstruction == B.EfConstruction &&
         A.EfSearch == B.EfSearch;
}

ColumnList withoutLocs(ColumnList L) {
  for (ColumnDef &C : L.Columns)
    C.Loc = {};
  return L;
}

ClauseList renameHeads(const ClauseList &Clauses, const std::string &Name) {
  ClauseList Out;
  for (const auto &C : Clauses) {
    auto Copy = std::make_shared<ast::Clause>(*C);
    Copy->Head.Name = Name;
    Out.push_back(std::move(Copy));
  }
  return Out;
}

/// Positions (into Seq) of a longest strictly increasing subsequence.
std::set<size_t> longestIncreasing(const std::vector<size_t> &Seq) {
  size_t N = Seq.size();
  std::vector<size_t> Len(N, 1), Prev(N, SIZE_MAX);
  size_t Best = SIZE_MAX;
  for (size_t I = 0; I < N; ++I) {
    for (size_t J = 0; J < I; ++J)
      if (Seq[J] < Seq[I] && Len[J] + 1 > Len[I]) {
        Len[I] = Len[J] + 1;
        Prev[I] = J;
      }
    if (Best == SIZE_MAX || Len[I] > Len[Best])
      Best = I;
  }
  std::set<size_t> Out;
  for (size_t I = Best; I != SIZE_MAX; I = Prev[I])
    Out.insert(I);
  return Out;
}

/// The column changes of one relation that exists on both sides.
struct Reshape {
  std::string OldName, NewName;
  std::vector<OperationPtr> Ops;
  /// Old column names that are renamed, dropped or retyped.
  std::set<std::string> ChangedColumns;
};

class Differ {
public:
  Differ(const SchemaState &From, const SchemaState &To, const SchemaHints &Hints,
         const AutodetectOptions &Opts, DiagnosticEngine &Diags, AutodetectResult &Res)
      : From(From), To(To), Hints(Hints), Opts(Opts), Diags(Diags), Res(Res) {}

  void run();

private:
  std::optional<std::string> newRelationName(const std::string &Old) const {
    if (auto It = Plan.Relations.find(Old); It != Plan.Relations.end())
      return It->second;
    if (To.relation(Old))
      return Old;
    return std::nullopt;
  }
  std::optional<std::string> newRuleName(const std::string &Old) const {
    if (auto It = Plan.Rules.find(Old); It != Plan.Rules.end())
      return It->second;
    if (To.derivedRelation(Old))
      return Old;
    return std::nullopt;
  }

  std::optional<Reshape> reshape(const RelationDef &Old, const RelationDef &New);
  std::optional<ast::Expr> fillFor(const std::string &Rel, const ColumnDef &C);
  void emit(OperationPtr Op) { Res.Operations.push_back(std::move(Op)); }

  const SchemaState &From, &To;
  const SchemaHints &Hints;
  const AutodetectOptions &Opts;
  DiagnosticEngine &Diags;
  AutodetectResult &Res;
  RenamePlan Plan;
};

std::optional<ast::Expr> Differ::fillFor(const std::string &Rel, const ColumnDef &C) {
  std::string Key = Rel + "." + C.Name;
  if (auto It = Hints.Fills.find(Key); It != Hints.Fills.end())
    return It->second;
  if (Opts.AskFill)
    if (std::optional<ast::Expr> E = Opts.AskFill(Rel, C.Name, C.Ty))
      return E;
  llvm::SMRange Where = C.Loc;
  if (auto It = Hints.ColumnRanges.find(Key); It != Hints.ColumnRanges.end())
    Where = It->second;
  auto B = Diags.reportAt(DiagKind::MissingFillValue, Where, Rel, C.Name, C.Ty.str());
  std::string Default = defaultFillText(C.Ty);
  if (auto It = Hints.ColumnTypeRanges.find(Key);
      It != Hints.ColumnTypeRanges.end() && !Default.empty())
    B.fixIt({It->second.End, It->second.End}, " = " + Default);
  Res.Ok = false;
  return std::nullopt;
}

std::optional<Reshape> Differ::reshape(const RelationDef &Old, const RelationDef &New) {
  Reshape R;
  R.OldName = Old.Name;
  R.NewName = New.Name;
  const std::string &Rel = New.Name;
  std::map<std::string, std::string> ColRenames;
  if (auto It = Plan.Columns.find(Rel); It != Plan.Columns.end())
    ColRenames = It->second;

  // Renames, in old column order.
  std::vector<ColumnDef> Working;
  for (const ColumnDef &C : Old.Columns.Columns) {
    ColumnDef W = C;
    W.Loc = {};
    if (auto It = ColRenames.find(C.Name); It != ColRenames.end()) {
      R.Ops.push_back(std::make_shared<RenameColumn>(Rel, C.Name, It->second));
      R.ChangedColumns.insert(C.Name);
      W.Name = It->second;
    }
    Working.push_back(std::move(W));
  }
  auto OldNameOf = [&](const std::string &Now) {
    for (auto &[O, N] : ColRenames)
      if (N == Now)
        return O;
    return Now;
  };

  // Survivors must keep the new relative order; the others are re-added.
  std::vector<size_t> Seq;
  std::vector<size_t> SeqWorking;
  for (size_t I = 0; I < Working.size(); ++I)
    if (std::optional<size_t> P = New.Columns.find(Working[I].Name)) {
      Seq.push_back(*P);
      SeqWorking.push_back(I);
    }
  std::set<size_t> Keep = longestIncreasing(Seq);
  std::set<std::string> Dropping;
  for (size_t I = 0; I < Working.size(); ++I)
    if (!New.Columns.find(Working[I].Name))
      Dropping.insert(Working[I].Name);
  for (size_t K = 0; K < Seq.size(); ++K)
    if (!Keep.count(K))
      Dropping.insert(Working[SeqWorking[K]].Name);

  // Drops, in column order. The last column of a relation is dropped only
  // after the adds: the server needs at least one column at every step.
  std::optional<std::string> Deferred;
  auto DropAt = [&](size_t I) {
    ColumnList Cur{Working};
    R.Ops.push_back(std::make_shared<DropColumn>(Rel, Working[I], defaultFill(Working[I].Ty),
                                                 ColumnPlace::of(Cur, I)));
    R.ChangedColumns.insert(OldNameOf(Working[I].Name));
    Working.erase(Working.begin() + I);
  };
  for (size_t I = 0; I < Working.size();) {
    if (!Dropping.count(Working[I].Name)) {
      ++I;
      continue;
    }
    if (Working.size() == 1) {
      Deferred = Working[I].Name;
      break;
    }
    DropAt(I);
  }

  // Retypes.
  for (ColumnDef &W : Working) {
    if (Deferred && W.Name == *Deferred)
      continue;
    const ColumnDef &NC = New.Columns.Columns[*New.Columns.find(W.Name)];
    if (NC.Ty != W.Ty) {
      R.Ops.push_back(std::make_shared<RetypeColumn>(Rel, W.Name, W.Ty, NC.Ty, std::nullopt,
                                                     std::nullopt));
      R.ChangedColumns.insert(OldNameOf(W.Name));
      W.Ty = NC.Ty;
    }
  }

  // Adds, in new column order, each at its place.
  bool Failed = false;
  for (size_t I = 0; I < New.Columns.size(); ++I) {
    const ColumnDef &NC = New.Columns.Columns[I];
    bool Present = false;
    for (const ColumnDef &W : Working)
      Present |= W.Name == NC.Name;
    if (Present)
      continue;
    ColumnPlace Place;
    size_t At;
    if (I == 0) {
      Place = Working.empty() ? ColumnPlace::end() : ColumnPlace::first();
      At = 0;
    } else {
      const std::string &Prev = New.Columns.Columns[I - 1].Name;
      At = 0;
      for (size_t J = 0; J < Working.size(); ++J)
        if (Working[J].Name == Prev)
          At = J + 1;
      Place = At == Working.size() ? ColumnPlace::end() : ColumnPlace::after(Prev);
    }
    if (Deferred && I == 0 && !Working.empty()) {
      // Only the deferred column is left: put the new one before it.
      Place = ColumnPlace::first();
      At = 0;
    }
    ColumnDef Added = NC;
    Added.Loc = {};
    std::optional<ast::Expr> Fill = fillFor(Rel, NC);
    if (!Fill) {
      Failed = true;
      continue;
    }
    R.Ops.push_back(std::make_shared<AddColumn>(Rel, Added, std::move(Fill), Place));
    Working.insert(Working.begin() + At, Added);
  }
  if (Failed)
    return std::nullopt;
  if (Deferred)
    for (size_t I = 0; I < Working.size(); ++I)
      if (Working[I].Name == *Deferred) {
        DropAt(I);
        break;
      }
  return R;
}

void Differ::run() {
  Plan = resolveRenames(From, To, Hints, Opts, Diags, Res.Renames);

  // ---- Stored relations.
  std::vector<std::string> DroppedRels, CreatedRels;
  std::vector<std::pair<std::string, std::string>> RenamedRels(Plan.Relations.begin(),
                                                               Plan.Relations.end());
  std::vector<Reshape> Reshapes;
  std::set<std::string> Gone;               // old names dropped or renamed
  std::map<std::string, std::set<std::string>> Reshaped; // old name -> changed columns
  for (const auto &[OldName, Old] : From.relations()) {
    std::optional<std::string> NewName = newRelationName(OldName);
    if (!NewName) {
      DroppedRels.push_back(OldName);
      Gone.insert(OldName);
      continue;
    }
    if (*NewName != OldName)
      Gone.insert(OldName);
    const RelationDef &New = *To.relation(*NewName);
    if (sameColumnList(Old->Columns, New.Columns))
      continue;
    std::optional<Reshape> R = reshape(*Old, New);
    if (!R)
      continue;
    Reshaped[OldName] = R->ChangedColumns;
    Reshapes.push_back(std::move(*R));
  }
  std::set<std::string> RenameTargets;
  for (auto &[O, N] : Plan.Relations)
    RenameTargets.insert(N);
  for (const auto &[NewName, New] : To.relations())
    if (!From.relation(NewName) && !RenameTargets.count(NewName))
      CreatedRels.push_back(NewName);

  // ---- Rules.
  std::set<std::string> DropRules;   // old names
  std::set<std::string> CreateRules; // new names
  std::set<std::string> ReplaceRules; // new names
  std::map<std::string, std::string> RenameRules; // old -> new
  for (const auto &[OldName, Old] : From.derived()) {
    std::optional<std::string> NewName = newRuleName(OldName);
    if (!NewName) {
      DropRules.insert(OldName);
      continue;
    }
    const DerivedDef &New = *To.derivedRelation(*NewName);
    if (!sameColumnList(Old->Columns, New.Columns)) {
      DropRules.insert(OldName);
      CreateRules.insert(*NewName);
      continue;
    }
    if (*NewName != OldName)
      RenameRules[OldName] = *NewName;
    if (canonicalClauses(Old->Clauses, *NewName) != canonicalClauses(New.Clauses))
      ReplaceRules.insert(*NewName);
  }
  std::set<std::string> RuleRenameTargets;
  for (auto &[O, N] : Plan.Rules)
    RuleRenameTargets.insert(N);
  for (const auto &[NewName, New] : To.derived())
    if (!From.derivedRelation(NewName) && !RuleRenameTargets.count(NewName))
      CreateRules.insert(NewName);

  // Rules reading something that changes are dropped first and re-created
  // after (they read positions, or names that go away); to a fixpoint, as
  // dropping a rule changes what its readers read.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &[OldName, Old] : From.derived()) {
      if (DropRules.count(OldName))
        continue;
      bool Bounce = false;
      for (const auto &[Rel, Use] : atomUses(Old->Clauses)) {
        if (Rel == OldName) {
          Bounce |= RenameRules.count(OldName) != 0;
          continue;
        }
        if (Gone.count(Rel) || DropRules.count(Rel) || RenameRules.count(Rel)) {
          Bounce = true;
        } else if (auto It = Reshaped.find(Rel); It != Reshaped.end()) {
          if (Use.Positional)
            Bounce = true;
          for (const std::string &C : Use.NamedColumns)
            Bounce |= It->second.count(C) != 0;
        }
      }
      if (!Bounce)
        continue;
      std::string NewName = *newRuleName(OldName);
      DropRules.insert(OldName);
      CreateRules.insert(NewName);
      ReplaceRules.erase(NewName);
      RenameRules.erase(OldName);
      Changed = true;
    }
  }

  // ---- Indexes.
  std::vector<const IndexDef *> DropIndexes, CreateIndexes;
  std::vector<std::pair<const IndexDef *, const IndexDef *>> AlterIndexes;
  auto Affected = [&](const std::string &OldRel) {
    return Gone.count(OldRel) || Reshaped.count(OldRel) || DropRules.count(OldRel) ||
           RenameRules.count(OldRel);
  };
  for (const auto &[Name, Old] : From.indexes()) {
    const IndexDef *New = To.index(Name);
    if (!New) {
      DropIndexes.push_back(Old.get());
      continue;
    }
    std::string MappedRel = newRelationName(Old->Relation).value_or(
        newRuleName(Old->Relation).value_or(""));
    std::string MappedCol = Old->Column;
    if (auto It = Plan.Columns.find(MappedRel); It != Plan.Columns.end())
      if (auto C = It->second.find(Old->Column); C != It->second.end())
        MappedCol = C->second;
    if (Affected(Old->Relation) || MappedRel != New->Relation || MappedCol != New->Column) {
      DropIndexes.push_back(Old.get());
      CreateIndexes.push_back(New);
    } else if (!sameIndexParams(*Old, *New)) {
      AlterIndexes.push_back({Old.get(), New});
    }
  }
  for (const auto &[Name, New] : To.indexes())
    if (!From.index(Name))
      CreateIndexes.push_back(New.get());
  auto ByName = [](const IndexDef *A, const IndexDef *B) { return A->Name < B->Name; };
  std::sort(DropIndexes.begin(), DropIndexes.end(), ByName);
  std::sort(CreateIndexes.begin(), CreateIndexes.end(), ByName);

  if (!Res.Ok)
    return;

  // ---- Emit.
  for (const IndexDef *I : DropIndexes) {
    IndexDef Copy = *I;
    Copy.Loc = {};
    emit(std::make_shared<DropIndex>(Copy));
  }

  std::map<std::string, std::set<std::string>> OldReads, NewReads;
  for (const auto &[Name, D] : From.derived())
    OldReads[Name] = readsOf(D->Clauses);
  for (const auto &[Name, D] : To.derived())
    NewReads[Name] = readsOf(D->Clauses);

  std::vector<std::string> DropOrder = topologicalOrder(DropRules, OldReads);
  std::reverse(DropOrder.begin(), DropOrder.end());
  for (const std::string &Name : DropOrder) {
    const DerivedDef *D = From.derivedRelation(Name);
    emit(std::make_shared<DropRule>(Name, withoutLocs(D->Columns), D->Clauses));
  }

  for (const std::string &Name : DroppedRels)
    emit(std::make_shared<DropRelation>(Name, withoutLocs(From.relation(Name)->Columns)));

  // Renames: one whose target is still the source of a pending rename waits.
  auto EmitRenames = [&](std::vector<std::pair<std::string, std::string>> Pending,
                         bool Rules) {
    while (!Pending.empty()) {
      size_t Pick = 0;
      for (size_t I = 0; I < Pending.size(); ++I) {
        bool Blocked = false;
        for (size_t J = 0; J < Pending.size(); ++J)
          Blocked |= J != I && Pending[J].first == Pending[I].second;
        if (!Blocked) {
          Pick = I;
          break;
        }
      }
      auto [Old, New] = Pending[Pick];
      Pending.erase(Pending.begin() + Pick);
      if (Rules)
        emit(std::make_shared<RenameRule>(Old, New));
      else
        emit(std::make_shared<RenameRelation>(Old, New));
    }
  };
  EmitRenames(RenamedRels, false);

  std::sort(Reshapes.begin(), Reshapes.end(),
            [](const Reshape &A, const Reshape &B) { return A.NewName < B.NewName; });
  for (Reshape &R : Reshapes)
    for (OperationPtr &Op : R.Ops)
      emit(std::move(Op));

  for (const std::string &Name : CreatedRels)
    emit(std::make_shared<CreateRelation>(Name, withoutLocs(To.relation(Name)->Columns)));

  EmitRenames({RenameRules.begin(), RenameRules.end()}, true);

  std::set<std::string> Defining(CreateRules);
  Defining.insert(ReplaceRules.begin(), ReplaceRules.end());
  for (const std::string &Name : topologicalOrder(Defining, NewReads)) {
    const DerivedDef *D = To.derivedRelation(Name);
    if (CreateRules.count(Name)) {
      emit(std::make_shared<CreateRule>(Name, withoutLocs(D->Columns), D->Clauses));
      continue;
    }
    std::string OldName = Name;
    for (auto &[O, N] : RenameRules)
      if (N == Name)
        OldName = O;
    ClauseList OldClauses = From.derivedRelation(OldName)->Clauses;
    if (OldName != Name)
      OldClauses = renameHeads(OldClauses, Name);
    emit(std::make_shared<ReplaceRule>(Name, D->Clauses, OldClauses));
  }

  for (const auto &[Old, New] : AlterIndexes) {
    IndexDef N = *New, O = *Old;
    N.Loc = O.Loc = {};
    emit(std::make_shared<AlterIndex>(N, O));
  }
  for (const IndexDef *I : CreateIndexes) {
    IndexDef Copy = *I;
    Copy.Loc = {};
    emit(std::make_shared<CreateIndex>(Copy));
  }
}

} // namespace

AutodetectResult strata::autodetect(const SchemaState &From, const SchemaState &To,
                                    const SchemaHints &Hints, const AutodetectOptions &Opts,
                                    DiagnosticEngine &Diags) {
  AutodetectResult Res;
  Differ(From, To, Hints, Opts, Diags, Res).run();
  if (!Res.Ok)
    Res.Operations.clear();
  return Res;
}
