//===- TupleSet.h - A set of facts ------------------------------*- C++ -*-===//
//
// A relation's facts, and every other set of tuples the engine builds. The
// tuples sit in an arena of chunks that never move, so a pointer to a
// stored tuple stays valid until that tuple is erased (indexes hold such
// pointers while the set grows). Membership is an open-addressing table of
// 8-byte slots, each a tuple's index in the arena and 32 bits of its hash:
// a probe compares hashes in one array and reads a tuple only when they
// agree, and finding a tuple that is already there allocates nothing.
// A hash computed once can be passed to contains() and insert().
//
// Iteration is in arena order: insertion order, except that an erased
// tuple's place is reused by a later insert. Replies and the state file
// sort what they print (sortedTuples), so nothing depends on that order.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_TUPLESET_H
#define STRATA_IQL_TUPLESET_H

#include "strata/IQL/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <cstdint>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace strata::iql {

class TupleSet {
public:
  class const_iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Tuple;
    using difference_type = std::ptrdiff_t;
    using pointer = const Tuple *;
    using reference = const Tuple &;

    const_iterator() = default;
    reference operator*() const { return Set->at(Index); }
    pointer operator->() const { return &Set->at(Index); }
    const_iterator &operator++() {
      Index = Set->nextLive(Index + 1);
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator Old = *this;
      ++*this;
      return Old;
    }
    bool operator==(const const_iterator &O) const { return Index == O.Index; }
    bool operator!=(const const_iterator &O) const { return Index != O.Index; }

  private:
    friend class TupleSet;
    const_iterator(const TupleSet *Set, uint32_t Index) : Set(Set), Index(Index) {}
    const TupleSet *Set = nullptr;
    uint32_t Index = 0;
  };
  using iterator = const_iterator;
  using value_type = Tuple;

  TupleSet() = default;
  TupleSet(const TupleSet &O);
  TupleSet(TupleSet &&O) noexcept { swap(O); }
  TupleSet &operator=(const TupleSet &O);
  TupleSet &operator=(TupleSet &&O) noexcept;
  ~TupleSet();
  void swap(TupleSet &O) noexcept;

  static size_t hashOf(const Tuple &T) { return TupleHash()(T); }

  size_t size() const { return Used - Free.size(); }
  bool empty() const { return size() == 0; }
  const_iterator begin() const { return const_iterator(this, nextLive(0)); }
  const_iterator end() const { return const_iterator(this, Used); }

  /// Adds T unless an equal tuple is there; the stored tuple, and whether
  /// it is new. Hash, when given, is hashOf(T).
  std::pair<const_iterator, bool> insert(const Tuple &T) { return insert(T, hashOf(T)); }
  std::pair<const_iterator, bool> insert(Tuple &&T) {
    size_t H = hashOf(T);
    return insert(std::move(T), H);
  }
  std::pair<const_iterator, bool> insert(const Tuple &T, size_t Hash);
  std::pair<const_iterator, bool> insert(Tuple &&T, size_t Hash);
  /// Inserts the tuples of Batch in order, exactly as one insert() each
  /// would (Hashes[I] is hashOf(Batch[I])), moving each new one into the
  /// set and calling Added with it. A lookup in a large set waits on two
  /// or three cache misses in turn (the slot, the stored tuple, its
  /// values); for a batch they are requested for every tuple first, so
  /// that they overlap. Evaluation derives a closure's facts this way.
  void insertBatch(llvm::MutableArrayRef<Tuple> Batch, llvm::ArrayRef<size_t> Hashes,
                   llvm::function_ref<void(const Tuple &)> Added);
  template <typename It> void insert(It First, It Last) {
    for (; First != Last; ++First)
      insert(*First);
  }

  const_iterator find(const Tuple &T) const { return find(T, hashOf(T)); }
  const_iterator find(const Tuple &T, size_t Hash) const;
  size_t count(const Tuple &T) const { return find(T) != end(); }
  bool contains(const Tuple &T, size_t Hash) const { return find(T, Hash) != end(); }

  /// Removes T; 1 when it was there. Pointers to other tuples stay valid.
  size_t erase(const Tuple &T) { return erase(T, hashOf(T)); }
  size_t erase(const Tuple &T, size_t Hash);
  const_iterator erase(const_iterator It);

  /// Makes room for N tuples in all without rehashing.
  void reserve(size_t N);
  void clear();

  bool operator==(const TupleSet &O) const;
  bool operator!=(const TupleSet &O) const { return !(*this == O); }

private:
  struct Slot {
    uint32_t Hash;
    uint32_t Index;
  };
  static constexpr uint32_t EmptySlot = UINT32_MAX, ErasedSlot = UINT32_MAX - 1;
  static constexpr unsigned FirstChunkBits = 4; // the first chunk holds 16

  static uint32_t fold(size_t H) { return uint32_t(uint64_t(H) ^ (uint64_t(H) >> 32)); }
  const Tuple &at(uint32_t I) const;
  Tuple &at(uint32_t I);
  bool live(uint32_t I) const { return Dead.empty() || !Dead[I]; }
  uint32_t nextLive(uint32_t I) const;
  /// The table slot holding T, or where it would go (an empty slot).
  size_t probe(const Tuple &T, uint32_t H) const;
  void growFor(size_t Live);
  /// Asks the memory system for what a lookup of each hash will compare.
  void prefetchLookups(llvm::ArrayRef<size_t> Hashes) const;
  void rehash(size_t Capacity);
  /// An arena index for a new tuple: a freed one, else the next.
  uint32_t place();
  template <typename T> std::pair<const_iterator, bool> add(T &&Tup, size_t Hash);

  /// A chunk's storage: its tuples are constructed one by one as place()
  /// hands their indexes out, so that the untouched end of a large last
  /// chunk costs no memory, and destroyed by destroyTuples().
  struct FreeStorage {
    void operator()(Tuple *P) const { ::operator delete(static_cast<void *>(P)); }
  };
  using Chunk = std::unique_ptr<Tuple[], FreeStorage>;
  static Chunk allocateChunk(size_t K);
  void destroyTuples();

  std::vector<Chunk> Chunks;  // chunk K holds 16 << K tuples, Used in all
  std::vector<Slot> Table;    // a power of two, or empty
  std::vector<bool> Dead;     // per arena index; empty: none
  std::vector<uint32_t> Free; // erased arena indexes
  uint32_t Used = 0;          // arena indexes handed out
  size_t Erased = 0;          // ErasedSlot entries in Table
};

bool tupleLess(const Tuple &A, const Tuple &B);
/// The tuples of S in the order replies and the state file use.
std::vector<Tuple> sortedTuples(const TupleSet &S);
/// The same order without copying the tuples (a state file of a million
/// facts is written from these).
std::vector<const Tuple *> sortedTupleRefs(const TupleSet &S);
/// Sorts Refs by tupleLess; tuples of one arity (at most four) of integers
/// only are sorted through a flat copy of their values, radix-sorted as one
/// packed key each when their ranges fit 64 bits, in the same order.
void sortTupleRefs(std::vector<const Tuple *> &Refs);

} // namespace strata::iql

#endif
