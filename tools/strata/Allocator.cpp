//===- Allocator.cpp - How strata asks jemalloc to manage memory ----------===//
//
// A strata command builds a large tree of small objects, uses it once and
// exits. Two jemalloc defaults cost it dearly (docs/performance.md,
// "Memory"): memory comes in 4 KB pages, each faulted in on first touch
// (tens of thousands of faults, expensive in a VM), and freed memory is
// handed back to the system within seconds, only to be faulted in again.
// Transparent huge pages for the heap and no purging of freed memory
// halve the time of a large makemigrations or check. A huge page backs
// only a whole, aligned 2 MB of a mapping, so new mappings are placed on
// such boundaries (alignHeapToHugePages): with jemalloc's own placement a
// cold 1k makemigrations still took 2,300 faults, with it 290. `strata serve` and
// `strata lsp` run for a long time and return freed memory as usual
// (releaseFreedMemory).
// MALLOC_CONF in the environment still overrides these settings.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#ifdef STRATA_WITH_JEMALLOC
#include <cstring>
#include <jemalloc/jemalloc.h>
#include <sys/mman.h>

extern "C" {
// Read by jemalloc when it starts; the executable's definition takes the
// place of the library's default.
const char *malloc_conf = "thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1,narenas:1";
}

namespace {
/// jemalloc's own extent hooks, which ours defer to for all but placing
/// new mappings.
extent_hooks_t *JemallocHooks = nullptr;
extent_hooks_t AlignedHooks;
constexpr size_t HugePage = size_t(2) << 20;

/// A new mapping for jemalloc, aligned to a huge page. Only a range of
/// whole, aligned 2 MB inside one mapping can be backed by a huge page
/// when it is first touched; jemalloc's own mappings of 2.5, 3, 3.5 MB
/// start wherever the kernel puts them, so most of a short run's heap
/// came in 4 KB pages, each a fault.
void *allocAligned(extent_hooks_t *, void *NewAddr, size_t Size, size_t Alignment, bool *Zero,
                   bool *Commit, unsigned ArenaIndex) {
  if (NewAddr || Size < HugePage || Alignment > HugePage)
    return JemallocHooks->alloc(JemallocHooks, NewAddr, Size, Alignment, Zero, Commit, ArenaIndex);
  // Whole huge pages: the end of the last one stays mapped but unused.
  size_t Whole = (Size + HugePage - 1) & ~(HugePage - 1);
  void *Mapped = mmap(nullptr, Whole + HugePage, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (Mapped == MAP_FAILED)
    return nullptr;
  auto Begin = reinterpret_cast<uintptr_t>(Mapped);
  uintptr_t Start = (Begin + HugePage - 1) & ~(HugePage - 1);
  if (Start != Begin)
    munmap(Mapped, Start - Begin);
  if (size_t Tail = Begin + Whole + HugePage - (Start + Whole))
    munmap(reinterpret_cast<void *>(Start + Whole), Tail);
  madvise(reinterpret_cast<void *>(Start), Whole, MADV_HUGEPAGE);
  *Zero = true;
  *Commit = true;
  return reinterpret_cast<void *>(Start);
}
} // namespace

void strata::driver::alignHeapToHugePages() {
  // Only while huge pages are asked for (MALLOC_CONF=thp:never turns both off).
  const char *Thp = nullptr;
  size_t Length = sizeof(Thp);
  if (mallctl("opt.thp", &Thp, &Length, nullptr, 0) != 0 || !Thp || std::strcmp(Thp, "always"))
    return;
  size_t Size = sizeof(JemallocHooks);
  if (mallctl("arena.0.extent_hooks", &JemallocHooks, &Size, nullptr, 0) != 0 || !JemallocHooks)
    return;
  AlignedHooks = *JemallocHooks;
  AlignedHooks.alloc = allocAligned;
  extent_hooks_t *Ours = &AlignedHooks;
  mallctl("arena.0.extent_hooks", nullptr, nullptr, &Ours, sizeof(Ours));
}

void strata::driver::releaseFreedMemory() {
  // jemalloc's own defaults: freed pages go back within ten seconds.
  ssize_t Decay = 10000;
  mallctl("arenas.dirty_decay_ms", nullptr, nullptr, &Decay, sizeof(Decay));
  mallctl("arenas.muzzy_decay_ms", nullptr, nullptr, &Decay, sizeof(Decay));
  unsigned Narenas = 0;
  size_t Size = sizeof(Narenas);
  if (mallctl("arenas.narenas", &Narenas, &Size, nullptr, 0) != 0)
    return;
  for (unsigned I = 0; I < Narenas; ++I) {
    std::string Prefix = "arena." + std::to_string(I) + ".";
    mallctl((Prefix + "dirty_decay_ms").c_str(), nullptr, nullptr, &Decay, sizeof(Decay));
    mallctl((Prefix + "muzzy_decay_ms").c_str(), nullptr, nullptr, &Decay, sizeof(Decay));
  }
}
#else
void strata::driver::alignHeapToHugePages() {}
void strata::driver::releaseFreedMemory() {}
#endif
