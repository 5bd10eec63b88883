//===- IndexTables.cpp - Interned symbols and lookups over occurrences ---===//
#include "IndexImpl.h"
#include "llvm/ADT/SmallString.h"
#include <algorithm>

using namespace strata;
using namespace strata::index;

llvm::StringRef strata::index::symbolKindName(SymbolKind K) {
  switch (K) {
  case SymbolKind::Relation:
    return "relation";
  case SymbolKind::Derived:
    return "derived relation";
  case SymbolKind::Column:
    return "column";
  case SymbolKind::Index:
    return "index";
  case SymbolKind::Variable:
    return "variable";
  case SymbolKind::Migration:
    return "migration";
  case SymbolKind::Function:
    return "function";
  case SymbolKind::Aggregate:
    return "aggregate";
  }
  return "symbol";
}

/// Kind, key, owner and name, apart: no name holds the separator.
static llvm::SmallString<64> symbolKey(SymbolKind Kind, llvm::StringRef Owner, llvm::StringRef Name,
                                       llvm::StringRef Key) {
  llvm::SmallString<64> Full;
  Full += char('0' + int(Kind));
  for (llvm::StringRef Part : {Key, Owner, Name}) {
    Full += '\x1f';
    Full += Part;
  }
  return Full;
}

unsigned SymbolTable::intern(SymbolKind Kind, llvm::StringRef Owner, llvm::StringRef Name,
                             llvm::StringRef Key) {
  auto [It, Inserted] = Ids.try_emplace(symbolKey(Kind, Owner, Name, Key), unsigned(Syms.size()));
  if (Inserted)
    Syms.push_back({Kind, Name.str(), Owner.str()});
  return It->second;
}

std::optional<unsigned> SymbolTable::lookup(SymbolKind Kind, llvm::StringRef Owner,
                                            llvm::StringRef Name, llvm::StringRef Key) const {
  auto It = Ids.find(symbolKey(Kind, Owner, Name, Key));
  if (It == Ids.end())
    return std::nullopt;
  return It->second;
}

int64_t FileEntry::offsetOf(llvm::SMLoc L) const {
  if (!L.isValid())
    return -1;
  uintptr_t P = reinterpret_cast<uintptr_t>(L.getPointer());
  if (P < Base || P - Base > Text.size())
    return -1;
  return int64_t(P - Base);
}

const FileEntry *SymbolIndex::Impl::file(llvm::StringRef Path) const {
  auto It = Files.find(Path);
  return It == Files.end() ? nullptr : It->second.get();
}

const Occ *SymbolIndex::Impl::occAt(const FileEntry &E, size_t Offset) const {
  auto It = std::upper_bound(E.Occs.begin(), E.Occs.end(), Offset,
                             [](size_t Off, const Occ &O) { return Off < O.Begin; });
  // The last occurrence starting at or before Offset; a cursor just after
  // a name (its end) is still on it.
  if (It == E.Occs.begin())
    return nullptr;
  const Occ &O = *std::prev(It);
  return Offset <= O.End ? &O : nullptr;
}

std::pair<const FileEntry *, const Occ *> SymbolIndex::Impl::declaration(unsigned Sym) const {
  std::pair<const FileEntry *, const Occ *> Found{nullptr, nullptr};
  forEach(Sym, nullptr, [&](const FileEntry &E, const Occ &O) {
    if (!Found.second && O.TheRole == Role::Declaration && !E.isMigration())
      Found = {&E, &O};
  });
  return Found;
}

std::pair<const FileEntry *, const Occ *> SymbolIndex::Impl::bestDefinition(unsigned Sym) const {
  auto Found = declaration(Sym);
  if (Found.second)
    return Found;
  forEach(Sym, nullptr, [&](const FileEntry &E, const Occ &O) {
    if (O.TheRole == Role::HistoryDefinition)
      Found = {&E, &O};
  });
  return Found;
}

SymbolKind SymbolIndex::Impl::kindOf(unsigned Sym) const {
  SymbolKind K = Table.Syms[Sym].Kind;
  if (K != SymbolKind::Relation)
    return K;
  // A schema declaration says best; else the latest migration that says
  // (paths sort as the history's numbers do).
  const Occ *Decl = nullptr, *Latest = nullptr;
  forEach(Sym, nullptr, [&](const FileEntry &E, const Occ &O) {
    if (!O.KnownKind)
      return;
    if (O.TheRole == Role::Declaration && !E.isMigration())
      Decl = Decl ? Decl : &O;
    else
      Latest = &O;
  });
  if (Decl)
    return Decl->Kind;
  return Latest ? Latest->Kind : SymbolKind::Relation;
}

Symbol SymbolIndex::Impl::symbol(unsigned Sym) const {
  Symbol S = Table.Syms[Sym];
  S.Kind = kindOf(Sym);
  return S;
}
