//===- Outbox.h - Frames pushed to one connection ---------------*- C++ -*-===//
//
// A connection's thread is the only one that writes to its socket, so
// frames pushed from other threads (change notifications a request on
// another connection caused) wait here. Pushing makes the wake descriptor
// readable; the owner's blocked read returns (ws::Socket::setWake), it
// takes the frames and sends them, and goes back to reading.
//
// A connection that does not keep up (its thread stuck writing to a client
// that stopped reading) is not allowed to hold unbounded memory: past
// Capacity frames the queue is replaced by one `notifications_missed`
// notice, and pushes are dropped until the owner takes it. The client can
// reconnect with `last_seq` to be sent what it missed.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_OUTBOX_H
#define STRATA_LIB_EXEC_OUTBOX_H

#include "Notifications.h"
#include <mutex>
#include <string>
#include <vector>

namespace strata::exec {

class Outbox {
public:
  explicit Outbox(size_t Capacity = 4096);
  ~Outbox();
  Outbox(const Outbox &) = delete;
  Outbox &operator=(const Outbox &) = delete;

  /// Readable while frames wait; -1 when no pipe could be made (then
  /// nothing is ever pushed).
  int wakeFd() const { return Fds[0]; }

  /// The graph the connection is bound to: notifications about other
  /// graphs (other than kg_change) are not queued.
  void setGraph(std::string Graph);

  /// From any thread: queues N's frame when the connection should see it.
  void offer(const Notification &N);
  /// From any thread: queues Frame.
  void push(std::string Frame);

  /// The owner: what is queued, oldest first, and the wake pipe drained.
  std::vector<std::string> take();

private:
  void pushLocked(std::string Frame);

  std::mutex M;
  size_t Capacity;
  std::vector<std::string> Queue;
  size_t Dropped = 0; // since the overflow notice was queued
  std::string Graph;
  int Fds[2] = {-1, -1};
};

} // namespace strata::exec

#endif
