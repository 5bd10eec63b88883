//===- Plural.cpp - Counted nouns in diagnostics --------------------------===//
//
// Its own file because every check of a clause words counts with it: kept
// in the driver (CheckClause.cpp), it made the driver and the files it
// calls call each other.
//
//===----------------------------------------------------------------------===//
#include "ClauseChecker.h"

using namespace strata;

std::string strata::sema::plural(size_t N, llvm::StringRef Noun) {
  return fmt::format("{0} {1}{2}", N, std::string_view(Noun.data(), Noun.size()),
                     N == 1 ? "" : "s");
}
