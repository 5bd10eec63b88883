//===- Generator.h - Seeded migration-shaped IQL programs -------*- C++ -*-===//
//
// Programs shaped like what a migration sends (schemas, facts, persistent
// rules with the server's functions and aggregates, conditional deletes,
// drops, index commands), mostly valid, with some statements mutated the
// ways a hand-edited migration goes wrong: wrong arity, unknown names, type
// errors, unsafe variables, misspelled functions, bad aggregate use. The
// same seed always gives the same program. Functions and aggregates come
// from the tables (Functions.def, Aggregates.def via Builtins.h).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_DIFFTEST_GENERATOR_H
#define STRATA_DIFFTEST_GENERATOR_H

#include <cstdint>
#include <string>

namespace strata::difftest {

/// One program, a statement per line, ending in a newline.
std::string generateProgram(uint64_t Seed);

} // namespace strata::difftest

#endif
