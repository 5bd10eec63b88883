//===- MoveBatches.cpp - A move of facts cut into bounded requests --------===//
#include "MoveBatches.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/IQL/Printer.h"
#include "strata/Verify/MigrationStatement.h"
#include <algorithm>
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;

namespace {
/// Tuples per insert statement of a batch: one statement is one line, and
/// a few thousand keep each line short enough for any reader.
constexpr size_t TuplesPerInsert = 2000;

/// The bytes a batch program takes besides its facts: the journal's lines
/// and the JSON envelope of the request go on top of it.
constexpr size_t ProgramOverhead = 4096;

/// A move the lowering generated: a staging move of a column change.
bool isGeneratedMove(const IqlStatement &St) {
  return St.Purpose == StepPurpose::MoveToStage || St.Purpose == StepPurpose::MoveBack;
}
} // namespace

size_t exec::jsonStringBytes(llvm::StringRef Text) {
  size_t N = 0;
  for (unsigned char C : Text)
    N += (C == '"' || C == '\\') ? 2 : C < 0x20 ? 6 : 1;
  return N;
}

const iql::Statement *exec::loweredAtomicUpdate(const IqlStatement &St) {
  llvm::Expected<const iql::Statement *> S = checkLoweredStatement(St);
  if (!S) {
    llvm::consumeError(S.takeError());
    return nullptr;
  }
  if (!*S || migrationKind(**S) != MigrationStmtKind::AtomicUpdate)
    return nullptr;
  return *S;
}

std::optional<BatchableMove> exec::batchableMove(const IqlStatement &St) {
  if (!isGeneratedMove(St))
    return std::nullopt;
  const iql::Statement *S = loweredAtomicUpdate(St);
  if (!S)
    return std::nullopt;
  const iql::Atom *Deleted = nullptr;
  for (const auto &[Insert, A] : S->Targets)
    if (!Insert)
      Deleted = &A;
  if (!Deleted || Deleted->Args.empty())
    return std::nullopt;
  BatchableMove M;
  M.Source = Deleted->Relation;
  for (const iql::Expr &E : Deleted->Args) {
    if (!E.isVariable())
      return std::nullopt;
    M.Arguments += (M.Arguments.empty() ? "" : ", ") + E.Name;
  }
  M.BatchRelation = fmt::format("strata_batch_{}", Deleted->Args.size());
  iql::Statement Restricted = *S;
  iql::Literal Batch;
  Batch.A.Relation = M.BatchRelation;
  Batch.A.Args = Deleted->Args;
  Restricted.Body.insert(Restricted.Body.begin(), std::move(Batch));
  M.Restricted = iql::printStatement(Restricted, iql::PrintStyle::Lowering);
  return M;
}

namespace {
/// The facts of Rows as `(..)` tuples, or nullopt when a value has no
/// IQL literal.
std::optional<std::vector<std::string>> tupleTexts(const Reply &Facts) {
  std::vector<std::string> Out;
  Out.reserve(Facts.Rows.size());
  for (const auto &Row : Facts.Rows) {
    std::string Tuple = "(";
    for (size_t I = 0; I < Row.size(); ++I) {
      std::optional<std::string> Lit = cellLiteral(Row[I]);
      if (!Lit)
        return std::nullopt;
      Tuple += (I ? ", " : "") + *Lit;
    }
    Out.push_back(Tuple + ")");
  }
  return Out;
}

/// The program that moves Tuples[From, To).
std::string batchProgram(const BatchableMove &M, const std::vector<std::string> &Tuples,
                         size_t From, size_t To) {
  std::string Program = fmt::format("-{0}({1}) <- {0}({1})\n", M.BatchRelation, M.Arguments);
  for (size_t I = From; I < To; I += TuplesPerInsert) {
    Program += "+" + M.BatchRelation + "[";
    for (size_t J = I; J < std::min(To, I + TuplesPerInsert); ++J)
      Program += (J == I ? "" : ", ") + Tuples[J];
    Program += "]\n";
  }
  return Program + M.Restricted + "\n.rel drop " + M.BatchRelation;
}
} // namespace

std::optional<std::vector<MoveBatch>>
exec::cutIntoBatches(const BatchableMove &M, const Reply &Facts, size_t MaxFacts, size_t MaxBytes) {
  MaxFacts = std::max<size_t>(MaxFacts, 1);
  std::optional<std::vector<std::string>> Tuples = tupleTexts(Facts);
  if (!Tuples)
    return std::nullopt;
  // The clear, the restricted move and the drop around the inserts.
  size_t Fixed = ProgramOverhead + jsonStringBytes(M.Restricted) + 4 * M.BatchRelation.size() +
                 2 * M.Arguments.size() + 64;
  if (MaxBytes <= Fixed)
    return std::nullopt;
  size_t Room = MaxBytes - Fixed;
  std::vector<MoveBatch> Out;
  size_t From = 0, Bytes = 0;
  size_t Header = M.BatchRelation.size() + 5; // `+strata_batch_N[`, `]\n`
  for (size_t I = 0; I < Tuples->size(); ++I) {
    // A tuple costs its text and a separator; every TuplesPerInsert-th
    // of a batch starts an insert statement.
    size_t Cost = jsonStringBytes((*Tuples)[I]) + 2;
    if (Cost + Header > Room)
      return std::nullopt;
    auto WithHeader = [&] { return Cost + ((I - From) % TuplesPerInsert == 0 ? Header : 0); };
    if (I > From && (I - From == MaxFacts || Bytes + WithHeader() > Room)) {
      Out.push_back({batchProgram(M, *Tuples, From, I), I - From});
      From = I;
      Bytes = 0;
    }
    Bytes += WithHeader();
  }
  if (From < Tuples->size())
    Out.push_back({batchProgram(M, *Tuples, From, Tuples->size()), Tuples->size() - From});
  return Out;
}
