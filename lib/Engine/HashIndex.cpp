//===- HashIndex.cpp - A relation's tuples by the values of some columns ---===//
#include "HashIndex.h"

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
    if (S.Bucket == Empty)
      continue;
    size_t P = S.Hash & Mask;
    while (Table[P].Bucket != Empty)
      P = (P + 1) & Mask;
    Table[P] = S;
  }
}

void HashIndex::add(const Tuple &T) {
  if ((Buckets.size() + 1) * 2 > Table.size())
    rehash(Table.empty() ? 16 : Table.size() * 2);
  uint32_t H = fold(TupleHash::columns(T, Columns));
  size_t Mask = Table.size() - 1;
  size_t P = H & Mask;
  for (; Table[P].Bucket != Empty; P = (P + 1) & Mask) {
    const Slot &S = Table[P];
    Bucket &B = Buckets[S.Bucket];
    if (S.Hash == H && sameKeys(*B.First, T)) {
      addToBucket(B, T);
      return;
    }
  }
  Table[P] = Slot{H, uint32_t(Buckets.size())};
  Buckets.push_back(Bucket{&T, Empty});
}

void HashIndex::addToBucket(Bucket &B, const Tuple &T) {
  if (B.More != Empty) {
    Overflow[B.More].push_back(&T);
    return;
  }
  B.More = uint32_t(Overflow.size());
  Overflow.push_back({B.First, &T}); // one block for the first two
}

llvm::ArrayRef<const Tuple *> HashIndex::find(const Tuple &Key) const {
  if (Table.empty())
    return {};
  uint32_t H = fold(TupleHash()(Key));
  size_t Mask = Table.size() - 1;
  for (size_t P = H & Mask; Table[P].Bucket != Empty; P = (P + 1) & Mask) {
    const Slot &S = Table[P];
    const Bucket &B = Buckets[S.Bucket];
    if (S.Hash == H && sameKey(*B.First, Key))
      return B.More == Empty ? llvm::ArrayRef<const Tuple *>(B.First)
                             : llvm::ArrayRef<const Tuple *>(Overflow[B.More]);
  }
  return {};
}
