//===- ShadowTarget.cpp - An in-memory copy of what a plan touches --------===//
#include "ShadowTarget.h"
#include "strata/CodeGen/IqlText.h"
#include "strata/Engine/Engine.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/IQL/Printer.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;

namespace {
class ShadowTarget final : public Target {
public:
  explicit ShadowTarget(std::string RealName) : RealName(std::move(RealName)), S(E) {}

  std::string describe() const override { return RealName; }
  llvm::Expected<Reply> execute(llvm::StringRef Program) override { return S.execute(Program); }
  llvm::Error lock(llvm::StringRef, const LockOptions &) override { return llvm::Error::success(); }
  void unlock() override {}
  const engine::Session *inProcessSession() const override { return &S; }
  /// Copies R's facts from an in-process target's session.
  void copyFacts(const engine::Session &From, const ShadowRelation &R) {
    S.copyFactsFrom(From, R.Name);
  }

private:
  std::string RealName;
  engine::Engine E;
  engine::Session S;
};

/// Facts per insert statement written into the shadow.
constexpr size_t RowsPerInsert = 512;

/// The facts of R on Real as bulk inserts; false (Failure set) when Real
/// does not answer or a cell has no IQL literal.
bool factInserts(Target &Real, const ShadowRelation &R, std::vector<std::string> &Out,
                 ShadowFailure &Failure) {
  std::string Vars;
  for (size_t I = 0; I < R.Arity; ++I)
    Vars += fmt::format("{}V{}", I ? ", " : "", I);
  llvm::Expected<Reply> Rows = Real.execute(fmt::format("?{}({})", R.Name, Vars));
  if (!Rows) {
    Failure = {llvm::toString(Rows.takeError()), true};
    return false;
  }
  // A relation the target does not have (an error or a message) has no facts.
  if (replyFailure(*Rows) || Rows->isMessage())
    return true;
  std::vector<iql::ColumnType> Types;
  if (R.Columns)
    for (const ColumnDef &C : R.Columns->Columns)
      Types.push_back(codegen::iqlType(C.Ty));
  std::string Tuples;
  size_t InBatch = 0;
  for (const auto &Row : Rows->Rows) {
    std::string Tuple;
    for (size_t I = 0; I < Row.size(); ++I) {
      std::optional<std::string> Lit = cellLiteral(Row[I], I < Types.size() ? &Types[I] : nullptr);
      if (!Lit) {
        Failure = {fmt::format("a value of `{}` cannot be copied: {}", R.Name, cellText(Row[I])),
                   false};
        return false;
      }
      Tuple += (I ? ", " : "") + *Lit;
    }
    Tuples += (InBatch ? ", (" : "(") + Tuple + ")";
    if (++InBatch == RowsPerInsert) {
      Out.push_back(fmt::format("+{}[{}]", R.Name, Tuples));
      Tuples.clear();
      InBatch = 0;
    }
  }
  if (InBatch)
    Out.push_back(fmt::format("+{}[{}]", R.Name, Tuples));
  return true;
}
} // namespace

std::unique_ptr<Target> exec::makeShadow(Target &Real, const std::vector<ShadowRelation> &Relations,
                                         ShadowFailure &Failure) {
  auto Shadow = std::make_unique<ShadowTarget>(Real.describe());
  const engine::Session *Local = Real.inProcessSession();
  for (const ShadowRelation &R : Relations) {
    std::vector<std::string> Program;
    // In process the facts are copied as they are stored; a remote
    // target's are read and re-inserted as IQL text.
    if (Local)
      Shadow->copyFacts(*Local, R);
    else if (!factInserts(Real, R, Program, Failure))
      return nullptr;
    // The declaration last: the engine checks inserts against a schema,
    // and the real target may hold facts that break it.
    if (R.Columns && codegen::declaresSchema(*R.Columns))
      Program.push_back(codegen::spell(codegen::declaration(R.Name, *R.Columns)));
    for (const std::string &Statement : Program) {
      llvm::Expected<Reply> Done = Shadow->execute(Statement);
      if (!Done) {
        Failure = {llvm::toString(Done.takeError()), false};
        return nullptr;
      }
      if (std::optional<std::string> Why = replyFailure(*Done)) {
        Failure = {fmt::format("the facts of `{}` cannot be copied: {}", R.Name, *Why), false};
        return nullptr;
      }
    }
  }
  return Shadow;
}
