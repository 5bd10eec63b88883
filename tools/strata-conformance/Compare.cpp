//===- Compare.cpp - Does the engine say what the server said? ------------===//
#include "Compare.h"
#include "llvm/ADT/STLExtras.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::conformance;

namespace {
std::string quoted(const std::vector<std::string> &Lines) {
  return Lines.empty() ? "nothing" : fmt::format("`{}`", Lines.front());
}

std::string rowText(const std::vector<std::string> &Row) {
  std::string Out = "(";
  for (size_t I = 0; I < Row.size(); ++I)
    Out += (I ? ", " : "") + Row[I];
  return Out + ")";
}

std::optional<std::string> tableDifference(const Outcome &Expected, const Outcome &Actual) {
  if (Expected.HasHeader && Actual.HasHeader && Expected.Columns != Actual.Columns)
    return fmt::format("columns differ: expected {}, got {}", rowText(Expected.Columns),
                       rowText(Actual.Columns));
  auto ExpectedRows = Expected.Rows, ActualRows = Actual.Rows;
  llvm::sort(ExpectedRows);
  llvm::sort(ActualRows);
  if (ExpectedRows == ActualRows)
    return std::nullopt;
  // Name one row that is missing or extra, so the report is actionable.
  std::vector<std::vector<std::string>> Missing, Extra;
  std::set_difference(ExpectedRows.begin(), ExpectedRows.end(), ActualRows.begin(),
                      ActualRows.end(), std::back_inserter(Missing));
  std::set_difference(ActualRows.begin(), ActualRows.end(), ExpectedRows.begin(),
                      ExpectedRows.end(), std::back_inserter(Extra));
  std::string Detail =
      !Missing.empty() ? "missing " + rowText(Missing.front()) : "extra " + rowText(Extra.front());
  return fmt::format("rows differ: expected {} rows, got {} ({})", ExpectedRows.size(),
                     ActualRows.size(), Detail);
}
} // namespace

std::optional<std::string>
conformance::outcomeDifference(const Outcome &Expected, const Outcome &Actual, bool ActualFailed) {
  if (Expected.IsTable && !Actual.IsTable)
    return fmt::format("expected a table of {} rows, got {}", Expected.Rows.size(),
                       quoted(Actual.Messages));
  if (!Expected.IsTable && Actual.IsTable)
    return fmt::format("expected {}, got a table of {} rows", quoted(Expected.Messages),
                       Actual.Rows.size());
  if (Expected.IsTable)
    return tableDifference(Expected, Actual);
  auto Failing = llvm::find_if(Expected.Messages, looksLikeFailure);
  bool ExpectedFailed = Failing != Expected.Messages.end();
  if (ExpectedFailed && !ActualFailed)
    return fmt::format("the server failed (`{}`), the engine succeeded ({})", *Failing,
                       quoted(Actual.Messages));
  if (!ExpectedFailed && ActualFailed)
    return fmt::format("the server succeeded ({}), the engine failed ({})",
                       quoted(Expected.Messages), quoted(Actual.Messages));
  return std::nullopt;
}
