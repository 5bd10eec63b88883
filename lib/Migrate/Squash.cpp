//===- Squash.cpp - One migration in place of a run of them ---------------===//
#include "strata/Migrate/Squash.h"
#include "strata/Migrate/Autodetect.h"
#include "llvm/Support/Casting.h"
#include <set>

using namespace strata;
using llvm::dyn_cast;

namespace {
/// The object Op creates (`create`/`add`), or empty.
std::string createdObject(const Operation &Op) {
  if (auto *O = dyn_cast<CreateRelation>(&Op))
    return "rel:" + O->Name;
  if (auto *O = dyn_cast<AddColumn>(&Op))
    return "col:" + O->Relation + "." + O->Column.Name;
  if (auto *O = dyn_cast<CreateRule>(&Op))
    return "rule:" + O->Name;
  if (auto *O = dyn_cast<CreateIndex>(&Op))
    return "index:" + O->Index.Name;
  return "";
}
std::string droppedObject(const Operation &Op) {
  if (auto *O = dyn_cast<DropRelation>(&Op))
    return "rel:" + O->Name;
  if (auto *O = dyn_cast<DropColumn>(&Op))
    return "col:" + O->Relation + "." + O->Column.Name;
  if (auto *O = dyn_cast<DropRule>(&Op))
    return "rule:" + O->Name;
  if (auto *O = dyn_cast<DropIndex>(&Op))
    return "index:" + O->Index.Name;
  return "";
}

/// (kind/relation, from, to) of a rename, or nullopt.
struct RenameKey {
  std::string Scope, From, To;
};
std::optional<RenameKey> renameOf(const Operation &Op) {
  if (auto *O = dyn_cast<RenameRelation>(&Op))
    return RenameKey{"rel", O->From, O->To};
  if (auto *O = dyn_cast<RenameRule>(&Op))
    return RenameKey{"rule", O->From, O->To};
  if (auto *O = dyn_cast<RenameColumn>(&Op))
    return RenameKey{"col:" + O->Relation, O->From, O->To};
  return std::nullopt;
}

/// Two reorders of one relation in a row: one reorder from the first order
/// to the last, or none when the second undoes the first. Whether they fold
/// (Folds) and what replaces them (Into, null for nothing).
struct ReorderFold {
  bool Folds = false;
  OperationPtr Into;
};
ReorderFold foldReorders(const Operation &Earlier, const ReorderColumns *Later) {
  const auto *E = dyn_cast<ReorderColumns>(&Earlier);
  if (!Later || !E || E->Relation != Later->Relation || E->To != Later->From)
    return {};
  if (E->From == Later->To)
    return {true, nullptr};
  return {true, std::make_shared<ReorderColumns>(E->Relation, E->From, Later->To)};
}

bool touchesAny(const Operation &Op, const std::vector<std::string> &Keys) {
  for (const std::string &T : touchedObjects(Op, /*Reads=*/true))
    for (const std::string &K : Keys)
      if (objectsOverlap(T, K))
        return true;
  return false;
}

/// One simplification step; false when none applies.
bool simplifyOnce(std::vector<OperationPtr> &Ops) {
  for (size_t J = 0; J < Ops.size(); ++J) {
    const Operation &Later = *Ops[J];
    std::string Dropped = droppedObject(Later);
    std::optional<RenameKey> LaterRename = renameOf(Later);
    const auto *LaterReorder = dyn_cast<ReorderColumns>(&Later);
    if (Dropped.empty() && !LaterRename && !LaterReorder)
      continue;
    std::vector<std::string> Keys = touchedObjects(Later);
    for (size_t I = J; I-- > 0;) {
      const Operation &Earlier = *Ops[I];
      if (ReorderFold F = foldReorders(Earlier, LaterReorder); F.Folds) {
        Ops.erase(Ops.begin() + J);
        if (F.Into)
          Ops[I] = F.Into;
        else
          Ops.erase(Ops.begin() + I);
        return true;
      }
      if (!Dropped.empty() && createdObject(Earlier) == Dropped) {
        Ops.erase(Ops.begin() + J);
        Ops.erase(Ops.begin() + I);
        return true;
      }
      if (LaterRename) {
        std::optional<RenameKey> E = renameOf(Earlier);
        if (E && E->Scope == LaterRename->Scope && E->To == LaterRename->From) {
          if (E->From == LaterRename->To) {
            Ops.erase(Ops.begin() + J);
            Ops.erase(Ops.begin() + I);
            return true;
          }
          OperationPtr Folded;
          if (auto *O = dyn_cast<RenameRelation>(&Earlier))
            Folded = std::make_shared<RenameRelation>(O->From, LaterRename->To);
          else if (auto *O = dyn_cast<RenameRule>(&Earlier))
            Folded = std::make_shared<RenameRule>(O->From, LaterRename->To);
          else if (auto *O = dyn_cast<RenameColumn>(&Earlier))
            Folded = std::make_shared<RenameColumn>(O->Relation, O->From, LaterRename->To);
          Ops.erase(Ops.begin() + J);
          Ops[I] = Folded;
          return true;
        }
      }
      if (touchesAny(Earlier, Keys))
        break;
    }
  }
  return false;
}
} // namespace

std::vector<OperationPtr> strata::squashOperations(llvm::ArrayRef<OperationPtr> In) {
  std::vector<OperationPtr> Ops(In.begin(), In.end());
  while (simplifyOnce(Ops)) {
  }
  return Ops;
}

std::optional<std::vector<const Migration *>> strata::squashChain(const MigrationGraph &G,
                                                                  llvm::StringRef From,
                                                                  llvm::StringRef To,
                                                                  DiagnosticEngine &Diags) {
  const Migration *First = G.find(From), *Last = G.find(To);
  if (!First)
    Diags.report(DiagKind::SquashUnknownMigration, llvm::SMLoc(), From.str());
  if (!Last)
    Diags.report(DiagKind::SquashUnknownMigration, llvm::SMLoc(), To.str());
  if (!First || !Last)
    return std::nullopt;
  std::vector<const Migration *> Chain;
  for (const Migration *M = Last;;) {
    Chain.insert(Chain.begin(), M);
    if (M == First)
      break;
    if (M->Depends.size() != 1) {
      Diags.report(DiagKind::SquashNotLinear, llvm::SMLoc(), From.str(), To.str(),
                   fmt::format("`{}` depends on {} migrations", M->Name, M->Depends.size()));
      return std::nullopt;
    }
    const Migration *Prev = G.find(M->Depends.front());
    // Numbers say nothing about the order (branches may share one); the
    // graph loaded without cycles, so the walk ends at a root.
    if (!Prev || Chain.size() > G.order().size()) {
      Diags.report(DiagKind::SquashNotLinear, llvm::SMLoc(), From.str(), To.str(),
                   fmt::format("`{}` is not reached from `{}`", From.str(), To.str()));
      return std::nullopt;
    }
    M = Prev;
  }
  // Nothing outside the chain may depend on a migration before TO.
  std::set<std::string> Inner;
  for (size_t I = 0; I + 1 < Chain.size(); ++I)
    Inner.insert(Chain[I]->Name);
  for (const Migration *M : G.order()) {
    bool InChain = false;
    for (const Migration *C : Chain)
      InChain |= C == M;
    if (InChain)
      continue;
    for (const std::string &D : M->Depends)
      if (Inner.count(D)) {
        Diags.report(DiagKind::SquashNotLinear, llvm::SMLoc(), From.str(), To.str(),
                     fmt::format("`{}` depends on `{}` inside the run", M->Name, D));
        return std::nullopt;
      }
  }
  return Chain;
}

std::vector<const Migration *> strata::effectiveLeaves(const MigrationGraph &G) {
  std::vector<const Migration *> Leaves = G.leaves(), Out;
  for (const Migration *L : Leaves) {
    bool Stands = !L->Replaces.empty();
    for (const std::string &R : L->Replaces)
      Stands &= G.find(R) != nullptr;
    if (!Stands)
      Out.push_back(L);
  }
  return Out.empty() ? Leaves : Out;
}
