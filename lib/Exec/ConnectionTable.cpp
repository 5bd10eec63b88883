//===- ConnectionTable.cpp - Who may connect to `strata serve` -------------===//
#include "ConnectionTable.h"
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace strata::exec;

ConnectionTable::~ConnectionTable() {
  for (std::list<Entry> *L : {&Unauthenticated, &Authenticated})
    for (Entry &E : *L)
      ::close(E.Fd);
}

void ConnectionTable::forget(std::list<Entry> &From, std::list<Entry>::iterator It) {
  if (--PerAddress[It->Address] == 0)
    PerAddress.erase(It->Address);
  ::close(It->Fd);
  From.erase(It);
}

void ConnectionTable::dropOldestUnauthenticated() {
  // Shutting the socket down (through the duplicate, which shares it)
  // wakes the connection's thread, which then ends on its own.
  ::shutdown(Unauthenticated.front().Fd, SHUT_RDWR);
  forget(Unauthenticated, Unauthenticated.begin());
}

llvm::Expected<uint64_t> ConnectionTable::admit(llvm::StringRef Address, int Fd) {
  auto Refuse = [](std::string Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
  };
  std::lock_guard<std::mutex> Lock(Mutex);
  auto Known = PerAddress.find(Address.str());
  if (Known != PerAddress.end() && Known->second >= Caps.PerAddress)
    return Refuse(
        fmt::format("too many connections from {} (at most {})", Address.str(), Caps.PerAddress));
  bool Full = Unauthenticated.size() + Authenticated.size() >= Caps.Total;
  if (Full || Unauthenticated.size() >= Caps.Unauthenticated) {
    if (Unauthenticated.empty())
      return Refuse(fmt::format("too many connections (at most {})", Caps.Total));
    dropOldestUnauthenticated();
  }
  int Dup = ::fcntl(Fd, F_DUPFD_CLOEXEC, 0);
  if (Dup < 0)
    return Refuse("too many open files");
  Unauthenticated.push_back({NextId, Address.str(), Dup});
  ++PerAddress[Address.str()];
  return NextId++;
}

void ConnectionTable::authenticated(uint64_t Id) {
  std::lock_guard<std::mutex> Lock(Mutex);
  for (auto It = Unauthenticated.begin(); It != Unauthenticated.end(); ++It)
    if (It->Id == Id) {
      Authenticated.splice(Authenticated.end(), Unauthenticated, It);
      return;
    }
}

void ConnectionTable::release(uint64_t Id) {
  std::lock_guard<std::mutex> Lock(Mutex);
  for (std::list<Entry> *L : {&Unauthenticated, &Authenticated})
    for (auto It = L->begin(); It != L->end(); ++It)
      if (It->Id == Id) {
        forget(*L, It);
        return;
      }
}

size_t ConnectionTable::size() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Unauthenticated.size() + Authenticated.size();
}

size_t ConnectionTable::unauthenticated() {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Unauthenticated.size();
}
