//===- ConnectionTable.h - Who may connect to `strata serve` -----*- C++ -*-===//
//
// The connection caps of `strata serve`. A connection counts as
// unauthenticated from accept until it has a session (after the handshake,
// and after login when credentials are required). Unauthenticated
// connections may hold only a few of the slots, and when a new one needs a
// slot the oldest unauthenticated connection is dropped to make room: so
// clients that connect and never log in can never crowd out authenticated
// ones, nor keep a newcomer from logging in. Each client address also has
// a cap of its own.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_EXEC_CONNECTIONTABLE_H
#define STRATA_LIB_EXEC_CONNECTIONTABLE_H

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <string>

namespace strata::exec {

struct ConnectionCaps {
  size_t Total = 64;
  size_t PerAddress = 32;
  size_t Unauthenticated = 16;
};

class ConnectionTable {
public:
  explicit ConnectionTable(ConnectionCaps Caps) : Caps(Caps) {}
  ~ConnectionTable();

  /// Admits a connection from Address whose socket is Fd (not owned; the
  /// table keeps a duplicate so that it can cut the connection off). May
  /// drop the oldest unauthenticated connection to make room. Returns the
  /// connection's id, or an error that says why it is refused.
  llvm::Expected<uint64_t> admit(llvm::StringRef Address, int Fd);
  /// The connection has a session now: it no longer counts against the
  /// unauthenticated cap and can no longer be dropped for a newcomer.
  void authenticated(uint64_t Id);
  /// The connection ended (a no-op for one that was dropped).
  void release(uint64_t Id);

  size_t size();
  size_t unauthenticated();

private:
  struct Entry {
    uint64_t Id;
    std::string Address;
    int Fd; // a duplicate, owned
  };
  void dropOldestUnauthenticated();
  void forget(std::list<Entry> &From, std::list<Entry>::iterator It);

  ConnectionCaps Caps;
  std::mutex Mutex;
  uint64_t NextId = 1;
  std::list<Entry> Unauthenticated, Authenticated; // oldest first
  std::map<std::string, size_t> PerAddress;
};

} // namespace strata::exec

#endif
