//===- Budget.cpp - What one statement has spent --------------------------===//
#include "Budget.h"
#include "llvm/ADT/StringRef.h"
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace strata::engine;

/// What one stored value costs: itself (16 bytes), plus, for a string or
/// a list that is not empty, the heap block copies of it share (its owner
/// count and text or elements), a string's characters past the
/// small-string buffer, and a list's elements. Each copy is charged the
/// block as if it were its own: the budget errs towards stopping early.
uint64_t strata::engine::valueBytes(const Value &V) {
  constexpr uint64_t StringBlockBytes = sizeof(strata::iql::detail::StringBlock);
  constexpr uint64_t ListBlockBytes =
      sizeof(strata::iql::detail::ValueBlock) + sizeof(std::vector<Value>);
  uint64_t N = sizeof(Value);
  if (V.kind() == Value::Kind::String && !V.asString().empty()) {
    N += StringBlockBytes;
    if (V.asString().size() >= 16)
      N += V.asString().size() + 1;
  }
  if (V.kind() == Value::Kind::List && !V.asList().empty()) {
    N += ListBlockBytes;
    for (const Value &E : V.asList())
      N += valueBytes(E);
  }
  return N;
}

uint64_t strata::engine::defaultMemoryBudget() {
  uint64_t Memory = 0;
  long Pages = sysconf(_SC_PHYS_PAGES), PageSize = sysconf(_SC_PAGESIZE);
  if (Pages > 0 && PageSize > 0)
    Memory = uint64_t(Pages) * uint64_t(PageSize);
  struct rlimit AddressSpace;
  if (getrlimit(RLIMIT_AS, &AddressSpace) == 0 && AddressSpace.rlim_cur != RLIM_INFINITY &&
      (Memory == 0 || AddressSpace.rlim_cur < Memory))
    Memory = AddressSpace.rlim_cur;
  return Memory ? Memory / 4 : uint64_t(1) << 30;
}

std::string strata::engine::byteSizeText(uint64_t Bytes) {
  const char *Units[] = {"KiB", "MiB", "GiB", "TiB"};
  if (Bytes < 1024)
    return std::to_string(Bytes) + " bytes";
  double N = double(Bytes);
  size_t U = 0;
  for (N /= 1024; N >= 1024 && U + 1 < std::size(Units); N /= 1024)
    ++U;
  std::string Text = fmt::format("{:.1f}", N);
  if (llvm::StringRef(Text).endswith(".0"))
    Text.resize(Text.size() - 2);
  return Text + " " + Units[U];
}

bool Budget::chargeStep() {
  if (!Reason.empty())
    return false;
  if (++Steps > Limits.Steps)
    stop(fmt::format("Evaluation stopped: it took more than {} join steps, the limit for one "
                     "statement (raise it with --max-steps or STRATA_MAX_STEPS)",
                     Limits.Steps));
  else if (Steps % DeadlineEvery == 0 && pastDeadline(Limits))
    stop("Evaluation stopped: the request ran past its time limit");
  return Reason.empty();
}

bool Budget::rowsExceeded() {
  stop(fmt::format("Evaluation stopped: it produced more than {} rows, the limit for one "
                   "statement (raise it with --max-rows or STRATA_MAX_ROWS)",
                   Limits.Rows));
  return false;
}

bool Budget::chargeBytes(uint64_t N) {
  if (!Reason.empty())
    return false;
  Bytes += N;
  if (Bytes > Limits.MemoryBytes)
    stop(fmt::format("Evaluation stopped: it needed more than {} of memory, the evaluation "
                     "budget of one statement (raise it with --max-memory or "
                     "STRATA_MAX_MEMORY)",
                     byteSizeText(Limits.MemoryBytes)));
  return Reason.empty();
}

void Budget::stop(std::string Why) {
  if (Reason.empty())
    Reason = std::move(Why);
}

std::string strata::engine::outOfMemoryText() {
  return "Evaluation stopped: the process ran out of memory; nothing was changed (lower the "
         "evaluation budget with --max-memory or STRATA_MAX_MEMORY so that a statement this "
         "large stops with this error sooner)";
}

bool strata::engine::passesFactLimit(const TupleSet &Existing,
                                     const std::vector<const Tuple *> &Deleted,
                                     const std::vector<const Tuple *> &Added, uint64_t Limit) {
  if (Existing.size() + Added.size() <= Limit)
    return false; // the common case, without building a set
  TupleSet Gone, New;
  for (const Tuple *T : Deleted)
    if (Existing.count(*T))
      Gone.insert(*T);
  for (const Tuple *T : Added)
    if (!Existing.count(*T) || Gone.count(*T))
      New.insert(*T);
  return Existing.size() - Gone.size() + New.size() > Limit;
}

std::string strata::engine::relationFactsExceeded(const std::string &Relation, uint64_t Limit) {
  return fmt::format("Relation '{}' would hold more than {} facts, the limit for one relation "
                     "(raise it with --max-facts or STRATA_MAX_FACTS); nothing was changed",
                     Relation, Limit);
}
