//===- ServerTest.cpp - `strata serve`'s limits: logins, turns, caps --------===//
#include "../lib/Exec/ConnectionTable.h"
#include "../lib/Exec/FairMutex.h"
#include "../lib/Exec/LoginThrottle.h"
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace strata::exec;
using std::chrono::milliseconds;

namespace {
//===-- Login backoff -----------------------------------------------------===//

LoginThrottleOptions throttleOptions() {
  LoginThrottleOptions O;
  O.FreeFailures = 3;
  O.BaseDelay = milliseconds(1000);
  O.MaxDelay = milliseconds(8000);
  return O;
}

TEST(LoginThrottle, FreeFailuresThenDoublingLockouts) {
  LoginThrottle T(throttleOptions());
  LoginThrottle::Clock::time_point Now{};
  Now += std::chrono::hours(1);
  for (int I = 0; I < 3; ++I) {
    EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now).count(), 0);
    T.recordFailure("alice", "10.0.0.1", Now);
  }
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now).count(), 0);
  T.recordFailure("alice", "10.0.0.1", Now); // the 4th: 1 s
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now), milliseconds(1000));
  Now += milliseconds(1000);
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now).count(), 0);
  T.recordFailure("alice", "10.0.0.1", Now); // the 5th: 2 s
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now), milliseconds(2000));
  Now += milliseconds(2000);
  T.recordFailure("alice", "10.0.0.1", Now); // the 6th: 4 s
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now), milliseconds(4000));
  for (int I = 0; I < 40; ++I)
    T.recordFailure("alice", "10.0.0.1", Now); // capped, without overflow
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now), milliseconds(8000));
}

TEST(LoginThrottle, UserAndAddressAreLockedOutSeparately) {
  LoginThrottle T(throttleOptions());
  LoginThrottle::Clock::time_point Now{};
  // Guesses for one user from many addresses lock the user out...
  for (int I = 0; I < 4; ++I)
    T.recordFailure("alice", "10.0.0." + std::to_string(I), Now);
  EXPECT_GT(T.lockedFor("alice", "10.0.0.99", Now).count(), 0);
  EXPECT_EQ(T.lockedFor("bob", "10.0.0.99", Now).count(), 0);
  // ...and guesses from one address over many users lock the address out,
  // API keys (no user) included.
  for (int I = 0; I < 4; ++I)
    T.recordFailure("user" + std::to_string(I), "10.0.0.7", Now);
  EXPECT_GT(T.lockedFor("carol", "10.0.0.7", Now).count(), 0);
  EXPECT_GT(T.lockedFor("", "10.0.0.7", Now).count(), 0);
  EXPECT_EQ(T.lockedFor("carol", "10.0.0.8", Now).count(), 0);
}

TEST(LoginThrottle, SuccessClearsTheCount) {
  LoginThrottle T(throttleOptions());
  LoginThrottle::Clock::time_point Now{};
  for (int I = 0; I < 3; ++I)
    T.recordFailure("alice", "10.0.0.1", Now);
  T.recordSuccess("alice", "10.0.0.1");
  T.recordFailure("alice", "10.0.0.1", Now);
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now).count(), 0);
}

TEST(LoginThrottle, ZeroDelayTurnsItOff) {
  LoginThrottleOptions O = throttleOptions();
  O.BaseDelay = milliseconds(0);
  LoginThrottle T(O);
  LoginThrottle::Clock::time_point Now{};
  for (int I = 0; I < 50; ++I)
    T.recordFailure("alice", "10.0.0.1", Now);
  EXPECT_EQ(T.lockedFor("alice", "10.0.0.1", Now).count(), 0);
}

TEST(LoginThrottle, MadeUpUserNamesDoNotGrowItForEver) {
  LoginThrottle T(throttleOptions());
  LoginThrottle::Clock::time_point Now{};
  for (int I = 0; I < 30000; ++I) {
    T.recordFailure("u" + std::to_string(I), "10.0.0.1", Now);
    Now += milliseconds(10);
  }
  EXPECT_LE(T.size(), 10001u);
  EXPECT_GT(T.lockedFor("", "10.0.0.1", Now).count(), 0); // the address stays locked out
}

TEST(LoginThrottle, LongUserNamesAreCutShort) {
  LoginThrottle T(throttleOptions());
  LoginThrottle::Clock::time_point Now{};
  std::string Long(1 << 20, 'u');
  for (int I = 0; I < 4; ++I)
    T.recordFailure(Long + std::to_string(I), "10.0.0." + std::to_string(I), Now);
  // One record for the four names (they share their first 256 bytes).
  EXPECT_EQ(T.size(), 5u);
  EXPECT_GT(T.lockedFor(Long, "10.0.0.9", Now).count(), 0);
}

//===-- Taking turns ------------------------------------------------------===//

void waitUntilQueued(FairMutex &M, uint64_t N) {
  while (M.queued() < N)
    std::this_thread::yield();
}

TEST(FairMutex, WaitersAreServedInArrivalOrder) {
  FairMutex M;
  std::vector<int> Order;
  M.lock();
  std::thread A([&] {
    M.lock();
    Order.push_back(1);
    M.unlock();
  });
  waitUntilQueued(M, 2);
  std::thread B([&] {
    M.lock();
    Order.push_back(2);
    M.unlock();
  });
  waitUntilQueued(M, 3);
  // The holder lets go and asks again at once: a plain mutex may hand it
  // straight back; here it waits behind A and B.
  M.unlock();
  M.lock();
  Order.push_back(3);
  M.unlock();
  A.join();
  B.join();
  EXPECT_EQ(Order, (std::vector<int>{1, 2, 3}));
}

TEST(FairMutex, TryLockNeverJumpsTheQueue) {
  FairMutex M;
  EXPECT_TRUE(M.try_lock());
  EXPECT_FALSE(M.try_lock());
  std::thread Waiter([&] {
    M.lock();
    M.unlock();
  });
  waitUntilQueued(M, 2);
  M.unlock();
  Waiter.join();
  EXPECT_TRUE(M.try_lock());
  M.unlock();
}

//===-- Connection caps ---------------------------------------------------===//

/// A connected socket pair; the test's end is Peer.
struct SocketPair {
  int Server = -1, Peer = -1;
  SocketPair() {
    int Fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, Fds), 0);
    Server = Fds[0];
    Peer = Fds[1];
  }
  ~SocketPair() {
    ::close(Server);
    ::close(Peer);
  }
  /// Whether the server end was shut down (the peer reads end of file).
  bool cutOff() const {
    char C;
    return ::recv(Peer, &C, 1, MSG_DONTWAIT) == 0;
  }
};

/// ConnectionTable::admit as an optional, with the refusal's text in Why.
std::optional<uint64_t> admit(ConnectionTable &T, llvm::StringRef Address, int Fd,
                              std::string &Why) {
  llvm::Expected<uint64_t> Id = T.admit(Address, Fd);
  if (Id)
    return *Id;
  Why = llvm::toString(Id.takeError());
  return std::nullopt;
}

TEST(ConnectionTable, PerAddressCap) {
  ConnectionTable T({/*Total=*/10, /*PerAddress=*/2, /*Unauthenticated=*/10});
  SocketPair P[3];
  std::string Why;
  ASSERT_TRUE(admit(T, "10.0.0.1", P[0].Server, Why));
  ASSERT_TRUE(admit(T, "10.0.0.1", P[1].Server, Why));
  EXPECT_FALSE(admit(T, "10.0.0.1", P[2].Server, Why));
  EXPECT_EQ(Why, "too many connections from 10.0.0.1 (at most 2)");
  EXPECT_TRUE(admit(T, "10.0.0.2", P[2].Server, Why));
}

TEST(ConnectionTable, UnauthenticatedNewcomerDropsTheOldestUnauthenticated) {
  ConnectionTable T({/*Total=*/10, /*PerAddress=*/10, /*Unauthenticated=*/2});
  SocketPair P[3];
  std::string Why;
  std::optional<uint64_t> First = admit(T, "a", P[0].Server, Why);
  ASSERT_TRUE(First);
  ASSERT_TRUE(admit(T, "a", P[1].Server, Why));
  ASSERT_TRUE(admit(T, "a", P[2].Server, Why));
  EXPECT_TRUE(P[0].cutOff());
  EXPECT_FALSE(P[1].cutOff());
  EXPECT_EQ(T.unauthenticated(), 2u);
  T.release(*First); // its thread ends later: nothing more to do
  EXPECT_EQ(T.size(), 2u);
}

TEST(ConnectionTable, AuthenticatedConnectionsAreNeverDropped) {
  ConnectionTable T({/*Total=*/3, /*PerAddress=*/10, /*Unauthenticated=*/2});
  SocketPair P[5];
  std::string Why;
  for (int I = 0; I < 3; ++I) {
    std::optional<uint64_t> Id = admit(T, "a", P[I].Server, Why);
    ASSERT_TRUE(Id);
    T.authenticated(*Id);
  }
  // Full of authenticated clients: a newcomer is refused, nobody dropped.
  EXPECT_FALSE(admit(T, "b", P[3].Server, Why));
  EXPECT_EQ(Why, "too many connections (at most 3)");
  for (int I = 0; I < 3; ++I)
    EXPECT_FALSE(P[I].cutOff());
}

TEST(ConnectionTable, FullTableMakesRoomByDroppingAnUnauthenticated) {
  ConnectionTable T({/*Total=*/3, /*PerAddress=*/10, /*Unauthenticated=*/2});
  SocketPair P[4];
  std::string Why;
  std::optional<uint64_t> Authed = admit(T, "a", P[0].Server, Why);
  T.authenticated(*Authed);
  ASSERT_TRUE(admit(T, "b", P[1].Server, Why));
  ASSERT_TRUE(admit(T, "b", P[2].Server, Why));
  ASSERT_TRUE(admit(T, "c", P[3].Server, Why));
  EXPECT_FALSE(P[0].cutOff());
  EXPECT_TRUE(P[1].cutOff());
  EXPECT_EQ(T.size(), 3u);
}
} // namespace
