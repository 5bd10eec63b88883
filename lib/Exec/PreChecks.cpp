//===- PreChecks.cpp - What a plan cannot carry, found before it runs -----===//
//
// Before a plan sends anything that changes the target, the moves of its
// forward migrations are checked against the facts they will meet
// (Atlas's pre-migration checks, Infrahub's validators):
//  - a move `-src(..), +dst(..) <- body` must be able to carry every fact
//    of src: the body must match as many facts as src holds (a `using`
//    cast that fails for a value, or a fill that does not apply, drops it);
//  - every value it carries into a declared column must be of its type;
//  - a move into dst, or a new relation, must find it empty on the target
//    (facts left there, e.g. by hand, would be mixed in).
// The checks run on a shadow (ShadowTarget.h): the relations the plan
// names or reads are copied from the target into an in-memory engine, and
// the plan's statements run there one by one, so each check sees the
// state at its step, after the renames and reshapes before it, in this
// migration or an earlier one of the run. Prediction stops at a `run iql`
// operation (arbitrary IQL) and at a statement the shadow refuses (the
// real run then stops at it too). When the facts cannot be copied (a
// value IQL has no literal for), the checks query the target itself and
// skip every relation an earlier statement of the plan touched.
// Which checks each statement triggers is decided by PreCheckPlanner
// (PreCheckPlanner.cpp), the same list `strata review` prints.
//
//===----------------------------------------------------------------------===//
#include "strata/Exec/PreChecks.h"
#include "ShadowTarget.h"
#include "strata/Engine/Engine.h"
#include "strata/Exec/Executor.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/IQL/Lexer.h"
#include "strata/IQL/Printer.h"
#include "strata/Support/Json.h"
#include "strata/Verify/MigrationStatement.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include <fmt/format.h>
#include <map>
#include <set>

using namespace strata;
using namespace strata::exec;

namespace {
/// The rows a query returns; nullopt when the target cannot answer it
/// (e.g. the relation does not exist there), which counts as no facts.
std::optional<Reply> rowsOf(Target &T, const std::string &Query, std::string &TransportError) {
  llvm::Expected<Reply> R = T.execute(Query);
  if (!R) {
    TransportError = llvm::toString(R.takeError());
    return std::nullopt;
  }
  if (replyFailure(*R) || R->isMessage())
    return Reply();
  return std::move(*R);
}

std::string variables(size_t N) {
  std::string Out;
  for (size_t I = 0; I < N; ++I)
    Out += fmt::format("{}V{}", I ? ", " : "", I);
  return Out;
}

class PreChecker {
public:
  /// Predict: T is a shadow; each statement runs on it once checked, and
  /// no relation is skipped. Otherwise T is the real target, and
  /// relations an earlier statement touched are not checked.
  PreChecker(Target &T, DiagnosticEngine &Diags, bool Predict)
      : T(T), Diags(Diags), Predict(Predict), Planner(/*SkipTouchedSources=*/!Predict) {}

  /// Checks Steps in order; Unpredicted is set to the index of the first
  /// step after a `run iql` operation (Steps.size() when there is none).
  bool run(const std::vector<const LoweredMigration *> &Steps, size_t &Unpredicted) {
    Unpredicted = Steps.size();
    size_t Left = checkedStatements(Steps);
    for (size_t I = 0; I < Steps.size(); ++I)
      for (const LoweredOperation &Op : Steps[I]->Ops) {
        if (Op.Op->kind() == Operation::Kind::RunIql) {
          Unpredicted = I + 1;
          return finish(); // arbitrary IQL: nothing after it can be predicted
        }
        for (const IqlStatement &S : Op.Forward) {
          check(Op, S);
          Left -= triggersChecks(S);
          // After a failed check the shadow no longer follows the real
          // run, which would stop there. Once no statement that triggers
          // a check is left, the shadow need not follow it (a move of a
          // million facts costs as much there as on the target).
          if (!TransportError.empty() || !Ok || (Predict && Left && !advance(S)))
            return finish();
        }
      }
    return finish();
  }

private:
  /// Whether the planner may list checks for St (planStatement: a move,
  /// or a declaration).
  static bool triggersChecks(const IqlStatement &St) {
    llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
    if (!Read) {
      llvm::consumeError(Read.takeError());
      return false;
    }
    if (!*Read)
      return false;
    std::optional<MigrationStmtKind> K = migrationKind(**Read);
    return K == MigrationStmtKind::AtomicUpdate || K == MigrationStmtKind::Schema;
  }

  /// The statements of Steps, up to a `run iql` operation, that may
  /// trigger checks.
  static size_t checkedStatements(const std::vector<const LoweredMigration *> &Steps) {
    size_t N = 0;
    for (const LoweredMigration *L : Steps)
      for (const LoweredOperation &Op : L->Ops) {
        if (Op.Op->kind() == Operation::Kind::RunIql)
          return N;
        for (const IqlStatement &S : Op.Forward)
          N += triggersChecks(S);
      }
    return N;
  }

  bool finish() {
    if (!TransportError.empty()) {
      Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(), TransportError);
      return false;
    }
    return Ok;
  }

  /// Runs St on the shadow when it changes facts or declarations (rules
  /// and indexes do not change what a move carries). False when the
  /// shadow refuses it: nothing after it can be predicted.
  bool advance(const IqlStatement &St) {
    llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
    if (!Read) {
      llvm::consumeError(Read.takeError());
      return false;
    }
    if (!*Read)
      return true;
    MigrationStmtKind K = migrationKind(**Read).value_or(MigrationStmtKind::Query);
    switch (K) {
    case MigrationStmtKind::Schema:
    case MigrationStmtKind::Insert:
    case MigrationStmtKind::Delete:
    case MigrationStmtKind::ConditionalDelete:
    case MigrationStmtKind::AtomicUpdate:
    case MigrationStmtKind::RelDrop:
      break;
    default:
      return true;
    }
    llvm::Expected<Reply> R = T.execute(St.Text);
    if (!R) {
      llvm::consumeError(R.takeError());
      return false;
    }
    // A relation the plan only drops is not copied (its facts would be
    // read for nothing): the shadow then has none to drop, which is the
    // state after the drop all the same.
    return !replyFailure(*R) || (Predict && K == MigrationStmtKind::RelDrop);
  }

  /// Runs the checks the planner lists for St, stopping at the first
  /// failure.
  void check(const LoweredOperation &Op, const IqlStatement &St) {
    llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
    if (!Read) {
      llvm::consumeError(Read.takeError()); // `strata verify` reports it
      return;
    }
    if (!*Read)
      return;
    // The facts a move's body carries, read by its first check and looked
    // at by the others. Each check is first decided in the engine when it
    // can be (passedInEngine); only a check it cannot decide, or one that
    // fails, reads the facts, so that a failure reports exactly what it
    // always did.
    std::optional<Reply> Carried;
    const PlannedPreCheck *Move = nullptr;
    bool CarriedRead = false;
    auto ReadCarried = [&] {
      if (!CarriedRead && Move)
        Carried = checkMove(Op, *Move);
      CarriedRead = true;
    };
    for (const PlannedPreCheck &P : Planner.planStatement(Op, **Read)) {
      if (P.Kind == PreCheckKind::MovesEveryFact)
        Move = &P;
      if (passedInEngine(P))
        continue;
      switch (P.Kind) {
      case PreCheckKind::TargetEmpty:
        checkEmpty(Op, P);
        break;
      case PreCheckKind::MovesEveryFact:
        ReadCarried();
        break;
      case PreCheckKind::ConversionNeverNull:
        ReadCarried();
        if (Carried)
          checkFailedCasts(Op, P, *Carried);
        break;
      case PreCheckKind::TypesFit:
        ReadCarried();
        if (Carried)
          checkMovedTypes(Op, P, *Carried);
        break;
      }
      if (!Ok || !TransportError.empty())
        return;
    }
  }

  /// Whether check P passes, decided in the engine without reading rows
  /// as a reply: when the target runs in this process and the queries P
  /// makes are ones it can scan (Session::scanQuery). False when it fails
  /// or cannot be decided that way: the check then runs on the reply.
  bool passedInEngine(const PlannedPreCheck &P) {
    const engine::Session *S = T.inProcessSession();
    if (!S)
      return false;
    std::vector<std::string> Columns;
    auto Count = [&](const std::string &Query) {
      return S->scanQuery(Query, Columns, [](const iql::Tuple &) {});
    };
    switch (P.Kind) {
    case PreCheckKind::TargetEmpty: {
      std::optional<size_t> N = Count(fmt::format("?{}({})", P.Relation, variables(P.Arity)));
      return N && *N == 0;
    }
    case PreCheckKind::MovesEveryFact: {
      // A body that is the source atom alone matches every fact.
      if (P.BodyText == P.SourceAtom)
        return true;
      std::optional<size_t> All = Count("?" + P.SourceAtom), Carried = Count("?" + P.BodyText);
      return All && Carried && *Carried >= *All;
    }
    case PreCheckKind::ConversionNeverNull:
    case PreCheckKind::TypesFit:
      break;
    }
    // The cells the check looks at in each row the body carries; it passes
    // when none is wrong.
    std::vector<std::pair<size_t, std::string>> Looked; // column, type ("": must not be null)
    bool Wrong = false;
    auto Look = [&](const iql::Tuple &Row) {
      for (const auto &[J, Type] : Looked) {
        Cell C = Row[J].toCell();
        Wrong |= Type.empty() ? C.isNull() : !C.isNull() && !cellFits(C, Type);
      }
    };
    // Columns are known only once the scan starts: the first row fills
    // Looked (every row has the same columns).
    bool Started = false;
    std::optional<size_t> N = S->scanQuery("?" + P.BodyText, Columns, [&](const iql::Tuple &Row) {
      if (!Started) {
        Looked = lookedAtCells(P, Columns);
        Started = true;
      }
      if (!Wrong)
        Look(Row);
    });
    return N && !Wrong;
  }

  /// For passedInEngine: the columns of the carried rows that check P
  /// (ConversionNeverNull or TypesFit) looks at, as checkFailedCasts and
  /// checkMovedTypes choose them.
  static std::vector<std::pair<size_t, std::string>>
  lookedAtCells(const PlannedPreCheck &P, const std::vector<std::string> &Columns) {
    std::vector<std::pair<size_t, std::string>> Out;
    if (P.Kind == PreCheckKind::ConversionNeverNull) {
      for (size_t I = 0; I < Columns.size(); ++I)
        if (!llvm::is_contained(P.SourceArgs, Columns[I]))
          Out.emplace_back(I, "");
      return Out;
    }
    for (size_t I = 0; I < P.DestinationArgs.size(); ++I)
      if (std::optional<size_t> J = carriedColumn(P, Columns, I))
        Out.emplace_back(*J, P.Columns[I].Type.text());
    return Out;
  }

  /// The column of the carried rows that destination argument I takes
  /// its values from; nullopt for a literal (its type was checked when
  /// the migration loaded). The body query names its columns after its
  /// variables, or after the source's declared columns when it is the
  /// source atom alone; either way the source's variables come first, in
  /// order.
  static std::optional<size_t> carriedColumn(const PlannedPreCheck &P,
                                             const std::vector<std::string> &Columns, size_t I) {
    const std::vector<std::string> &SrcArgs = P.SourceArgs, &DstArgs = P.DestinationArgs;
    if (auto Col = llvm::find(Columns, DstArgs[I]); Col != Columns.end())
      return size_t(Col - Columns.begin());
    if (auto Pos = llvm::find(SrcArgs, DstArgs[I]);
        Pos != SrcArgs.end() && Columns.size() >= SrcArgs.size())
      return size_t(Pos - SrcArgs.begin());
    return std::nullopt;
  }

  /// The facts the move's body matches, when it matches every fact of its
  /// source; else reports and returns nullopt.
  std::optional<Reply> checkMove(const LoweredOperation &Op, const PlannedPreCheck &P) {
    std::optional<Reply> All = rowsOf(T, "?" + P.SourceAtom, TransportError);
    // A body that is the source atom alone (a rename, an added column)
    // matches every fact: the same query would be read twice.
    if (P.BodyText == P.SourceAtom)
      return All;
    std::optional<Reply> Carried = rowsOf(T, "?" + P.BodyText, TransportError);
    if (!All || !Carried)
      return std::nullopt;
    if (Carried->Rows.size() < All->Rows.size()) {
      Diags
          .reportAt(DiagKind::ExecPreCheckFailed, Op.Op->loc(), Op.Op->describe(), T.describe(),
                    fmt::format("{} of the {} facts of `{}` would not move (`{}` does not hold "
                                "for them) and would be lost when it is dropped; nothing was "
                                "sent",
                                All->Rows.size() - Carried->Rows.size(), All->Rows.size(),
                                P.Relation, P.BodyText))
          .note(DiagKind::NoteExecExamples, llvm::SMLoc(), missingExamples(*All, *Carried));
      Ok = false;
      return std::nullopt;
    }
    return Carried;
  }

  /// A cast that fails gives null (the server's functions do): rows of the
  /// body whose computed columns (those that are not the source's
  /// variables) hold null would move with a null in a typed column.
  void checkFailedCasts(const LoweredOperation &Op, const PlannedPreCheck &P,
                        const Reply &Carried) {
    std::vector<size_t> SourceColumns, Computed;
    for (size_t I = 0; I < Carried.Columns.size(); ++I)
      (llvm::is_contained(P.SourceArgs, Carried.Columns[I]) ? SourceColumns : Computed)
          .push_back(I);
    if (Computed.empty())
      return;
    Reply Failed;
    for (const auto &Row : Carried.Rows)
      for (size_t I : Computed)
        if (Row[I].isNull()) {
          std::vector<Cell> Shown;
          for (size_t J : SourceColumns)
            Shown.push_back(Row[J]);
          Failed.Rows.push_back(std::move(Shown));
          break;
        }
    if (Failed.Rows.empty())
      return;
    Diags
        .reportAt(DiagKind::ExecPreCheckFailed, Op.Op->loc(), Op.Op->describe(), T.describe(),
                  fmt::format("the conversion `{}` fails (gives null) for {} of the {} facts of "
                              "`{}`; fix or delete them first; nothing was sent",
                              P.BodyText, Failed.Rows.size(), Carried.Rows.size(), P.Relation))
        .note(DiagKind::NoteExecExamples, llvm::SMLoc(), exampleRows(Failed));
    Ok = false;
  }

  /// Rows of All that Carried lacks, compared on the columns both share
  /// by name (a query names its columns after its variables).
  static std::string missingExamples(const Reply &All, const Reply &Carried) {
    std::vector<size_t> Shared;
    for (size_t I = 0; I < All.Columns.size(); ++I)
      for (size_t J = 0; J < Carried.Columns.size(); ++J)
        if (All.Columns[I] == Carried.Columns[J]) {
          Shared.push_back(J);
          break;
        }
    if (Shared.size() != All.Columns.size())
      return exampleRows(All);
    std::set<std::string> Kept;
    for (const auto &Row : Carried.Rows) {
      std::string Key;
      for (size_t J : Shared)
        Key += cellText(Row[J]) + "\x1f";
      Kept.insert(Key);
    }
    Reply Missing;
    for (const auto &Row : All.Rows) {
      std::string Key;
      for (const Cell &C : Row)
        Key += cellText(C) + "\x1f";
      if (!Kept.count(Key))
        Missing.Rows.push_back(Row);
    }
    return exampleRows(Missing.Rows.empty() ? All : Missing);
  }

  void checkEmpty(const LoweredOperation &Op, const PlannedPreCheck &P) {
    std::optional<Reply> R =
        rowsOf(T, fmt::format("?{}({})", P.Relation, variables(P.Arity)), TransportError);
    if (!R || R->Rows.empty())
      return;
    Diags
        .reportAt(DiagKind::ExecPreCheckFailed, Op.Op->loc(), Op.Op->describe(), T.describe(),
                  fmt::format("`{}`, {}, already holds {} facts there; move or delete them "
                              "first; nothing was sent",
                              P.Relation, P.Role, R->Rows.size()))
        .note(DiagKind::NoteExecExamples, llvm::SMLoc(), exampleRows(*R));
    Ok = false;
  }

  /// Whether a JSON cell can sit in a column declared with TypeText (the
  /// server's spelling): ints in int or float columns, and so on. Unknown
  /// spellings accept anything.
  static bool cellFits(const Cell &C, llvm::StringRef TypeText) {
    llvm::StringRef T = TypeText.trim();
    if (T.equals_insensitive("int"))
      return C.kind() == Cell::Kind::Integer; // a whole double (`5.0`) is not one
    if (T.equals_insensitive("float"))
      return C.isNumber();
    if (T.equals_insensitive("string"))
      return C.kind() == Cell::Kind::String;
    if (T.equals_insensitive("bool"))
      return C.kind() == Cell::Kind::Boolean;
    if (T.startswith_insensitive("vector") || T.startswith_insensitive("list"))
      return C.kind() == Cell::Kind::List;
    if (T.startswith("{"))
      return C.kind() == Cell::Kind::Object;
    return true;
  }

  /// Every value a move carries into a declared column must be of its type:
  /// a retype without `using` moves values unconverted.
  void checkMovedTypes(const LoweredOperation &Op, const PlannedPreCheck &P, const Reply &Carried) {
    for (size_t I = 0; I < P.DestinationArgs.size(); ++I) {
      std::optional<size_t> Col = carriedColumn(P, Carried.Columns, I);
      if (!Col)
        continue;
      size_t J = *Col;
      const iql::Column &Target = P.Columns[I];
      std::string TypeText = Target.Type.text();
      Reply Wrong;
      for (const auto &Row : Carried.Rows)
        if (!Row[J].isNull() && !cellFits(Row[J], TypeText))
          Wrong.Rows.push_back(Row);
      if (Wrong.Rows.empty())
        continue;
      Diags
          .reportAt(DiagKind::ExecPreCheckFailed, Op.Op->loc(), Op.Op->describe(), T.describe(),
                    fmt::format("{} of the {} facts of `{}` would carry a value not of type "
                                "`{}` into column `{}`; convert them with `using`, or fix them "
                                "first; nothing was sent",
                                Wrong.Rows.size(), Carried.Rows.size(), P.SourceRelation, TypeText,
                                Target.Name))
          .note(DiagKind::NoteExecExamples, llvm::SMLoc(), exampleRows(Wrong));
      Ok = false;
      return;
    }
  }

  Target &T;
  DiagnosticEngine &Diags;
  bool Predict;
  PreCheckPlanner Planner;
  std::string TransportError;
  bool Ok = true;
};
} // namespace

namespace {
/// The relations the plan's statements name or read, up to its first
/// `run iql` operation, each with the arity it is used with and its
/// declaration in Start (relations Start derives are not copied: their
/// rules are not).
std::vector<ShadowRelation> relationsToCopy(const std::vector<const LoweredMigration *> &Steps,
                                            const SchemaState &Start) {
  std::vector<ShadowRelation> Out;
  llvm::StringSet<> Seen;
  auto Note = [&](const std::string &Name, size_t Arity) {
    if (Name.empty() || Start.derivedRelation(Name) || !Seen.insert(Name).second)
      return;
    const RelationDef *R = Start.relation(Name);
    Out.push_back({Name, R ? R->Columns.size() : Arity, R ? &R->Columns : nullptr});
  };
  auto NoteBody = [&](const std::vector<iql::Literal> &Body) {
    for (const iql::Literal &L : Body)
      if (L.K != iql::Literal::Kind::Compare)
        Note(L.A.Relation, L.A.Args.size());
  };
  for (const LoweredMigration *L : Steps)
    for (const LoweredOperation &Op : L->Ops) {
      if (Op.Op->kind() == Operation::Kind::RunIql)
        return Out;
      for (const IqlStatement &St : Op.Forward) {
        llvm::Expected<const iql::Statement *> Read = checkLoweredStatement(St);
        if (!Read) {
          llvm::consumeError(Read.takeError());
          continue;
        }
        if (!*Read)
          continue;
        const iql::Statement &S = **Read;
        switch (migrationKind(S).value_or(MigrationStmtKind::Query)) {
        case MigrationStmtKind::Schema:
          Note(S.Relation, S.Columns.size());
          break;
        case MigrationStmtKind::Insert:
        case MigrationStmtKind::Delete:
          Note(S.Relation, S.Rows.empty() ? 0 : S.Rows.front().size());
          break;
        case MigrationStmtKind::ConditionalDelete:
          Note(S.Rule.Head.Relation, S.Rule.Head.Args.size());
          NoteBody(S.Rule.Body);
          break;
        case MigrationStmtKind::AtomicUpdate:
          for (const auto &Target : S.Targets)
            Note(Target.second.Relation, Target.second.Args.size());
          NoteBody(S.Body);
          break;
        default:
          break;
        }
      }
    }
  return Out;
}
} // namespace

bool exec::preCheckPlan(Target &T, const ExecPlan &P, DiagnosticEngine &Diags,
                        size_t &Unpredicted) {
  std::vector<const LoweredMigration *> Steps;
  std::vector<size_t> PlanIndex;
  for (size_t I = 0; I < P.Steps.size(); ++I)
    if (!P.Steps[I].Backward) {
      Steps.push_back(&P.Steps[I].Lowered);
      PlanIndex.push_back(I);
    }
  Unpredicted = P.Steps.size();
  if (Steps.empty())
    return true;
  ShadowFailure Failure;
  std::unique_ptr<Target> Shadow = makeShadow(T, relationsToCopy(Steps, P.Start), Failure);
  if (!Shadow && Failure.Transport) {
    Diags.report(DiagKind::ExecTargetFailed, llvm::SMLoc(), Failure.Why);
    return false;
  }
  size_t Stopped = 0;
  bool Ok = Shadow ? PreChecker(*Shadow, Diags, /*Predict=*/true).run(Steps, Stopped)
                   : PreChecker(T, Diags, /*Predict=*/false).run(Steps, Stopped);
  if (Stopped < Steps.size())
    Unpredicted = PlanIndex[Stopped];
  return Ok;
}

bool exec::preCheck(Target &T, const LoweredMigration &L, DiagnosticEngine &Diags) {
  size_t Unpredicted = 0;
  return PreChecker(T, Diags, /*Predict=*/false).run({&L}, Unpredicted);
}
