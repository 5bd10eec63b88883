//===- Notifications.h - The server's change notifications ------*- C++ -*-===//
//
// After a request that changed persistent state, the InputLayer server
// pushes one notification per change to the connections bound to the
// graph it happened in: `persistent_update` (facts inserted or deleted),
// `rule_change` (a rule registered, removed or dropped), `schema_change`
// (a relation created or dropped) and `kg_change` (a graph created or
// dropped; every connection hears those). Each carries a sequence number,
// 1-based and increasing across the server, so a client that reconnects
// with `?last_seq=N` is sent what it missed (NotificationLog::after).
//
// `strata serve` finds the changes by comparing an engine census taken
// before a request with one taken after it: net changes per relation and
// rule, not statement by statement.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_NOTIFICATIONS_H
#define STRATA_LIB_EXEC_NOTIFICATIONS_H

#include "strata/Engine/Engine.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace strata::exec {

/// One change, as a notification names it.
struct Change {
  std::string Type;      // persistent_update, rule_change, schema_change, kg_change
  std::string Graph;     // where it happened (for kg_change: the graph itself)
  std::string Operation; // insert, delete; registered, removed, dropped; created, dropped
  std::string Name;      // the relation, rule or schema entity; empty for kg_change
  size_t Count = 0;      // facts inserted or deleted (persistent_update)
};

/// What changed from Before to After. Graphs created come first, then each
/// surviving graph's changes (schemas created, facts, rules, schemas
/// dropped) in name order, then graphs dropped; a dropped graph's contents
/// are not listed one by one.
std::vector<Change> changesBetween(const engine::Census &Before, const engine::Census &After);

/// A numbered notification: its frame and what a connection filters on.
struct Notification {
  uint64_t Seq = 0;
  std::string Type, Graph;
  std::string Frame; // the JSON text sent
};

/// Whether a connection whose current graph is Graph is sent N: changes in
/// its graph, and every graph's creation and drop (every session of
/// `strata serve` is an admin, and the server tells admins of those).
bool visibleTo(const Notification &N, llvm::StringRef Graph);

/// The numbered notifications of one server run, the latest Capacity kept
/// for clients that reconnect.
class NotificationLog {
public:
  explicit NotificationLog(size_t Capacity = 1024) : Capacity(Capacity) {}

  /// Numbers Changes (made by session SessionId at TimestampMs, Unix
  /// milliseconds), keeps them and returns their notifications.
  std::vector<Notification> publish(const std::vector<Change> &Changes, llvm::StringRef SessionId,
                                    int64_t TimestampMs);

  struct Replay {
    std::vector<Notification> Missed; // after the client's last_seq, oldest first
    bool Gap = false;                 // some are no longer kept, or last_seq is not of this run
  };
  /// What a client that saw every notification up to LastSeq missed.
  Replay after(uint64_t LastSeq) const;

  /// The last number given out (0 before the first).
  uint64_t lastSeq() const { return Next - 1; }

private:
  size_t Capacity;
  uint64_t Next = 1;
  std::deque<Notification> Kept;
};

} // namespace strata::exec

#endif
