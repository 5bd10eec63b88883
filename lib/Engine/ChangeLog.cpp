//===- ChangeLog.cpp - What changed in a store since a point --------------===//
#include "ChangeLog.h"
#include "StateText.h"
#include "strata/Engine/Engine.h"
#include <atomic>

using namespace strata::engine;

uint64_t FactSet::freshId() {
  static std::atomic<uint64_t> Next{1};
  return Next++;
}

const std::shared_ptr<TupleSet> &FactSet::sharedEmpty() {
  static const std::shared_ptr<TupleSet> Empty = std::make_shared<TupleSet>();
  return Empty;
}

TupleSet &FactSet::writable() {
  // Another FactSet (or sharedEmpty) owns these tuples too: they are
  // copied, and the others keep what they saw. The count is atomic, so a
  // copy in another thread is seen.
  if (Facts.use_count() != 1)
    Facts = std::make_shared<TupleSet>(*Facts);
  return *Facts;
}

bool FactSet::insert(Tuple T, ChangeLog *Log) {
  if (!Log)
    return writable().insert(std::move(T)).second;
  auto [It, Added] = writable().insert(std::move(T));
  if (Added)
    Log->noteInsert(Id, *It);
  return Added;
}

bool FactSet::erase(const Tuple &T, ChangeLog *Log) {
  // A shared set is copied only when the fact is there to remove.
  if (Facts.use_count() != 1 && !Facts->contains(T, TupleSet::hashOf(T)))
    return false;
  if (!writable().erase(T))
    return false;
  if (Log)
    Log->noteErase(Id, T);
  return true;
}

Store::Store() = default;
Store::~Store() = default;

ChangeLog::ChangeLog(const Store &S) { restart(S); }

void ChangeLog::setBaseline(Image I) {
  Baseline = std::move(I);
  BaselineSets.clear();
  for (const auto &G : Baseline)
    for (const auto &R : G.second.Relations)
      BaselineSets.insert(R.second.Set);
}

void ChangeLog::restart(const Store &S) {
  setBaseline(imageOf(S));
  Facts.clear();
  Noted = 0;
  Overflowed = AllDefinitions = AllIndexes = false;
  NotedRules.clear();
  NotedRelations.clear();
  uint64_t Stored = 0;
  for (const auto &G : S.Graphs)
    for (const auto &R : G.second.Relations)
      Stored += R.second.Tuples.size();
  Limit = Stored + 100000;
}

/// Counts a noted fact; false once there are too many to keep.
static bool keep(uint64_t &Noted, uint64_t Limit, bool &Overflowed) {
  if (Overflowed)
    return false;
  Overflowed = ++Noted > Limit;
  return !Overflowed;
}

void ChangeLog::noteInsert(uint64_t Set, const Tuple &T) {
  if (!keep(Noted, Limit, Overflowed)) {
    Facts.clear();
    return;
  }
  // A new set's relation is written whole: its facts are counted (so that
  // a change too large to list still asks for a whole write) but not kept.
  if (!BaselineSets.count(Set))
    return;
  Delta &D = Facts[Set];
  if (!D.Removed.erase(T))
    D.Added.insert(T);
}

void ChangeLog::noteErase(uint64_t Set, const Tuple &T) {
  if (!keep(Noted, Limit, Overflowed)) {
    Facts.clear();
    return;
  }
  if (!BaselineSets.count(Set))
    return;
  Delta &D = Facts[Set];
  if (!D.Added.erase(T))
    D.Removed.insert(T);
}

/// The relations of G (which set each holds, and its schema).
static void relationsImage(const Graph &G, std::map<std::string, ChangeLog::RelationImage> &Out) {
  for (const auto &[RName, R] : G.Relations)
    Out[RName] = ChangeLog::RelationImage{R.Tuples.id(), ChangeLog::text(relationLine(RName, R))};
}

ChangeLog::Image ChangeLog::imageOf(const Store &S) {
  Image Out;
  for (const auto &[Name, G] : S.Graphs) {
    GraphImage &I = Out[Name];
    relationsImage(G, I.Relations);
    for (const auto &[RName, Clauses] : G.Rules)
      I.Rules[RName] = text(ruleLines(RName, Clauses));
    for (const auto &[IName, Spec] : G.Indexes)
      I.Indexes[IName] = text(indexLine(Spec));
  }
  return Out;
}

/// The relations of G, each line built again only where it may differ
/// from Prior's: the relation is new, holds another fact set, or a schema
/// declaration named it. Building every line at every take would cost in
/// proportion to the state rather than to the change.
void ChangeLog::notedRelationsImage(const std::string &Name, const Graph &G,
                                    const GraphImage &Prior, GraphImage &Out) const {
  for (const auto &[RName, R] : G.Relations) {
    auto Was = Prior.Relations.find(RName);
    if (Was != Prior.Relations.end() && Was->second.Set == R.Tuples.id() &&
        !NotedRelations.count({Name, RName}))
      Out.Relations.emplace(RName, Was->second);
    else
      Out.Relations.emplace(RName, RelationImage{R.Tuples.id(), text(relationLine(RName, R))});
  }
}

ChangeLog::Image ChangeLog::imageOfNoted(const Store &S) const {
  Image Out;
  for (const auto &[Name, G] : S.Graphs) {
    GraphImage &I = Out[Name];
    auto Prior = Baseline.find(Name);
    if (Prior == Baseline.end()) {
      // A new graph: every definition in it is new.
      relationsImage(G, I.Relations);
      for (const auto &[RName, Clauses] : G.Rules)
        I.Rules[RName] = text(ruleLines(RName, Clauses));
      for (const auto &[IName, Spec] : G.Indexes)
        I.Indexes[IName] = text(indexLine(Spec));
      continue;
    }
    notedRelationsImage(Name, G, Prior->second, I);
    I.Rules = Prior->second.Rules;
    if (!AllIndexes) {
      I.Indexes = Prior->second.Indexes;
      continue;
    }
    for (const auto &[IName, Spec] : G.Indexes)
      I.Indexes[IName] = text(indexLine(Spec));
  }
  for (const auto &[GName, RName] : NotedRules) {
    auto G = S.Graphs.find(GName);
    auto I = Out.find(GName);
    if (G == S.Graphs.end() || I == Out.end())
      continue;
    auto Rule = G->second.Rules.find(RName);
    if (Rule == G->second.Rules.end())
      I->second.Rules.erase(RName);
    else
      I->second.Rules[RName] = text(ruleLines(RName, Rule->second));
  }
  return Out;
}

/// Appends every line of a relation as the state body has them.
static void wholeRelation(const std::string &Name, const BaseRelation &R, std::string &Out) {
  Out += relationLine(Name, R);
  appendFactLines(Out, "fact", Name, R.Tuples);
}

void ChangeLog::relationChanges(const std::string &Name, const BaseRelation &R,
                                const RelationImage &Now, const RelationImage *Before,
                                std::string &Out) {
  bool Replaced =
      Before && (Before->Set != Now.Set || (!R.Columns && differ(Before->Line, Now.Line)));
  if (Replaced)
    Out += "droprel " + Name + "\n";
  if (!Before || Replaced)
    return wholeRelation(Name, R, Out);
  if (differ(Before->Line, Now.Line))
    Out += *Now.Line;
  auto It = Facts.find(Now.Set);
  if (It == Facts.end())
    return;
  appendFactLines(Out, "retract", Name, It->second.Removed);
  appendFactLines(Out, "fact", Name, It->second.Added);
}

void ChangeLog::graphChanges(const std::string &Name, const Graph &G, const GraphImage &Now,
                             const GraphImage *Before, std::string &Out) {
  static const GraphImage Empty;
  const GraphImage &Old = Before ? *Before : Empty;
  std::string Lines;
  for (const auto &[RName, R] : Old.Relations)
    if (!Now.Relations.count(RName))
      Lines += "droprel " + RName + "\n";
  for (const auto &[RName, R] : G.Relations) {
    auto Prior = Old.Relations.find(RName);
    relationChanges(RName, R, Now.Relations.at(RName),
                    Prior == Old.Relations.end() ? nullptr : &Prior->second, Lines);
  }
  auto Definitions = [&](const std::map<std::string, Text> &Was,
                         const std::map<std::string, Text> &Is, const char *Drop) {
    for (const auto &[DName, Text] : Was) {
      auto Current = Is.find(DName);
      if (Current == Is.end() || differ(Current->second, Text))
        Lines += std::string(Drop) + " " + DName + "\n";
    }
    for (const auto &[DName, Text] : Is) {
      auto Prior = Was.find(DName);
      if (Prior == Was.end() || differ(Prior->second, Text))
        Lines += *Text;
    }
  };
  Definitions(Old.Rules, Now.Rules, "droprule");
  Definitions(Old.Indexes, Now.Indexes, "dropindex");
  // A new graph is written even when empty: it exists now.
  if (!Lines.empty() || !Before)
    Out += "graph " + Name + "\n" + Lines;
}

std::string ChangeLog::take(const Store &S, bool &Everything) {
  Everything = Overflowed;
  if (Overflowed) {
    restart(S);
    return "";
  }
  Image Now = AllDefinitions ? imageOf(S) : imageOfNoted(S);
  std::string Out;
  for (const auto &[Name, G] : Baseline)
    if (!S.Graphs.count(Name))
      Out += "dropgraph " + Name + "\n";
  for (const auto &[Name, G] : S.Graphs) {
    auto Prior = Baseline.find(Name);
    graphChanges(Name, G, Now.at(Name), Prior == Baseline.end() ? nullptr : &Prior->second, Out);
  }
  setBaseline(std::move(Now));
  Facts.clear();
  Noted = 0;
  AllDefinitions = AllIndexes = false;
  NotedRules.clear();
  NotedRelations.clear();
  return Out;
}

void Engine::recordChanges() { TheStore->Changes = std::make_unique<ChangeLog>(*TheStore); }

std::string Engine::takeChanges(bool *Everything) {
  bool All = false;
  std::string Record = TheStore->Changes ? TheStore->Changes->take(*TheStore, All) : "";
  if (Everything)
    *Everything = All;
  return Record;
}

llvm::Error Engine::applyChanges(llvm::StringRef Record) {
  llvm::Error E = applyStateText(*TheStore, Record, StateTextKind::JournalRecord);
  // The record may have changed rules without telling their body index.
  for (auto &G : TheStore->Graphs)
    G.second.BodyIndex.forget();
  if (E)
    return E;
  if (TheStore->Changes)
    TheStore->Changes = std::make_unique<ChangeLog>(*TheStore);
  return llvm::Error::success();
}
