//===- HashIndex.cpp - A relation's tuples by the values of some columns ---===//
#include "HashIndex.h"
#include <new>

using namespace strata::engine;

bool HashIndex::sameKey(const Tuple &Stored, const Tuple &Key) const {
  size_t K = 0;
  for (size_t I = 0; I < Stored.size() && I < 64; ++I)
    if ((Columns >> I) & 1)
      if (K >= Key.size() || Stored[I] != Key[K++])
        return false;
  return K == Key.size();
}

bool HashIndex::sameKeys(const Tuple &A, const Tuple &B) const {
  for (size_t I = 0; I < A.size() && I < 64; ++I)
    if ((Columns >> I) & 1)
      if (I >= B.size() || A[I] != B[I])
        return false;
  return true;
}

void HashIndex::rehash(size_t Capacity) {
  std::vector<Slot> Old(Capacity, Slot{0, Empty});
  Old.swap(Table);
  size_t Mask = Capacity - 1;
  for (const Slot &S : Old) {
    if (S.First == Empty)
      continue;
    size_t P = S.Hash & Mask;
    while (Table[P].First != Empty)
      P = (P + 1) & Mask;
    Table[P] = S;
  }
}

void HashIndex::add(const Tuple &T) {
  if ((Keys + 1) * 2 > Table.size())
    rehash(Table.empty() ? 16 : Table.size() * 2);
  if (Entries.size() >= Empty)
    throw std::bad_alloc(); // four billion entries: the memory budget stops far sooner
  uint32_t H = fold(TupleHash::columns(T, Columns));
  uint32_t New = uint32_t(Entries.size());
  Entries.push_back(Entry{&T, Empty, New});
  size_t Mask = Table.size() - 1;
  size_t P = H & Mask;
  for (; Table[P].First != Empty; P = (P + 1) & Mask) {
    const Slot &S = Table[P];
    Entry &First = Entries[S.First];
    if (S.Hash == H && sameKeys(*First.T, T)) {
      Entries[First.Last].Next = New;
      First.Last = New;
      return;
    }
  }
  Table[P] = Slot{H, New};
  ++Keys;
}

HashIndex::Matches HashIndex::find(const Tuple &Key) const {
  if (Table.empty())
    return Matches(nullptr, Empty);
  uint32_t H = fold(TupleHash()(Key));
  size_t Mask = Table.size() - 1;
  for (size_t P = H & Mask; Table[P].First != Empty; P = (P + 1) & Mask) {
    const Slot &S = Table[P];
    if (S.Hash == H && sameKey(*Entries[S.First].T, Key))
      return Matches(Entries.data(), S.First);
  }
  return Matches(nullptr, Empty);
}
