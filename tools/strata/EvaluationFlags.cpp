//===- EvaluationFlags.cpp - The engine's limits from flags ---------------===//
#include "EvaluationFlags.h"
#include "strata/Engine/Evaluation.h"
#include "strata/Engine/Limits.h"
#include "llvm/ADT/StringExtras.h"
#include <cstdlib>

using namespace strata;
using namespace strata::driver;

std::vector<OptionSpec> driver::evaluationOptions() {
  return {
      {"--max-memory", "SIZE",
       "memory one statement may build on the embedded engine, e.g. `512M`, `2G` (default: a "
       "quarter of physical memory; env STRATA_MAX_MEMORY)"},
      {"--max-rows", "N",
       "rows one statement may build or answer (default: 100000000; env STRATA_MAX_ROWS)"},
      {"--max-facts", "N", "facts one relation may hold (default: 50000000; env STRATA_MAX_FACTS)"},
      {"--max-steps", "N",
       "join steps one statement may take (default: 500000000; env STRATA_MAX_STEPS)"},
  };
}

std::optional<uint64_t> driver::parseByteSize(llvm::StringRef Text) {
  llvm::StringRef Digits = Text.take_while(llvm::isDigit);
  llvm::StringRef Unit = Text.drop_front(Digits.size()).lower();
  uint64_t N = 0;
  if (Digits.empty() || Digits.getAsInteger(10, N) || N == 0)
    return std::nullopt;
  unsigned Shift = 0;
  std::string U = Unit.str();
  if (!U.empty() && U != "b") {
    size_t Pos = std::string("kmgt").find(U[0]);
    if (Pos == std::string::npos || (U.size() > 1 && U.substr(1) != "b" && U.substr(1) != "ib"))
      return std::nullopt;
    Shift = 10 * unsigned(Pos + 1);
  }
  if (N > (uint64_t(1) << (62 - Shift)))
    return std::nullopt;
  return N << Shift;
}

namespace {
/// One limit: its flag, its variable, how its value reads, where it goes.
struct LimitSetting {
  const char *Flag;
  const char *Variable;
  bool Bytes;
  uint64_t *Field;
};

/// The value of S from its flag or variable; false after a usage error.
bool readSetting(const Invocation &Inv, const LimitSetting &S, int &Exit) {
  std::optional<std::string> Text = Inv.value(S.Flag);
  std::string From = std::string("`") + S.Flag + "`";
  if (!Text) {
    const char *Env = std::getenv(S.Variable);
    if (!Env || !*Env)
      return true;
    Text = Env;
    From = S.Variable;
  }
  std::optional<uint64_t> N;
  uint64_t Count = 0;
  if (S.Bytes)
    N = parseByteSize(*Text);
  else if (!llvm::StringRef(*Text).getAsInteger(10, Count) && Count > 0)
    N = Count;
  if (!N) {
    Exit = Inv.usageError(From +
                          (S.Bytes ? " must be a size such as `512M` or `2G`, not `"
                                   : " must be a positive number, not `") +
                          *Text + "`");
    return false;
  }
  *S.Field = *N;
  return true;
}
} // namespace

bool driver::applyEvaluationOptions(const Invocation &Inv, int &Exit) {
  engine::EvaluationLimits &L = engine::evaluationLimits();
  const LimitSetting Settings[] = {{"--max-memory", "STRATA_MAX_MEMORY", true, &L.MemoryBytes},
                                   {"--max-rows", "STRATA_MAX_ROWS", false, &L.Rows},
                                   {"--max-facts", "STRATA_MAX_FACTS", false, &L.RelationFacts},
                                   {"--max-steps", "STRATA_MAX_STEPS", false, &L.Steps}};
  for (const LimitSetting &S : Settings)
    if (!readSetting(Inv, S, Exit))
      return false;
  // Full evaluation of bound queries, the reference the differential tests
  // compare demand-driven evaluation with (docs/engine.md).
  if (const char *Env = std::getenv("STRATA_EVALUATION"); Env && *Env) {
    std::optional<engine::QueryEvaluation> Choice = engine::parseQueryEvaluation(Env);
    if (!Choice) {
      Exit = Inv.usageError(std::string("STRATA_EVALUATION must be `demand` or `full`, not `") +
                            Env + "`");
      return false;
    }
    engine::queryEvaluation() = *Choice;
  }
  return true;
}
