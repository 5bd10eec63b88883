//===- Compare.h - Does the engine say what the server said? -----*- C++ -*-===//
#ifndef STRATA_CONFORMANCE_COMPARE_H
#define STRATA_CONFORMANCE_COMPARE_H

#include "Transcript.h"
#include <optional>
#include <string>

namespace strata::conformance {

/// The outcome check: a table must have the same columns and the same rows
/// (as a multiset of printed cells; order aside); anything else must agree
/// on failure versus success. Returns what differs, or nullopt.
/// ActualFailed is the engine side's failure as the executor reads its
/// reply (it sees error frames the printed text cannot show).
std::optional<std::string> outcomeDifference(const Outcome &Expected, const Outcome &Actual,
                                             bool ActualFailed);

} // namespace strata::conformance

#endif
