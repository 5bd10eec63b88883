//===- Allocator.cpp - How strata asks jemalloc to manage memory ----------===//
//
// A strata command builds a large tree of small objects, uses it once and
// exits. Two jemalloc defaults cost it dearly (docs/performance.md,
// "Memory"): memory comes in 4 KB pages, each faulted in on first touch
// (tens of thousands of faults, expensive in a VM), and freed memory is
// handed back to the system within seconds, only to be faulted in again.
// Transparent huge pages for the heap and no purging of freed memory
// halve the time of a large makemigrations or check. `strata serve` and
// `strata lsp` run for a long time and return freed memory as usual
// (releaseFreedMemory).
// MALLOC_CONF in the environment still overrides these settings.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#ifdef STRATA_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>

extern "C" {
// Read by jemalloc when it starts; the executable's definition takes the
// place of the library's default.
const char *malloc_conf = "thp:always,dirty_decay_ms:-1,muzzy_decay_ms:-1,narenas:1";
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
void strata::driver::releaseFreedMemory() {}
#endif
