//===- AutodetectDiff.cpp - Schema diff and operation order ---------------===//
//
// The order of the operations produced:
//   1. drop rule       (dropped, or reading something that changes), readers
//                      first (reverse topological order of the old rules); a
//                      group of mutually recursive rules is first cut back by
//                      `replace rule` to the clauses it would be created with
//                      (9.), then dropped in reverse name order
//   2. drop index      (dropped, or on a relation that changes), by name:
//                      after the rules, which may search it (`hnsw_nearest`)
//   3. drop relation   by name (also an old relation whose name a rename
//                      takes)
//   4. rename relation chains ordered (`b -> c` before `a -> b`), cycles
//                      through a temporary name (`a -> a_strata_tmp`)
//   5. column operations of each changed relation, by relation name:
//      drops of columns whose name a rename takes, renames (ordered as in
//      4.), drops, retypes (with their casts, AutodetectCasts.cpp), adds
//      (each at its place), then one reorder when the kept columns stand
//      in another order
//   6. create relation by name
//   7. alter index, create index, by name: an index is on a relation, and
//                      a rule may search it, so it comes between the two
//   8. rename rule     ordered as in 4.
//   9. create rule / replace rule, in topological order of the new rules; a
//                      group of mutually recursive rules: its new members
//                      created in name order with the clauses reading only
//                      what exists by then, then `replace rule` of each member
//                      whose clauses were cut or that changed
//
//===----------------------------------------------------------------------===//
#include "AutodetectImpl.h"
#include <algorithm>
#include <functional>

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

/// Orders renames (old -> new, old names distinct, new names distinct) so
/// that each target is free when its rename applies, otherwise keeping the
/// given order: a rename whose target is still the source of a pending one
/// waits (`b -> c` before `a -> b`). A cycle (a swap) is broken at its first
/// pending rename through a temporary name
/// (`a -> a_strata_tmp`, ..., `a_strata_tmp -> b`) that Taken refuses.
std::vector<std::pair<std::string, std::string>>
orderRenames(std::vector<std::pair<std::string, std::string>> Pending,
             const std::function<bool(const std::string &)> &Taken) {
  std::vector<std::pair<std::string, std::string>> Out;
  std::set<std::string> Temps;
  while (!Pending.empty()) {
    size_t Pick = Pending.size();
    for (size_t I = 0; I < Pending.size() && Pick == Pending.size(); ++I) {
      bool Blocked = false;
      for (size_t J = 0; J < Pending.size(); ++J)
        Blocked |= J != I && Pending[J].first == Pending[I].second;
      if (!Blocked)
        Pick = I;
    }
    if (Pick == Pending.size()) {
      // Every pending rename waits for another: a cycle.
      std::string &Old = Pending.front().first;
      std::string Tmp = Old + "_strata_tmp";
      for (unsigned N = 2; Taken(Tmp) || Temps.count(Tmp); ++N)
        Tmp = Old + "_strata_tmp" + std::to_string(N);
      Temps.insert(Tmp);
      Out.push_back({Old, Tmp});
      Old = Tmp;
      continue;
    }
    Out.push_back(Pending[Pick]);
    Pending.erase(Pending.begin() + Pick);
  }
  return Out;
}

/// The column changes of one relation that exists on both sides.
struct Reshape {
  std::string OldName, NewName;
  std::vector<OperationPtr> Ops;
  /// Old column names that are renamed, dropped or retyped.
  std::set<std::string> ChangedColumns;
};

/// The fill value of new column C, the Index-th of relation Rel; nullopt
/// after reporting that there is none.
using FillFn = std::function<std::optional<ast::Expr>(const std::string &Rel, const ColumnDef &C,
                                                      size_t Index)>;

/// Works out the column operations that turn Old's columns into New's:
/// drops of names a rename takes, renames, drops, retypes, adds, and a
/// reorder when the order still differs. Columns are matched by name
/// (after the renames), never by position or type. Working holds the
/// columns as the operations so far leave them.
class ColumnReshaper {
public:
  ColumnReshaper(const RelationDef &Old, const RelationDef &New,
                 std::map<std::string, std::string> ColRenames, FillFn FillFor)
      : Old(Old), New(New), Rel(New.Name), ColRenames(std::move(ColRenames)),
        FillFor(std::move(FillFor)) {
    R.OldName = Old.Name;
    R.NewName = New.Name;
  }

  std::optional<Reshape> run() {
    for (const ColumnDef &C : Old.Columns.Columns) {
      ColumnDef W = C;
      W.Loc = {};
      Working.push_back(std::move(W));
    }
    dropTakenNames();
    renameColumns();
    dropColumns(columnsToDrop());
    retypeColumns();
    if (!addColumns())
      return std::nullopt;
    if (Deferred)
      for (size_t I = 0; I < Working.size(); ++I)
        if (Working[I].Name == *Deferred) {
          dropAt(I);
          break;
        }
    reorderColumns();
    return std::move(R);
  }

private:
  /// An old column whose name a rename takes (and that is not renamed
  /// itself) is dropped first; a rename's source remains, so the relation
  /// keeps a column.
  void dropTakenNames() {
    std::set<std::string> Targets;
    for (auto &[O, N] : ColRenames)
      Targets.insert(N);
    for (size_t I = 0; I < Working.size();) {
      if (ColRenames.count(Working[I].Name) || !Targets.count(Working[I].Name)) {
        ++I;
        continue;
      }
      ColumnList Cur{Working};
      R.Ops.push_back(std::make_shared<DropColumn>(Rel, Working[I], defaultFill(Working[I].Ty),
                                                   ColumnPlace::of(Cur, I)));
      R.ChangedColumns.insert(Working[I].Name);
      Working.erase(Working.begin() + I);
    }
  }

  /// Renames, in old column order; chains and swaps ordered as for
  /// relations.
  void renameColumns() {
    std::vector<std::pair<std::string, std::string>> Pending;
    for (const ColumnDef &C : Old.Columns.Columns)
      if (auto It = ColRenames.find(C.Name); It != ColRenames.end()) {
        Pending.push_back({C.Name, It->second});
        R.ChangedColumns.insert(C.Name);
      }
    auto TakenCol = [&](const std::string &N) {
      return Old.Columns.find(N).has_value() || New.Columns.find(N).has_value();
    };
    for (auto &[From, To] : orderRenames(std::move(Pending), TakenCol)) {
      R.Ops.push_back(std::make_shared<RenameColumn>(Rel, From, To));
      for (ColumnDef &W : Working)
        if (W.Name == From) {
          W.Name = To;
          break;
        }
    }
  }

  std::string oldNameOf(const std::string &Now) const {
    for (auto &[O, N] : ColRenames)
      if (N == Now)
        return O;
    return Now;
  }

  /// The columns New does not have. A column New keeps stays, wherever it
  /// moves to: its values are kept and a reorder puts it in place.
  std::set<std::string> columnsToDrop() const {
    std::set<std::string> Dropping;
    for (const ColumnDef &W : Working)
      if (!New.Columns.find(W.Name))
        Dropping.insert(W.Name);
    return Dropping;
  }

  /// A reorder when the columns, each matched by name, stand in another
  /// order than New's.
  void reorderColumns() {
    std::vector<std::string> Now, Wanted;
    for (const ColumnDef &W : Working)
      Now.push_back(W.Name);
    for (const ColumnDef &C : New.Columns.Columns)
      Wanted.push_back(C.Name);
    if (Now != Wanted)
      R.Ops.push_back(std::make_shared<ReorderColumns>(Rel, std::move(Now), std::move(Wanted)));
  }

  void dropAt(size_t I) {
    ColumnList Cur{Working};
    R.Ops.push_back(std::make_shared<DropColumn>(Rel, Working[I], defaultFill(Working[I].Ty),
                                                 ColumnPlace::of(Cur, I)));
    R.ChangedColumns.insert(oldNameOf(Working[I].Name));
    Working.erase(Working.begin() + I);
  }

  /// Drops, in column order. The last column of a relation is dropped only
  /// after the adds: the server needs at least one column at every step.
  void dropColumns(const std::set<std::string> &Dropping) {
    for (size_t I = 0; I < Working.size();) {
      if (!Dropping.count(Working[I].Name)) {
        ++I;
        continue;
      }
      if (Working.size() == 1) {
        Deferred = Working[I].Name;
        break;
      }
      dropAt(I);
    }
  }

  void retypeColumns() {
    for (ColumnDef &W : Working) {
      if (Deferred && W.Name == *Deferred)
        continue;
      const ColumnDef &NC = New.Columns.Columns[*New.Columns.find(W.Name)];
      if (NC.Ty != W.Ty) {
        R.Ops.push_back(
            std::make_shared<RetypeColumn>(Rel, W.Name, W.Ty, NC.Ty, std::nullopt, std::nullopt));
        R.ChangedColumns.insert(oldNameOf(W.Name));
        W.Ty = NC.Ty;
      }
    }
  }

  /// Where the I-th new column goes: its place, and its position in
  /// Working.
  std::pair<ColumnPlace, size_t> placeOf(size_t I) const {
    if (Deferred && I == 0 && !Working.empty()) {
      // Only the deferred column is left: put the new one before it.
      return {ColumnPlace::first(), 0};
    }
    if (I == 0)
      return {Working.empty() ? ColumnPlace::end() : ColumnPlace::first(), 0};
    const std::string &Prev = New.Columns.Columns[I - 1].Name;
    size_t At = 0;
    for (size_t J = 0; J < Working.size(); ++J)
      if (Working[J].Name == Prev)
        At = J + 1;
    return {At == Working.size() ? ColumnPlace::end() : ColumnPlace::after(Prev), At};
  }

  /// Adds, in new column order, each at its place. False when a fill value
  /// is missing (reported).
  bool addColumns() {
    bool Failed = false;
    for (size_t I = 0; I < New.Columns.size(); ++I) {
      const ColumnDef &NC = New.Columns.Columns[I];
      bool Present = false;
      for (const ColumnDef &W : Working)
        Present |= W.Name == NC.Name;
      if (Present)
        continue;
      auto [Place, At] = placeOf(I);
      ColumnDef Added = NC;
      Added.Loc = {};
      std::optional<ast::Expr> Fill = FillFor(Rel, NC, I);
      if (!Fill) {
        Failed = true;
        continue;
      }
      R.Ops.push_back(std::make_shared<AddColumn>(Rel, Added, std::move(Fill), Place));
      Working.insert(Working.begin() + At, Added);
    }
    return !Failed;
  }

  const RelationDef &Old, &New;
  const std::string &Rel;
  std::map<std::string, std::string> ColRenames;
  FillFn FillFor;
  Reshape R;
  std::vector<ColumnDef> Working;
  /// The last column, when it must go: dropped after the adds.
  std::optional<std::string> Deferred;
};

class Differ {
public:
  Differ(const SchemaState &From, const SchemaState &To, const SchemaHints &Hints,
         const AutodetectOptions &Opts, DiagnosticEngine &Diags, AutodetectResult &Res)
      : From(From), To(To), Hints(Hints), Opts(Opts), Diags(Diags), Res(Res) {}

  void run();

private:
  static bool isTarget(const std::map<std::string, std::string> &Renames, const std::string &Name) {
    for (const auto &[O, N] : Renames)
      if (N == Name)
        return true;
    return false;
  }
  /// A name another object is renamed to is not kept by its old holder.
  std::optional<std::string> newRelationName(const std::string &Old) const {
    if (auto It = Plan.Relations.find(Old); It != Plan.Relations.end())
      return It->second;
    if (To.relation(Old) && !isTarget(Plan.Relations, Old))
      return Old;
    return std::nullopt;
  }
  std::optional<std::string> newRuleName(const std::string &Old) const {
    if (auto It = Plan.Rules.find(Old); It != Plan.Rules.end())
      return It->second;
    if (To.derivedRelation(Old) && !isTarget(Plan.Rules, Old))
      return Old;
    return std::nullopt;
  }
  /// Whether the new object Name needs a create: nothing old is renamed to
  /// it, and its name is new or its old holder goes away.
  bool isCreated(const std::map<std::string, std::string> &Renames, bool OldHasIt,
                 const std::string &Name) const {
    return !isTarget(Renames, Name) && (!OldHasIt || Renames.count(Name));
  }

  // Deciding what changes (nothing is emitted yet).
  void diffRelations();
  void diffRules();
  bool readsChange(const std::string &OldName, const DerivedDef &Old) const;
  void dropRulesReadingChanges();
  void diffIndexes();

  // Emitting the operations, in the order the file comment gives.
  void emitOperations();
  void emitRuleDrops();
  void emitRenames(std::vector<std::pair<std::string, std::string>> Pending, bool Rules);
  ClauseList oldClausesOf(const std::string &Name) const;
  void emitRuleDefinitions();

  std::optional<Reshape> reshape(const RelationDef &Old, const RelationDef &New);
  /// The fill value of new column C, the Index-th of relation Rel.
  std::optional<ast::Expr> fillFor(const std::string &Rel, const ColumnDef &C, size_t Index);
  void emit(OperationPtr Op) { Res.Operations.push_back(std::move(Op)); }

  const SchemaState &From, &To;
  const SchemaHints &Hints;
  const AutodetectOptions &Opts;
  DiagnosticEngine &Diags;
  AutodetectResult &Res;
  RenamePlan Plan;
  CastResolver Casts{To, Opts, Diags};

  // Stored relations.
  std::vector<std::string> DroppedRels, CreatedRels;
  std::vector<std::pair<std::string, std::string>> RenamedRels;
  std::vector<Reshape> Reshapes;
  std::set<std::string> Gone;                            // old names dropped or renamed
  std::map<std::string, std::set<std::string>> Reshaped; // old name -> changed columns
  // Rules.
  std::set<std::string> DropRules;                // old names
  std::set<std::string> CreateRules;              // new names
  std::set<std::string> ReplaceRules;             // new names
  std::map<std::string, std::string> RenameRules; // old -> new
  // Indexes.
  std::vector<const IndexDef *> DropIndexes, CreateIndexes;
  std::vector<std::pair<const IndexDef *, const IndexDef *>> AlterIndexes;
};

std::optional<ast::Expr> Differ::fillFor(const std::string &Rel, const ColumnDef &C, size_t Index) {
  if (auto It = Hints.Fills.find(Rel + "." + C.Name); It != Hints.Fills.end())
    return It->second;
  if (Opts.AskFill)
    if (std::optional<ast::Expr> E = Opts.AskFill(Rel, C.Name, C.Ty))
      return E;
  const SchemaHints::ColumnPlace *Place = nullptr;
  if (auto It = Hints.ColumnPlaces.find(Rel);
      It != Hints.ColumnPlaces.end() && Index < It->second.size())
    Place = &It->second[Index];
  auto B = Diags.reportAt(DiagKind::MissingFillValue, Place ? Place->Column : C.Loc, Rel, C.Name,
                          C.Ty.str());
  std::string Default = defaultFillText(C.Ty);
  if (Place && !Default.empty())
    B.fixIt({Place->Type.End, Place->Type.End}, " = " + Default);
  Res.Ok = false;
  return std::nullopt;
}

std::optional<Reshape> Differ::reshape(const RelationDef &Old, const RelationDef &New) {
  std::map<std::string, std::string> ColRenames;
  if (auto It = Plan.Columns.find(New.Name); It != Plan.Columns.end())
    ColRenames = It->second;
  auto Fill = [&](const std::string &Rel, const ColumnDef &C, size_t Index) {
    return fillFor(Rel, C, Index);
  };
  std::optional<Reshape> R = ColumnReshaper(Old, New, std::move(ColRenames), Fill).run();
  if (!R)
    return std::nullopt;
  // Retypes get their casts once the reshape is known.
  bool Failed = false;
  for (OperationPtr &Op : R->Ops)
    if (const auto *Retype = llvm::dyn_cast<RetypeColumn>(Op.get())) {
      if (OperationPtr WithCasts = Casts.withCasts(*Retype))
        Op = std::move(WithCasts);
      else
        Failed = true;
    }
  if (Failed) {
    Res.Ok = false;
    return std::nullopt;
  }
  return R;
}

void Differ::run() {
  if (!checkRenameAnswers(To, Hints, Opts, Diags)) {
    Res.Ok = false;
    return;
  }
  Plan = resolveRenames(From, To, Hints, Opts, Diags, Res.Renames);
  diffRelations();
  if (Res.Ok) // a relation that failed to reshape leaves its answers unused
    Res.Ok = Casts.reportUnused(From);
  diffRules();
  dropRulesReadingChanges();
  diffIndexes();
  if (!Res.Ok)
    return;
  emitOperations();
}

void Differ::diffRelations() {
  RenamedRels.assign(Plan.Relations.begin(), Plan.Relations.end());
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
    // Equal lists still change when columns swap names (an answered
    // cycle of renames): then the values move with their names.
    if (sameColumnList(Old->Columns, New.Columns) && !Plan.Columns.count(New.Name))
      continue;
    std::optional<Reshape> R = reshape(*Old, New);
    if (!R)
      continue;
    Reshaped[OldName] = R->ChangedColumns;
    Reshapes.push_back(std::move(*R));
  }
  for (const auto &[NewName, New] : To.relations())
    if (isCreated(Plan.Relations, From.relation(NewName) != nullptr, NewName))
      CreatedRels.push_back(NewName);
}

void Differ::diffRules() {
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
    if (!sameClauses(Old->Clauses, New.Clauses, *NewName))
      ReplaceRules.insert(*NewName);
  }
  for (const auto &[NewName, New] : To.derived())
    if (isCreated(Plan.Rules, From.derivedRelation(NewName) != nullptr, NewName))
      CreateRules.insert(NewName);
}

/// Whether old rule OldName reads something that changes: by position, or
/// by a name that goes away.
bool Differ::readsChange(const std::string &OldName, const DerivedDef &Old) const {
  for (const auto &C : Old.Clauses)
    for (const ast::BodyLiteral &L : C->Body) {
      if (L.TheKind == ast::BodyLiteral::Kind::Comparison)
        continue;
      const std::string &Rel = L.TheAtom.Relation.Name;
      if (Rel == OldName) {
        if (RenameRules.count(OldName))
          return true;
        continue;
      }
      if (Gone.count(Rel) || DropRules.count(Rel) || RenameRules.count(Rel))
        return true;
      auto It = Reshaped.find(Rel);
      if (It == Reshaped.end())
        continue;
      if (!L.TheAtom.IsNamed)
        return true;
      for (const ast::NamedArg &N : L.TheAtom.NamedArgs)
        if (It->second.count(N.Column.Name))
          return true;
    }
  return false;
}

void Differ::dropRulesReadingChanges() {
  // Rules reading something that changes are dropped first and re-created
  // after; to a fixpoint, as dropping a rule changes what its readers read.
  // Nothing changing is the common case, and then no rule needs reading.
  bool SomethingChanges =
      !Gone.empty() || !Reshaped.empty() || !DropRules.empty() || !RenameRules.empty();
  for (bool Changed = SomethingChanges; Changed;) {
    Changed = false;
    for (const auto &[OldName, Old] : From.derived()) {
      if (DropRules.count(OldName) || !readsChange(OldName, *Old))
        continue;
      std::string NewName = *newRuleName(OldName);
      DropRules.insert(OldName);
      CreateRules.insert(NewName);
      ReplaceRules.erase(NewName);
      RenameRules.erase(OldName);
      Changed = true;
    }
  }
}

void Differ::diffIndexes() {
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
    std::string MappedRel =
        newRelationName(Old->Relation).value_or(newRuleName(Old->Relation).value_or(""));
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
}

void Differ::emitOperations() {
  emitRuleDrops();
  for (const IndexDef *I : DropIndexes) {
    IndexDef Copy = *I;
    Copy.Loc = {};
    emit(std::make_shared<DropIndex>(Copy));
  }
  for (const std::string &Name : DroppedRels)
    emit(std::make_shared<DropRelation>(Name, withoutLocs(From.relation(Name)->Columns)));
  emitRenames(RenamedRels, false);
  std::sort(Reshapes.begin(), Reshapes.end(),
            [](const Reshape &A, const Reshape &B) { return A.NewName < B.NewName; });
  for (Reshape &R : Reshapes)
    for (OperationPtr &Op : R.Ops)
      emit(std::move(Op));
  for (const std::string &Name : CreatedRels)
    emit(std::make_shared<CreateRelation>(Name, withoutLocs(To.relation(Name)->Columns)));
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
  emitRenames({RenameRules.begin(), RenameRules.end()}, true);
  emitRuleDefinitions();
}

void Differ::emitRuleDrops() {
  // The order only follows edges between the rules it orders.
  std::map<std::string, std::set<std::string>> OldReads;
  for (const std::string &Name : DropRules)
    OldReads[Name] = readsOf(From.derivedRelation(Name)->Clauses);

  // Drops, readers first. Mutually recursive rules are first cut back to
  // the clauses they would be created with (see emitRuleDefinitions), then
  // dropped in reverse name order: the exact inverse of their creation.
  std::vector<std::vector<std::string>> DropGroups = componentOrder(DropRules, OldReads);
  std::reverse(DropGroups.begin(), DropGroups.end());
  for (std::vector<std::string> &Group : DropGroups) {
    std::map<std::string, ClauseList> Full;
    for (const std::string &Name : Group)
      Full[Name] = From.derivedRelation(Name)->Clauses;
    auto Placeholder = [&](const std::string &Name) {
      return placeholderClauses(Name, From.derivedRelation(Name)->Columns);
    };
    std::map<std::string, ClauseList> Staged =
        Group.size() > 1 ? stagedClauses(Group, Full, {}, Placeholder) : Full;
    for (auto It = Group.rbegin(); It != Group.rend(); ++It)
      if (Staged[*It] != Full[*It])
        emit(std::make_shared<ReplaceRule>(*It, Staged[*It], Full[*It]));
    for (auto It = Group.rbegin(); It != Group.rend(); ++It)
      emit(std::make_shared<DropRule>(*It, withoutLocs(From.derivedRelation(*It)->Columns),
                                      Staged[*It]));
  }
}

/// Renames: one whose target is still the source of a pending rename
/// waits; a cycle goes through a temporary name.
void Differ::emitRenames(std::vector<std::pair<std::string, std::string>> Pending, bool Rules) {
  auto TakenName = [&](const std::string &N) {
    return From.hasRelationName(N) || To.hasRelationName(N);
  };
  for (auto &[Old, New] : orderRenames(std::move(Pending), TakenName)) {
    if (Rules)
      emit(std::make_shared<RenameRule>(Old, New));
    else
      emit(std::make_shared<RenameRelation>(Old, New));
  }
}

/// The old clauses of new rule Name, with heads renamed when it was.
ClauseList Differ::oldClausesOf(const std::string &Name) const {
  std::string OldName = Name;
  for (auto &[O, N] : RenameRules)
    if (N == Name)
      OldName = O;
  ClauseList OldClauses = From.derivedRelation(OldName)->Clauses;
  if (OldName != Name)
    OldClauses = renameHeads(OldClauses, Name);
  return OldClauses;
}

void Differ::emitRuleDefinitions() {
  // The order only follows edges between the rules it orders.
  std::map<std::string, std::set<std::string>> NewReads;
  for (const std::string &Name : CreateRules)
    NewReads[Name] = readsOf(To.derivedRelation(Name)->Clauses);
  for (const std::string &Name : ReplaceRules)
    NewReads[Name] = readsOf(To.derivedRelation(Name)->Clauses);

  // Creates and replaces in dependency order. A group of mutually
  // recursive rules (a cycle through two or more of them) cannot be created
  // one whole rule at a time: each new member is created, in name order,
  // with the clauses that read only what exists by then (relations outside
  // the group, itself, members already there); then every member whose
  // clauses were cut, and every changed member that already existed, is
  // replaced by its full clauses.
  std::set<std::string> Defining(CreateRules);
  Defining.insert(ReplaceRules.begin(), ReplaceRules.end());
  for (std::vector<std::string> &Group : componentOrder(Defining, NewReads)) {
    std::map<std::string, ClauseList> Full;
    for (const std::string &Name : Group)
      Full[Name] = To.derivedRelation(Name)->Clauses;
    std::set<std::string> Existing;
    for (const std::string &Name : Group)
      if (!CreateRules.count(Name))
        Existing.insert(Name);
    auto Placeholder = [&](const std::string &Name) {
      return placeholderClauses(Name, To.derivedRelation(Name)->Columns);
    };
    std::map<std::string, ClauseList> Staged =
        Group.size() > 1 ? stagedClauses(Group, Full, Existing, Placeholder) : Full;
    for (const std::string &Name : Group)
      if (CreateRules.count(Name))
        emit(std::make_shared<CreateRule>(Name, withoutLocs(To.derivedRelation(Name)->Columns),
                                          Staged[Name]));
    for (const std::string &Name : Group) {
      if (CreateRules.count(Name)) {
        if (Staged[Name] != Full[Name])
          emit(std::make_shared<ReplaceRule>(Name, Full[Name], Staged[Name]));
        continue;
      }
      emit(std::make_shared<ReplaceRule>(Name, Full[Name], oldClausesOf(Name)));
    }
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
