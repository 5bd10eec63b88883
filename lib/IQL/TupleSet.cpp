//===- TupleSet.cpp - A set of facts ---------------------------------------===//
#include "strata/IQL/TupleSet.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <limits>
#include <new>
#include <numeric>

using namespace strata::iql;

namespace {
/// Chunk K of the arena holds 16 << K tuples and starts at index
/// 16 * (2^K - 1): a set of three facts allocates room for 16, a set of
/// ten million wastes at most half of its last chunk.
struct ArenaPlace {
  size_t Chunk, Offset;
};

ArenaPlace arenaPlace(uint32_t I) {
  uint64_t J = uint64_t(I) + 16;
  unsigned Top = 63 - unsigned(__builtin_clzll(J));
  size_t Chunk = Top - 4;
  return {Chunk, size_t(J - (uint64_t(16) << Chunk))};
}

/// The smallest power of two of at least 16 that holds N entries at a
/// load of at most a half (so that growth rehashes rarely).
size_t capacityFor(size_t N) {
  size_t Cap = 16;
  while (Cap < N * 2)
    Cap *= 2;
  return Cap;
}
} // namespace

TupleSet::Chunk TupleSet::allocateChunk(size_t K) {
  return Chunk(static_cast<Tuple *>(::operator new(sizeof(Tuple) * (size_t(16) << K))));
}

TupleSet::TupleSet(const TupleSet &O)
    : Table(O.Table), Dead(O.Dead), Free(O.Free), Used(0), Erased(O.Erased) {
  Chunks.reserve(O.Chunks.size());
  for (size_t K = 0; K < O.Chunks.size(); ++K)
    Chunks.push_back(allocateChunk(K));
  try {
    for (; Used < O.Used; ++Used)
      new (&at(Used)) Tuple(O.at(Used));
  } catch (...) {
    destroyTuples(); // the Used constructed so far
    throw;
  }
}

TupleSet &TupleSet::operator=(const TupleSet &O) {
  if (this != &O) {
    TupleSet Copy(O);
    swap(Copy);
  }
  return *this;
}

TupleSet &TupleSet::operator=(TupleSet &&O) noexcept {
  if (this != &O) {
    clear();
    swap(O);
  }
  return *this;
}

TupleSet::~TupleSet() { destroyTuples(); }

void TupleSet::destroyTuples() {
  for (uint32_t I = 0; I < Used; ++I)
    at(I).~Tuple();
  Used = 0;
}

void TupleSet::swap(TupleSet &O) noexcept {
  Chunks.swap(O.Chunks);
  Table.swap(O.Table);
  Dead.swap(O.Dead);
  Free.swap(O.Free);
  std::swap(Used, O.Used);
  std::swap(Erased, O.Erased);
}

const Tuple &TupleSet::at(uint32_t I) const {
  ArenaPlace P = arenaPlace(I);
  return Chunks[P.Chunk][P.Offset];
}

Tuple &TupleSet::at(uint32_t I) {
  ArenaPlace P = arenaPlace(I);
  return Chunks[P.Chunk][P.Offset];
}

uint32_t TupleSet::nextLive(uint32_t I) const {
  if (Dead.empty())
    return std::min(I, Used);
  while (I < Used && Dead[I])
    ++I;
  return std::min(I, Used);
}

size_t TupleSet::probe(const Tuple &T, uint32_t H) const {
  size_t Mask = Table.size() - 1;
  for (size_t P = H & Mask;; P = (P + 1) & Mask) {
    const Slot &S = Table[P];
    if (S.Index == EmptySlot)
      return P;
    if (S.Index != ErasedSlot && S.Hash == H && at(S.Index) == T)
      return P;
  }
}

void TupleSet::rehash(size_t Capacity) {
  std::vector<Slot> Old(Capacity, Slot{0, EmptySlot});
  Old.swap(Table);
  size_t Mask = Capacity - 1;
  for (const Slot &S : Old) {
    if (S.Index >= ErasedSlot)
      continue;
    size_t P = S.Hash & Mask;
    while (Table[P].Index != EmptySlot)
      P = (P + 1) & Mask;
    Table[P] = S;
  }
  Erased = 0;
}

/// Keeps the table at most three quarters full (erased slots count: they
/// lengthen probes too) once Live tuples are in it.
void TupleSet::growFor(size_t Live) {
  if (!Table.empty() && (Live + Erased) * 4 <= Table.size() * 3)
    return;
  rehash(capacityFor(Live));
}

void TupleSet::reserve(size_t N) {
  if (N > size())
    growFor(N);
}

uint32_t TupleSet::place() {
  if (!Free.empty()) {
    uint32_t I = Free.back();
    Free.pop_back();
    Dead[I] = false;
    return I;
  }
  if (Used >= ErasedSlot)
    throw std::bad_alloc(); // four billion facts: the memory budget stops far sooner
  uint32_t I = Used;
  if (arenaPlace(I).Chunk == Chunks.size())
    Chunks.push_back(allocateChunk(Chunks.size()));
  if (!Dead.empty())
    Dead.push_back(false);
  new (&at(I)) Tuple();
  ++Used;
  return I;
}

template <typename T>
std::pair<TupleSet::const_iterator, bool> TupleSet::add(T &&Tup, size_t Hash) {
  uint32_t H = fold(Hash);
  growFor(size() + 1);
  size_t P = probe(Tup, H);
  if (Table[P].Index != EmptySlot)
    return {const_iterator(this, Table[P].Index), false};
  uint32_t I = place();
  at(I) = std::forward<T>(Tup);
  Table[P] = Slot{H, I};
  return {const_iterator(this, I), true};
}

// GCC judges a function that only prefetches to have no effect, and drops
// calls to it: hence the attribute.
__attribute__((noipa)) void TupleSet::prefetchLookups(llvm::ArrayRef<size_t> Hashes) const {
  size_t Mask = Table.size() - 1;
  for (size_t H : Hashes)
    __builtin_prefetch(&Table[fold(H) & Mask]);
  // A slot whose hash agrees is most likely the tuple itself (a derived
  // fact found again): its stored vector, then its values.
  auto Candidate = [&](size_t H) -> const Tuple * {
    const Slot &S = Table[fold(H) & Mask];
    return S.Index < ErasedSlot && S.Hash == fold(H) ? &at(S.Index) : nullptr;
  };
  for (size_t H : Hashes)
    if (const Tuple *T = Candidate(H))
      __builtin_prefetch(T);
  for (size_t H : Hashes)
    if (const Tuple *T = Candidate(H))
      __builtin_prefetch(T->data());
}

void TupleSet::insertBatch(llvm::MutableArrayRef<Tuple> Batch, llvm::ArrayRef<size_t> Hashes,
                           llvm::function_ref<void(const Tuple &)> Added) {
  // A batch of one has no lookups to overlap (a closure along a chain
  // derives one fact a round): it is one insert.
  if (Batch.size() <= 1) {
    if (Batch.empty())
      return;
    auto [It, New] = add(std::move(Batch.front()), Hashes.front());
    if (New)
      Added(*It);
    return;
  }
  // Room for the whole batch first: no rehash moves the slots between
  // the prefetches and the inserts.
  growFor(size() + Batch.size());
  prefetchLookups(Hashes);
  for (size_t I = 0; I < Batch.size(); ++I) {
    auto [It, New] = add(std::move(Batch[I]), Hashes[I]);
    if (New)
      Added(*It);
  }
}

std::pair<TupleSet::const_iterator, bool> TupleSet::insert(const Tuple &T, size_t Hash) {
  return add(T, Hash);
}

std::pair<TupleSet::const_iterator, bool> TupleSet::insert(Tuple &&T, size_t Hash) {
  return add(std::move(T), Hash);
}

TupleSet::const_iterator TupleSet::find(const Tuple &T, size_t Hash) const {
  if (Table.empty())
    return end();
  const Slot &S = Table[probe(T, fold(Hash))];
  return S.Index == EmptySlot ? end() : const_iterator(this, S.Index);
}

size_t TupleSet::erase(const Tuple &T, size_t Hash) {
  if (Table.empty())
    return 0;
  Slot &S = Table[probe(T, fold(Hash))];
  if (S.Index == EmptySlot)
    return 0;
  uint32_t I = S.Index;
  S.Index = ErasedSlot;
  ++Erased;
  // T may be the stored tuple itself: it is not read after this.
  Tuple().swap(at(I));
  if (Dead.empty())
    Dead.assign(Used, false);
  Dead[I] = true;
  Free.push_back(I);
  if (empty())
    clear();
  return 1;
}

TupleSet::const_iterator TupleSet::erase(const_iterator It) {
  uint32_t Next = It.Index + 1;
  erase(*It, hashOf(*It));
  return const_iterator(this, nextLive(Next));
}

void TupleSet::clear() {
  destroyTuples();
  std::vector<Chunk>().swap(Chunks);
  std::vector<Slot>().swap(Table);
  std::vector<bool>().swap(Dead);
  std::vector<uint32_t>().swap(Free);
  Erased = 0;
}

bool TupleSet::operator==(const TupleSet &O) const {
  if (size() != O.size())
    return false;
  for (const Tuple &T : *this)
    if (!O.count(T))
      return false;
  return true;
}

bool strata::iql::tupleLess(const Tuple &A, const Tuple &B) {
  for (size_t I = 0; I < A.size() && I < B.size(); ++I) {
    const Value &X = A[I], &Y = B[I];
    // Two integers, the most common pair, compare here; compareValues
    // gives the same order for them (replies sort thousands of rows).
    if (X.kind() == Value::Kind::Int && Y.kind() == Value::Kind::Int) {
      if (X.asInt() != Y.asInt())
        return X.asInt() < Y.asInt();
      continue;
    }
    if (int C = compareValues(X, Y))
      return C < 0;
  }
  return A.size() < B.size();
}

namespace {
/// A tuple's integers packed into one unsigned key (see packKeys), and
/// its place in the list being sorted.
struct PackedKey {
  uint64_t Key;
  uint32_t Index;
};

/// Packs each tuple's Arity integers (Keys, flat) into one 64-bit key
/// whose unsigned order is tupleLess's: each column's value less the
/// column's least, in as many bits as the column's range needs, the first
/// column highest. False when the ranges need more than 64 bits. Bits is
/// set to the key's width.
bool packKeys(const std::vector<int64_t> &Keys, size_t Arity, std::vector<PackedKey> &Out,
              unsigned &Bits) {
  size_t N = Keys.size() / Arity;
  std::vector<uint64_t> Least(Arity);
  std::vector<unsigned> Shift(Arity);
  Bits = 0;
  for (size_t C = Arity; C-- > 0;) {
    int64_t Lo = Keys[C], Hi = Keys[C];
    for (size_t I = 1; I < N; ++I) {
      Lo = std::min(Lo, Keys[I * Arity + C]);
      Hi = std::max(Hi, Keys[I * Arity + C]);
    }
    uint64_t Range = uint64_t(Hi) - uint64_t(Lo); // exact, in unsigned arithmetic
    unsigned Width = Range ? 64 - unsigned(__builtin_clzll(Range)) : 0;
    if (Bits + Width > 64)
      return false;
    Least[C] = uint64_t(Lo);
    Shift[C] = Bits;
    Bits += Width;
  }
  Out.resize(N);
  for (size_t I = 0; I < N; ++I) {
    uint64_t Key = 0;
    for (size_t C = 0; C < Arity; ++C)
      if (Shift[C] < 64) // a column of one value in a 64-bit key adds nothing
        Key |= (uint64_t(Keys[I * Arity + C]) - Least[C]) << Shift[C];
    Out[I] = PackedKey{Key, uint32_t(I)};
  }
  return true;
}

/// Sorts Items by key, a byte at a time from the lowest (a stable
/// counting sort per byte), over the key's Bits low bits only; a byte
/// every key shares costs its count and no move.
void radixSort(std::vector<PackedKey> &Items, unsigned Bits) {
  std::vector<PackedKey> Other(Items.size());
  for (unsigned Shift = 0; Shift < Bits; Shift += 8) {
    size_t Count[257] = {};
    for (const PackedKey &P : Items)
      ++Count[((P.Key >> Shift) & 0xff) + 1];
    if (llvm::is_contained(Count, Items.size()))
      continue;
    for (size_t D = 1; D < 257; ++D)
      Count[D] += Count[D - 1];
    for (const PackedKey &P : Items)
      Other[Count[(P.Key >> Shift) & 0xff]++] = P;
    Items.swap(Other);
  }
}

/// Sorts Refs as tupleLess orders them when every tuple holds the same
/// number (at most four) of integers, the most common reply (ids): the
/// integers are copied flat, and packed into one key per tuple when their
/// ranges fit 64 bits (a radix sort then orders them, a few passes over
/// the keys), else compared in the flat copy. False, having changed
/// nothing, when the tuples are not such.
bool sortIntegerTupleRefs(std::vector<const Tuple *> &Refs) {
  size_t Arity = Refs.front()->size();
  if (Arity == 0 || Arity > 4 || Refs.size() > std::numeric_limits<uint32_t>::max())
    return false;
  std::vector<int64_t> Keys;
  Keys.reserve(Refs.size() * Arity);
  for (const Tuple *T : Refs) {
    if (T->size() != Arity)
      return false;
    for (const Value &V : *T) {
      if (V.kind() != Value::Kind::Int)
        return false;
      Keys.push_back(V.asInt());
    }
  }
  std::vector<const Tuple *> Sorted;
  Sorted.reserve(Refs.size());
  std::vector<PackedKey> Packed;
  unsigned Bits = 0;
  if (packKeys(Keys, Arity, Packed, Bits)) {
    radixSort(Packed, Bits);
    for (const PackedKey &P : Packed)
      Sorted.push_back(Refs[P.Index]);
  } else {
    std::vector<uint32_t> Order(Refs.size());
    std::iota(Order.begin(), Order.end(), 0);
    const int64_t *K = Keys.data();
    std::sort(Order.begin(), Order.end(), [K, Arity](uint32_t A, uint32_t B) {
      const int64_t *X = K + size_t(A) * Arity, *Y = K + size_t(B) * Arity;
      for (size_t I = 0; I < Arity; ++I)
        if (X[I] != Y[I])
          return X[I] < Y[I];
      return false;
    });
    for (uint32_t I : Order)
      Sorted.push_back(Refs[I]);
  }
  Refs = std::move(Sorted);
  return true;
}
} // namespace

void strata::iql::sortTupleRefs(std::vector<const Tuple *> &Refs) {
  auto Less = [](const Tuple *A, const Tuple *B) { return tupleLess(*A, *B); };
  // A set filled in order (read from a state file, or moved from one that
  // was) iterates in order already: one comparison per tuple says so, and
  // the sort is skipped.
  if (std::is_sorted(Refs.begin(), Refs.end(), Less) || sortIntegerTupleRefs(Refs))
    return;
  std::sort(Refs.begin(), Refs.end(), Less);
}

std::vector<const Tuple *> strata::iql::sortedTupleRefs(const TupleSet &S) {
  std::vector<const Tuple *> Out;
  Out.reserve(S.size());
  for (const Tuple &T : S)
    Out.push_back(&T);
  sortTupleRefs(Out);
  return Out;
}

std::vector<Tuple> strata::iql::sortedTuples(const TupleSet &S) {
  std::vector<Tuple> Out(S.begin(), S.end());
  std::sort(Out.begin(), Out.end(), tupleLess);
  return Out;
}
