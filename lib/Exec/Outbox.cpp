//===- Outbox.cpp - Frames pushed to one connection -----------------------===//
#include "Outbox.h"
#include "strata/Exec/ReplyFormat.h"
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

using namespace strata;
using namespace strata::exec;

Outbox::Outbox(size_t Capacity) : Capacity(Capacity) {
  if (::pipe2(Fds, O_CLOEXEC | O_NONBLOCK) != 0)
    Fds[0] = Fds[1] = -1;
}

Outbox::~Outbox() {
  for (int Fd : Fds)
    if (Fd >= 0)
      ::close(Fd);
}

void Outbox::setGraph(std::string G) {
  std::lock_guard<std::mutex> Lock(M);
  Graph = std::move(G);
}

void Outbox::offer(const Notification &N) {
  std::lock_guard<std::mutex> Lock(M);
  if (visibleTo(N, Graph))
    pushLocked(N.Frame);
}

void Outbox::push(std::string Frame) {
  std::lock_guard<std::mutex> Lock(M);
  pushLocked(std::move(Frame));
}

void Outbox::pushLocked(std::string Frame) {
  if (Fds[1] < 0)
    return;
  if (Dropped) {
    ++Dropped;
    return;
  }
  if (Queue.size() >= Capacity) {
    Dropped = Queue.size() + 1;
    Queue.clear();
    Queue.push_back(frameText(llvm::json::Object{
        {"type", "notice"},
        {"code", "notifications_missed"},
        {"message", "The connection fell behind and notifications were dropped; reconnect "
                    "with last_seq to be sent them"}}));
  } else {
    Queue.push_back(std::move(Frame));
  }
  char Byte = 1;
  // A full pipe already wakes the owner; nothing is lost when this fails.
  [[maybe_unused]] ssize_t Ignored = ::write(Fds[1], &Byte, 1);
}

std::vector<std::string> Outbox::take() {
  std::lock_guard<std::mutex> Lock(M);
  char Buffer[256];
  while (Fds[0] >= 0 && ::read(Fds[0], Buffer, sizeof(Buffer)) > 0) {
  }
  Dropped = 0;
  return std::exchange(Queue, {});
}
