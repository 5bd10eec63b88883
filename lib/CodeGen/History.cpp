//===- History.cpp - Lowering migrations where they sit in the history ----===//
#include "strata/CodeGen/History.h"
#include "llvm/ADT/DenseSet.h"

using namespace strata;

std::vector<const Migration *> strata::appliedAt(const MigrationGraph &G, const Migration *Target) {
  std::vector<const Migration *> Out;
  if (!Target)
    return Out;
  llvm::DenseSet<const Migration *> Wanted{Target};
  bool ThroughOriginals = G.replacedBy(Target) != nullptr;
  std::vector<const Migration *> Work{Target};
  while (!Work.empty()) {
    const Migration *M = Work.back();
    Work.pop_back();
    std::vector<const Migration *> Deps;
    if (ThroughOriginals) {
      for (const std::string &D : M->Depends)
        if (const Migration *Dep = G.find(D))
          Deps.push_back(Dep);
    } else {
      Deps = G.effectiveDepends(M);
    }
    for (const Migration *D : Deps)
      if (Wanted.insert(D).second)
        Work.push_back(D);
  }
  for (const Migration *M : G.order())
    if (Wanted.count(M))
      Out.push_back(M);
  return Out;
}

namespace {
bool replay(const std::vector<const Migration *> &Ms, SchemaState &State, DiagnosticEngine &Diags) {
  RuleReaders Readers(State);
  for (const Migration *M : Ms)
    for (const OperationPtr &Op : M->Operations)
      if (!Op->applyTo(State, Diags, &Readers))
        return false;
  return true;
}
} // namespace

std::optional<LoweredMigration> strata::lowerInHistory(const MigrationGraph &G, const Migration &M,
                                                       DiagnosticEngine &Diags) {
  std::vector<const Migration *> Before = appliedAt(G, &M);
  Before.pop_back(); // M itself comes last in the order
  SchemaState State;
  if (!replay(Before, State, Diags))
    return std::nullopt;
  return lowerMigration(M, State, Diags);
}

namespace {
/// Frees L's statement trees, keeping their text (Plan says why).
void dropTrees(LoweredMigration &L) {
  for (LoweredOperation &Op : L.Ops)
    for (auto *Stream : {&Op.Forward, &Op.Backward})
      for (IqlStatement &St : *Stream)
        St.Tree.reset();
}
} // namespace

llvm::Expected<std::optional<Plan>> strata::planBetween(const MigrationGraph &G,
                                                        const Migration *From, const Migration *To,
                                                        DiagnosticEngine &Diags) {
  std::vector<const Migration *> AtFrom = appliedAt(G, From), AtTo = appliedAt(G, To);
  llvm::DenseSet<const Migration *> FromSet(AtFrom.begin(), AtFrom.end());
  llvm::DenseSet<const Migration *> ToSet(AtTo.begin(), AtTo.end());
  Plan P;
  P.Backward = AtFrom.size() > AtTo.size();
  const auto &Low = P.Backward ? AtTo : AtFrom;
  const auto &High = P.Backward ? AtFrom : AtTo;
  const auto &LowSet = P.Backward ? ToSet : FromSet;
  const auto &HighSet = P.Backward ? FromSet : ToSet;
  for (const Migration *M : Low)
    if (!HighSet.count(M))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "`" + M->Name +
                                         "` is applied at one end but not at the other: the two "
                                         "points are on different branches of the history");
  SchemaState State;
  if (!replay(Low, State, Diags))
    return std::nullopt;
  // One cursor over the rest: each operation is applied once to each of
  // its two states, and no state is copied per migration.
  LoweringCursor Cursor(std::move(State));
  for (const Migration *M : High) {
    if (LowSet.count(M))
      continue;
    std::optional<LoweredMigration> L = Cursor.lower(*M, Diags);
    if (!L)
      return std::nullopt;
    dropTrees(*L);
    P.Steps.push_back(std::move(*L));
  }
  if (P.Backward)
    std::reverse(P.Steps.begin(), P.Steps.end());
  return P;
}
