//===- Ledger.cpp - Which migrations a target has applied -----------------===//
#include "strata/Exec/Ledger.h"
#include "ExecError.h"
#include "strata/AST/Printer.h"
#include "strata/Exec/ReplyCheck.h"
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;

namespace {
std::string fact(const LedgerEntry &E) {
  return fmt::format("{}({}, {}, {})", LedgerRelation, ast::quoteString(E.Name),
                     ast::quoteString(E.Checksum), ast::quoteString(E.AppliedAt));
}
} // namespace

llvm::Expected<std::vector<LedgerEntry>> exec::readLedger(Target &T) {
  llvm::Expected<Reply> R =
      T.execute(fmt::format("?{}(Name, Checksum, AppliedAt)", LedgerRelation));
  if (!R)
    return R.takeError();
  std::vector<LedgerEntry> Out;
  // A target that never ran a migration has no such relation: the server
  // answers a message (`No results.`, or that the relation is unknown).
  if (R->isMessage() || (R->Rows.empty() && !R->IsError))
    return Out;
  if (R->IsError)
    return execError(fmt::format("{}: cannot read the ledger `{}`: {}", T.describe(),
                                 LedgerRelation, *replyFailure(*R)));
  for (const auto &Row : R->Rows) {
    if (Row.size() != 3)
      return execError(fmt::format("{}: the ledger `{}` has rows of {} columns, not 3; it was "
                                   "not written by strata",
                                   T.describe(), LedgerRelation, Row.size()));
    LedgerEntry E;
    std::string *Fields[] = {&E.Name, &E.Checksum, &E.AppliedAt};
    for (size_t I = 0; I < 3; ++I) {
      llvm::Optional<llvm::StringRef> S = Row[I].getAsString();
      if (!S)
        return execError(fmt::format("{}: the ledger `{}` holds a non-string value", T.describe(),
                                     LedgerRelation));
      *Fields[I] = S->str();
    }
    Out.push_back(std::move(E));
  }
  std::sort(Out.begin(), Out.end(),
            [](const LedgerEntry &A, const LedgerEntry &B) { return A.Name < B.Name; });
  return Out;
}

std::string exec::ledgerDeclaration() {
  return fmt::format("+{}(name: string, checksum: string, applied_at: string)", LedgerRelation);
}
std::string exec::ledgerInsert(const LedgerEntry &E) { return "+" + fact(E); }
std::string exec::ledgerDelete(const LedgerEntry &E) {
  std::string Out = "-" + fact(E);
  for (const LedgerEntry &Also : E.AlsoRemoves)
    Out += "\n-" + fact(Also);
  return Out;
}

std::string exec::utcTimestamp() {
  std::time_t Now = std::time(nullptr);
  // Reproducible builds' convention: tests and packagers pin the clock.
  if (const char *Fixed = std::getenv("SOURCE_DATE_EPOCH"))
    if (long long Seconds = std::atoll(Fixed); Seconds > 0)
      Now = std::time_t(Seconds);
  std::tm Utc{};
  gmtime_r(&Now, &Utc);
  char Buf[32];
  std::strftime(Buf, sizeof(Buf), "%Y-%m-%dT%H:%M:%SZ", &Utc);
  return Buf;
}
