//===- HashIndex.h - A relation's tuples by the values of some columns -*- C++ -*-===//
//
// A join looks up the tuples of a relation whose values at its bound
// columns are known. An index files pointers to the tuples (stored in a
// TupleSet, whose tuples never move) under their values at those columns.
// It keeps no copy of a key: a bucket's key is read from its first tuple.
// A bucket of one tuple (every key of a relation's key column, and most
// of a join's) holds it inline, so filing a tuple allocates only when a
// bucket gets its second tuple or the arrays grow, and dropping the index
// frees a few arrays rather than a block per key. A lookup compares
// hashes in one array of 8-byte slots before it reads a tuple.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_HASHINDEX_H
#define STRATA_LIB_ENGINE_HASHINDEX_H

#include "IqlTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <vector>

namespace strata::engine {

class HashIndex {
public:
  /// Columns: the key's columns as bits (among the first 64).
  explicit HashIndex(uint64_t Columns) : Columns(Columns) {}

  /// Files T (which must outlive the index) under its key.
  void add(const Tuple &T);
  /// The tuples whose key is Key (the values at the key's columns, in
  /// column order), in the order they were filed; empty when there are
  /// none. Valid until the next add().
  llvm::ArrayRef<const Tuple *> find(const Tuple &Key) const;
  /// How many distinct keys are filed.
  size_t keys() const { return Buckets.size(); }

private:
  struct Slot {
    uint32_t Hash;
    uint32_t Bucket; // Empty when unused
  };
  /// The tuples of one key: the first inline, and when there are more,
  /// all of them in Overflow[More].
  struct Bucket {
    const Tuple *First;
    uint32_t More; // Empty when First is the only one
  };
  static constexpr uint32_t Empty = UINT32_MAX;
  static uint32_t fold(size_t H) { return uint32_t(uint64_t(H) ^ (uint64_t(H) >> 32)); }
  bool sameKey(const Tuple &Stored, const Tuple &Key) const;
  bool sameKeys(const Tuple &A, const Tuple &B) const;
  void rehash(size_t Capacity);
  void addToBucket(Bucket &B, const Tuple &T);

  uint64_t Columns;
  std::vector<Slot> Table; // a power of two, at most half full; or empty
  std::vector<Bucket> Buckets;
  std::vector<std::vector<const Tuple *>> Overflow;
};

} // namespace strata::engine

#endif
