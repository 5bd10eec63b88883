//===- HashIndex.h - A relation's tuples by the values of some columns -*- C++ -*-===//
//
// A join looks up the tuples of a relation whose values at its bound
// columns are known. An index files pointers to the tuples (stored in a
// TupleSet, whose tuples never move) under their values at those columns.
// It keeps no copy of a key: a bucket's key is read from its first tuple.
// The tuples of all keys sit in one array, each entry linking to the next
// of its key, so filing a tuple allocates only when the arrays grow (not
// per key, nor when a key gets a second tuple), and dropping the index
// frees a few arrays. A lookup compares hashes in one array of 8-byte
// slots before it reads a tuple.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_HASHINDEX_H
#define STRATA_LIB_ENGINE_HASHINDEX_H

#include "IqlTypes.h"
#include <cstdint>
#include <iterator>
#include <vector>

namespace strata::engine {

class HashIndex {
  static constexpr uint32_t Empty = UINT32_MAX;
  struct Entry {
    const Tuple *T;
    uint32_t Next; // the key's next entry; Empty after its last
    uint32_t Last; // in a key's first entry: the key's last entry
  };

public:
  /// The tuples of one key, in the order they were filed.
  class Matches {
  public:
    class iterator {
    public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = const Tuple *;
      using difference_type = std::ptrdiff_t;
      using pointer = const Tuple *const *;
      using reference = const Tuple *const &;
      iterator(const Entry *Entries, uint32_t I) : Entries(Entries), I(I) {}
      reference operator*() const { return Entries[I].T; }
      iterator &operator++() {
        I = Entries[I].Next;
        return *this;
      }
      bool operator==(const iterator &O) const { return I == O.I; }
      bool operator!=(const iterator &O) const { return I != O.I; }

    private:
      const Entry *Entries;
      uint32_t I;
    };
    Matches(const Entry *Entries, uint32_t First) : Entries(Entries), First(First) {}
    iterator begin() const { return iterator(Entries, First); }
    iterator end() const { return iterator(Entries, Empty); }
    bool empty() const { return First == Empty; }
    size_t size() const { return size_t(std::distance(begin(), end())); }

  private:
    const Entry *Entries;
    uint32_t First;
  };

  /// Columns: the key's columns as bits (among the first 64).
  explicit HashIndex(uint64_t Columns) : Columns(Columns) {}

  /// Files T (which must outlive the index) under its key.
  void add(const Tuple &T);
  /// The tuples whose key is Key (the values at the key's columns, in
  /// column order); empty when there are none. Valid until the next add().
  Matches find(const Tuple &Key) const;
  /// How many distinct keys are filed.
  size_t keys() const { return Keys; }

private:
  struct Slot {
    uint32_t Hash;
    uint32_t First; // the key's first entry, whose tuple gives the key; Empty when unused
  };
  static uint32_t fold(size_t H) { return uint32_t(uint64_t(H) ^ (uint64_t(H) >> 32)); }
  bool sameKey(const Tuple &Stored, const Tuple &Key) const;
  bool sameKeys(const Tuple &A, const Tuple &B) const;
  void rehash(size_t Capacity);

  uint64_t Columns;
  std::vector<Slot> Table; // a power of two, at most half full; or empty
  std::vector<Entry> Entries;
  size_t Keys = 0;
};

} // namespace strata::engine

#endif
