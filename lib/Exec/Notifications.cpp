//===- Notifications.cpp - The server's change notifications --------------===//
#include "Notifications.h"
#include "strata/Exec/ReplyFormat.h"

using namespace strata;
using namespace strata::exec;
using llvm::json::Object;

namespace {
void relationChanges(const std::string &Graph, const engine::GraphCensus &Before,
                     const engine::GraphCensus &After, std::vector<Change> &Out) {
  for (const auto &[Name, Now] : After.Relations) {
    auto Was = Before.Relations.find(Name);
    bool Existed = Was != Before.Relations.end();
    if (Now.Declared && (!Existed || !Was->second.Declared))
      Out.push_back({"schema_change", Graph, "created", Name, 0});
    size_t Had = Existed ? Was->second.Facts : 0;
    if (Now.Facts > Had)
      Out.push_back({"persistent_update", Graph, "insert", Name, Now.Facts - Had});
    else if (Now.Facts < Had)
      Out.push_back({"persistent_update", Graph, "delete", Name, Had - Now.Facts});
  }
}

void ruleChanges(const std::string &Graph, const engine::GraphCensus &Before,
                 const engine::GraphCensus &After, std::vector<Change> &Out) {
  for (const auto &[Name, Clauses] : After.Rules) {
    auto Was = Before.Rules.find(Name);
    if (Was == Before.Rules.end() || Clauses > Was->second)
      Out.push_back({"rule_change", Graph, "registered", Name, 0});
    else if (Clauses < Was->second)
      Out.push_back({"rule_change", Graph, "removed", Name, 0});
  }
  for (const auto &[Name, Clauses] : Before.Rules)
    if (!After.Rules.count(Name))
      Out.push_back({"rule_change", Graph, "dropped", Name, 0});
}

void droppedRelations(const std::string &Graph, const engine::GraphCensus &Before,
                      const engine::GraphCensus &After, std::vector<Change> &Out) {
  for (const auto &[Name, Was] : Before.Relations)
    if (!After.Relations.count(Name))
      Out.push_back({"schema_change", Graph, "dropped", Name, 0});
}

std::string frameOf(const Change &C, uint64_t Seq, llvm::StringRef SessionId, int64_t TimestampMs) {
  Object O{{"type", C.Type},
           {"seq", int64_t(Seq)},
           {"timestamp_ms", TimestampMs},
           {"knowledge_graph", C.Graph},
           {"operation", C.Operation}};
  if (!SessionId.empty())
    O["session_id"] = SessionId.str();
  if (C.Type == "persistent_update") {
    O["relation"] = C.Name;
    O["count"] = int64_t(C.Count);
  } else if (C.Type == "rule_change") {
    O["rule_name"] = C.Name;
  } else if (C.Type == "schema_change") {
    O["entity"] = C.Name;
  }
  return frameText(llvm::json::Value(std::move(O)));
}
} // namespace

std::vector<Change> exec::changesBetween(const engine::Census &Before,
                                         const engine::Census &After) {
  std::vector<Change> Out;
  static const engine::GraphCensus Empty;
  for (const auto &[Graph, Now] : After)
    if (!Before.count(Graph))
      Out.push_back({"kg_change", Graph, "created", "", 0});
  for (const auto &[Graph, Now] : After) {
    auto Was = Before.find(Graph);
    const engine::GraphCensus &Then = Was == Before.end() ? Empty : Was->second;
    relationChanges(Graph, Then, Now, Out);
    ruleChanges(Graph, Then, Now, Out);
    droppedRelations(Graph, Then, Now, Out);
  }
  for (const auto &[Graph, Was] : Before)
    if (!After.count(Graph))
      Out.push_back({"kg_change", Graph, "dropped", "", 0});
  return Out;
}

bool exec::visibleTo(const Notification &N, llvm::StringRef Graph) {
  return N.Type == "kg_change" || N.Graph == Graph;
}

std::vector<Notification> NotificationLog::publish(const std::vector<Change> &Changes,
                                                   llvm::StringRef SessionId, int64_t TimestampMs) {
  std::vector<Notification> Out;
  for (const Change &C : Changes) {
    uint64_t Seq = Next++;
    Out.push_back({Seq, C.Type, C.Graph, frameOf(C, Seq, SessionId, TimestampMs)});
    Kept.push_back(Out.back());
    if (Kept.size() > Capacity)
      Kept.pop_front();
  }
  return Out;
}

NotificationLog::Replay NotificationLog::after(uint64_t LastSeq) const {
  Replay R;
  // A number this run never gave out belongs to another run (a restarted
  // server numbers from 1 again): nothing here continues it.
  if (LastSeq > lastSeq()) {
    R.Gap = true;
    return R;
  }
  uint64_t Oldest = Kept.empty() ? Next : Kept.front().Seq;
  if (LastSeq + 1 < Oldest) {
    R.Gap = true;
    return R;
  }
  for (const Notification &N : Kept)
    if (N.Seq > LastSeq)
      R.Missed.push_back(N);
  return R;
}
