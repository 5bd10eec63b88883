//===- InterruptNotice.cpp - Saying where a run was when it is stopped -----===//
//
// The handler may only call async-signal-safe functions: the text is kept
// preformatted in one of two buffers, and set() fills the other one before
// publishing it, so a signal arriving mid-update reads a whole text.
//
//===----------------------------------------------------------------------===//
#include "InterruptNotice.h"
#include <atomic>
#include <csignal>
#include <cstring>
#include <unistd.h>

using namespace strata::driver;

namespace {
constexpr size_t Capacity = 1024;
char Texts[2][Capacity];
size_t Lengths[2];
std::atomic<int> Published{-1};
struct sigaction OldInt, OldTerm;
/// On a terminal the notice starts on a line of its own (a progress line
/// may be open); in a log it does not need to.
bool NewlineFirst = false;

void writeAll(const char *Data, size_t Size) {
  while (Size > 0) {
    ssize_t N = ::write(STDERR_FILENO, Data, Size);
    if (N <= 0)
      return;
    Data += N;
    Size -= size_t(N);
  }
}

void onSignal(int Sig) {
  int I = Published.load();
  if (I >= 0) {
    static const char Head[] = "\nstrata: interrupted while ";
    if (NewlineFirst)
      writeAll(Head, 1);
    static const char Tail[] = "; the next `strata migrate` or `strata revert` finishes or "
                               "redoes what it left (docs/safety.md)\n";
    writeAll(Head + 1, sizeof(Head) - 2);
    writeAll(Texts[I], Lengths[I]);
    writeAll(Tail, sizeof(Tail) - 1);
  }
  // Die of the signal, as without the notice (the shell sees it).
  ::signal(Sig, SIG_DFL);
  ::raise(Sig);
}
} // namespace

InterruptNotice::InterruptNotice() {
  NewlineFirst = ::isatty(STDERR_FILENO);
  struct sigaction SA;
  std::memset(&SA, 0, sizeof(SA));
  SA.sa_handler = onSignal;
  sigemptyset(&SA.sa_mask);
  ::sigaction(SIGINT, &SA, &OldInt);
  ::sigaction(SIGTERM, &SA, &OldTerm);
}

InterruptNotice::~InterruptNotice() {
  ::sigaction(SIGINT, &OldInt, nullptr);
  ::sigaction(SIGTERM, &OldTerm, nullptr);
  Published.store(-1);
}

void InterruptNotice::set(const std::string &Where) {
  int Next = Published.load() == 0 ? 1 : 0;
  size_t N = std::min(Where.size(), Capacity);
  std::memcpy(Texts[Next], Where.data(), N);
  Lengths[Next] = N;
  Published.store(Next);
}
