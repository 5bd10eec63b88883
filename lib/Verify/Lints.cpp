//===- Lints.cpp - Safety lints of lowered migrations ---------------------===//
//
// Lints are found per operation (index into L.Ops), then matched against the
// `strata:allow` comments attached to that operation; what is left is
// reported. S001, S003, S006 and S007 read the operation, S002 and S003 the
// lowering's marks, S004 and S005 the lowered statements (so that a raw
// `run iql` and an `alter index`, which lowers to a drop and a create, are
// covered by the same rules as the typed operations).
//
//===----------------------------------------------------------------------===//
#include "strata/Verify/Lints.h"
#include "strata/AST/Printer.h"
#include "strata/Sema/Conversions.h"
#include "strata/Verify/MigrationStatement.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include <functional>
#include <map>
#include <set>

using namespace strata;

namespace {

enum LintCode : unsigned { S001, S002, S003, S004, S005, S006, S007, NumLints };

struct LintInfo {
  const char *Code;
  DiagKind Kind;   // a warning; an error under --strict
  const char *Fix; // what a reviewer can do about it (lintFix)
};

const LintInfo Lints[NumLints] = {
    {"S001", DiagKind::LintDropLosesData,
     "move or archive the data first (a `run iql` copy), or, when it is meant to go, say so "
     "with `// strata:allow S001 REASON`"},
    {"S002", DiagKind::LintLossyBackward,
     "give the operation what its backward needs (a `reverse` cast for a retype), or accept "
     "the loss with `// strata:allow S002 REASON`"},
    {"S003", DiagKind::LintIrreversible,
     "write a `backward` block for the `run iql`, or a fill value for the dropped column"},
    {"S004", DiagKind::LintRuleReadsDropped,
     "drop or replace the rule in the same migration, before the relation goes"},
    {"S005", DiagKind::LintIndexRebuilt,
     "change the index in a migration of its own, at a quiet time, or keep its definition"},
    {"S006", DiagKind::LintRetypeWithoutCast,
     "add `using X => CAST(X)` (and `reverse`) to convert the values"},
    {"S007", DiagKind::LintConversionMayFail,
     "check the facts first (`migrate` pre-checks refuse a failing cast), or convert with a "
     "cast that cannot fail"},
};

std::optional<LintCode> parseCode(llvm::StringRef S) {
  for (unsigned I = 0; I < NumLints; ++I)
    if (S.equals_insensitive(Lints[I].Code))
      return LintCode(I);
  return std::nullopt;
}

/// One lint found at one operation, reported (given its kind) unless
/// suppressed.
struct Finding {
  size_t Op;
  LintCode Code;
  std::function<void(DiagKind)> Report;
};

/// One `// strata:allow CODES reason` comment.
struct Suppression {
  const ast::Comment *C;
  std::string CodesText;
  /// The codes as written, with the lint each names (nullopt: unknown).
  std::vector<std::pair<std::string, std::optional<LintCode>>> Codes;
  std::vector<bool> Used;
  bool HasReason = false;
  /// The operation it is attached to, if any.
  std::optional<size_t> Op;
};

/// The body of a suppression comment after the marker, or nullopt when
/// Text is not one.
std::optional<llvm::StringRef> suppressionBody(llvm::StringRef Text) {
  if (!Text.consume_front("//"))
    return std::nullopt;
  Text = Text.ltrim();
  if (!Text.consume_front(LintAllowMarker))
    return std::nullopt;
  if (!Text.empty() && !llvm::isSpace(Text.front()))
    return std::nullopt; // `strata:allowed`
  return Text.trim();
}

/// The typed statements of a lowered stream; null for one a migration may
/// not send (verification reports it) or that holds only comments.
std::vector<const iql::Statement *> readStream(const std::vector<IqlStatement> &Stream) {
  std::vector<const iql::Statement *> Out;
  for (const IqlStatement &St : Stream) {
    llvm::Expected<const iql::Statement *> S = checkLoweredStatement(St);
    if (!S) {
      llvm::consumeError(S.takeError());
      Out.push_back(nullptr);
      continue;
    }
    Out.push_back(*S);
  }
  return Out;
}

/// Whether S brings relation Name back after a drop: a declaration, facts
/// or a rule clause for it.
bool recreates(const iql::Statement &S, llvm::StringRef Name) {
  std::optional<MigrationStmtKind> K = migrationKind(S);
  if (K == MigrationStmtKind::Schema || K == MigrationStmtKind::Insert ||
      K == MigrationStmtKind::Rule)
    return statementName(S) == Name;
  return K == MigrationStmtKind::AtomicUpdate && llvm::any_of(S.Targets, [&](const auto &T) {
           return T.first && T.second.Relation == Name;
         });
}

class Linter {
public:
  Linter(const Migration &M, const LoweredMigration &L, const SchemaState &Before,
         llvm::ArrayRef<ast::Comment> Comments, const LintOptions &Opts, DiagnosticEngine &Diags)
      : L(L), Before(Before), Comments(Comments), Opts(Opts), Diags(Diags), SM(Diags.sourceMgr()) {}

  unsigned run() {
    for (size_t I = 0; I < L.Ops.size(); ++I)
      lintOperation(I);
    lintStatements();
    collectSuppressions();
    return report();
  }

private:
  const Operation &op(size_t I) const { return *L.Ops[I].Op; }

  void add(size_t Op, LintCode Code, std::function<void(DiagKind)> Report) {
    Findings.push_back({Op, Code, std::move(Report)});
  }
  /// Reports at operation Op with the arguments given.
  template <typename... Args> std::function<void(DiagKind)> at(size_t Op, Args... A) {
    llvm::SMRange R = op(Op).loc();
    DiagnosticEngine *D = &Diags;
    return [=](DiagKind K) { D->reportAt(K, R, A...); };
  }

  void lintOperation(size_t I) {
    const Operation &O = op(I);
    const LoweredOperation &LO = L.Ops[I];
    std::string Desc = O.describe();
    bool Drop = false;
    // S001: a drop that loses data.
    if (const auto *D = llvm::dyn_cast<DropRelation>(&O)) {
      Drop = true;
      add(I, S001, at(I, Desc, "every fact of `" + D->Name + "`"));
    } else if (const auto *D = llvm::dyn_cast<DropColumn>(&O)) {
      Drop = true;
      add(I, S001,
          at(I, Desc, "the values of column `" + D->Relation + "." + D->Column.Name + "`"));
    }
    // S002: a lossy backward (S001 already says a drop loses its data).
    if (!Drop && llvm::any_of(LO.Backward, [](const IqlStatement &S) { return S.Lossy; })) {
      std::string Detail = "its backward cannot restore what the operation replaced";
      if (const auto *A = llvm::dyn_cast<AddColumn>(&O))
        Detail = "its backward drops column `" + A->Relation + "." + A->Column.Name +
                 "` with its values";
      else if (llvm::isa<RetypeColumn>(&O))
        Detail = "its backward moves the values back with no `reverse` cast";
      add(I, S002, at(I, Desc, Detail));
    }
    // S003: no backward at all.
    if (LO.Irreversible) {
      std::string Why = "it has no backward";
      if (llvm::isa<RunIql>(&O))
        Why = "it has no backward block";
      else if (llvm::isa<DropColumn>(&O))
        Why = "it has no fill value to bring the column back with";
      add(I, S003, at(I, Desc, Why));
    }
    // S006: a retype with no cast.
    if (const auto *R = llvm::dyn_cast<RetypeColumn>(&O); R && !R->Using)
      add(I, S006, at(I, Desc, R->From.str(), R->To.str()));
    // S007: a server conversion that fails for, or changes, some values.
    if (const auto *R = llvm::dyn_cast<RetypeColumn>(&O)) {
      lintConversion(I, Desc, R->Using, R->From, R->To);
      lintConversion(I, "the backward of " + Desc, R->Reverse, R->To, R->From);
    }
  }

  void lintConversion(size_t I, const std::string &What, const std::optional<Cast> &C,
                      const Type &From, const Type &To) {
    if (!C)
      return;
    std::optional<Conversion> Conv = writtenConversion(C->Var, C->Body, From, To);
    if (Conv && !Conv->Loss.empty())
      add(I, S007, at(I, What, ast::toString(C->Body), Conv->Loss.str()));
  }

  /// The state before operation I, replayed from Before (null when an
  /// operation does not apply, which verification reports).
  const SchemaState *stateBefore(size_t I) {
    if (!State) {
      State = Before;
      Applied = 0;
    }
    DiagnosticEngine Scratch(SM);
    for (; Applied < I; ++Applied)
      if (!op(Applied).apply(*State, Scratch)) {
        Broken = true;
        break;
      }
    return Broken ? nullptr : &*State;
  }

  /// An index dropped by operation Op, on Relation(Column) when known.
  struct DroppedIndex {
    size_t Op;
    std::string Relation, Column;
  };

  /// S004 and S005, from the forward statements.
  void lintStatements() {
    for (size_t I = 0; I < L.Ops.size(); ++I) {
      std::vector<const iql::Statement *> Forward = readStream(L.Ops[I].Forward);
      std::vector<std::pair<size_t, std::string>> RelDrops; // statement, name
      llvm::StringSet<> RuleDrops;
      for (size_t S = 0; S < Forward.size(); ++S) {
        if (!Forward[S])
          continue;
        std::optional<MigrationStmtKind> K = migrationKind(*Forward[S]);
        std::string Name = statementName(*Forward[S]);
        if (K == MigrationStmtKind::RelDrop)
          RelDrops.push_back({S, Name});
        else if (K == MigrationStmtKind::RuleDrop) {
          RuleDrops.insert(Name);
          RelDrops.push_back({S, Name});
        } else if (K == MigrationStmtKind::IndexDrop)
          dropIndex(I, Name);
        else if (K == MigrationStmtKind::IndexCreate)
          createIndex(I, Forward[S]->Index);
      }
      // S004: a rule left reading a relation the operation drops. Typed
      // operations cannot do it (apply() refuses, OpBreaksRule); a `run iql`
      // is opaque to the schema state and can.
      if (!RelDrops.empty() && llvm::isa<RunIql>(op(I)))
        lintDanglingReaders(I, Forward, RelDrops, RuleDrops);
    }
  }

  void dropIndex(size_t I, const std::string &Name) {
    DroppedIndex D{I, "", ""};
    if (auto It = CreatedIndexes.find(Name); It != CreatedIndexes.end())
      std::tie(D.Relation, D.Column) = It->second;
    else if (const IndexDef *Old = Before.index(Name))
      D.Relation = Old->Relation, D.Column = Old->Column;
    DroppedIndexes[Name] = D;
  }

  /// S005: an index created where one was dropped (same name, or the same
  /// column) in this migration.
  void createIndex(size_t I, const iql::IndexSpec &Spec) {
    const std::string &Name = Spec.Name, &Rel = Spec.Relation, &Col = Spec.Column;
    CreatedIndexes[Name] = {Rel, Col};
    const DroppedIndex *Hit = nullptr;
    std::string OldName;
    if (auto It = DroppedIndexes.find(Name); It != DroppedIndexes.end())
      Hit = &It->second, OldName = Name;
    else
      for (const auto &[N, D] : DroppedIndexes)
        if (D.Relation == Rel && D.Column == Col) {
          Hit = &D, OldName = N;
          break;
        }
    if (!Hit)
      return;
    std::string Index = OldName == Name
                            ? "index `" + Name + "`"
                            : "the index on `" + Rel + "." + Col + "` (`" + OldName + "`)";
    std::string What = op(I).describe();
    if (Hit->Op == I)
      What += " drops and re-creates " + Index;
    else
      What += " re-creates " + Index + ", dropped on line " +
              std::to_string(lineOf(op(Hit->Op).loc().Start)) + " of this migration";
    add(I, S005, at(I, What, Rel));
    DroppedIndexes.erase(OldName);
  }

  void lintDanglingReaders(size_t I, const std::vector<const iql::Statement *> &Forward,
                           const std::vector<std::pair<size_t, std::string>> &RelDrops,
                           const llvm::StringSet<> &RuleDrops) {
    const SchemaState *At = stateBefore(I);
    if (!At)
      return;
    RuleReaders Readers(*At);
    std::set<std::pair<std::string, std::string>> Seen;
    for (const auto &[S, Name] : RelDrops) {
      // Re-declared later in the same stream: nothing is left dangling.
      bool Recreated = false;
      for (size_t T = S + 1; T < Forward.size() && !Recreated; ++T)
        Recreated = Forward[T] && recreates(*Forward[T], Name);
      if (Recreated)
        continue;
      for (const std::string &Reader : Readers.readersOf(Name))
        if (Reader != Name && !RuleDrops.count(Reader) && Seen.insert({Name, Reader}).second)
          add(I, S004, at(I, op(I).describe(), Name, Reader));
    }
  }

  unsigned lineOf(llvm::SMLoc Loc) const { return SM.getLineAndColumn(Loc).first; }

  /// The text of line Line of buffer Buf, without its newline.
  llvm::StringRef lineText(unsigned Buf, unsigned Line) const {
    llvm::SMLoc Start = SM.FindLocForLineAndColumn(Buf, Line, 1);
    if (!Start.isValid())
      return {};
    llvm::StringRef Rest(Start.getPointer(),
                         SM.getMemoryBuffer(Buf)->getBufferEnd() - Start.getPointer());
    return Rest.take_until([](char C) { return C == '\n'; }).rtrim('\r');
  }

  void collectSuppressions() {
    if (Comments.empty())
      return; // the usual case: no line numbers to compute
    // Operation lines, per buffer.
    std::map<std::pair<unsigned, unsigned>, size_t> ByStart, ByEnd;
    for (size_t I = 0; I < L.Ops.size(); ++I) {
      llvm::SMRange R = op(I).loc();
      if (!R.isValid())
        continue;
      unsigned Buf = SM.FindBufferContainingLoc(R.Start);
      ByStart.try_emplace({Buf, lineOf(R.Start)}, I);
      ByEnd.try_emplace({Buf, lineOf(R.End)}, I);
    }
    for (const ast::Comment &C : Comments) {
      std::optional<llvm::StringRef> Body = suppressionBody(C.Text);
      if (!Body || !C.Range.isValid())
        continue;
      Suppression S;
      S.C = &C;
      auto [CodesText, Reason] = Body->split(' ');
      S.CodesText = CodesText.str();
      S.HasReason = !Reason.trim().empty();
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      CodesText.split(Parts, ',', -1, /*KeepEmpty=*/false);
      for (llvm::StringRef P : Parts)
        S.Codes.push_back({P.trim().str(), parseCode(P.trim())});
      S.Used.assign(S.Codes.size(), false);

      unsigned Buf = SM.FindBufferContainingLoc(C.Range.Start);
      unsigned Line = lineOf(C.Range.Start);
      const char *LineStart = C.Range.Start.getPointer();
      const char *BufStart = SM.getMemoryBuffer(Buf)->getBufferStart();
      while (LineStart != BufStart && LineStart[-1] != '\n')
        --LineStart;
      bool OwnLine =
          llvm::StringRef(LineStart, C.Range.Start.getPointer() - LineStart).trim().empty();
      if (OwnLine) {
        // The operation below this comment and any comment lines after it.
        unsigned Next = Line + 1;
        while (lineText(Buf, Next).ltrim().startswith("//"))
          ++Next;
        if (auto It = ByStart.find({Buf, Next}); It != ByStart.end())
          S.Op = It->second;
      } else if (auto It = ByEnd.find({Buf, Line}); It != ByEnd.end()) {
        S.Op = It->second;
      } else if (auto It = ByStart.find({Buf, Line}); It != ByStart.end()) {
        S.Op = It->second;
      }
      Suppressions.push_back(std::move(S));
    }
  }

  unsigned report() {
    Diags.setWarningsAsErrors(Opts.Strict);
    unsigned N = reportFindings();
    Diags.setWarningsAsErrors(false);
    return N;
  }

  unsigned reportFindings() {
    unsigned N = 0;
    for (const Finding &F : Findings) {
      bool Suppressed = false;
      for (Suppression &S : Suppressions)
        if (S.Op == F.Op)
          for (size_t K = 0; K < S.Codes.size(); ++K)
            if (S.Codes[K].second == F.Code) {
              S.Used[K] = true;
              Suppressed = true;
            }
      if (!Suppressed) {
        F.Report(Lints[F.Code].Kind);
        ++N;
      }
    }
    for (const Suppression &S : Suppressions) {
      llvm::SMRange R = S.C->Range;
      if (!S.HasReason && !S.Codes.empty()) {
        Diags.reportAt(DiagKind::LintAllowWithoutReason, R, " " + S.CodesText);
        ++N;
      }
      DiagKind Unused = DiagKind::LintAllowUnused;
      if (S.Codes.empty()) {
        Diags.reportAt(Unused, R, std::string(),
                       std::string("it names no lint code (`S001` to `S007`)"));
        ++N;
        continue;
      }
      for (size_t K = 0; K < S.Codes.size(); ++K) {
        if (S.Used[K])
          continue;
        const auto &[Text, Code] = S.Codes[K];
        std::string Why;
        if (!Code)
          Why = "`" + Text + "` is not a lint code (`S001` to `S007`)";
        else if (!S.Op)
          Why = "it is neither on the line before an operation nor at the end of one";
        else
          Why = std::string("no ") + Lints[*Code].Code + " lint is reported for " +
                op(*S.Op).describe();
        Diags.reportAt(Unused, R, " " + Text, Why);
        ++N;
      }
    }
    return N;
  }

  const LoweredMigration &L;
  const SchemaState &Before;
  llvm::ArrayRef<ast::Comment> Comments;
  const LintOptions &Opts;
  DiagnosticEngine &Diags;
  llvm::SourceMgr &SM;

  std::vector<Finding> Findings;
  std::vector<Suppression> Suppressions;
  /// Indexes the forward statements dropped (not re-created yet) and
  /// created so far, by name; created ones map to (relation, column).
  std::map<std::string, DroppedIndex> DroppedIndexes;
  std::map<std::string, std::pair<std::string, std::string>> CreatedIndexes;
  std::optional<SchemaState> State;
  size_t Applied = 0;
  bool Broken = false;
};

} // namespace

unsigned strata::lintMigration(const Migration &M, const LoweredMigration &L,
                               const SchemaState &Before, llvm::ArrayRef<ast::Comment> Comments,
                               const LintOptions &Opts, DiagnosticEngine &Diags) {
  (void)M; // its operations are L's; kept for the lints that will read the header
  return Linter(M, L, Before, Comments, Opts, Diags).run();
}

llvm::StringRef strata::lintFix(llvm::StringRef Code) {
  if (std::optional<LintCode> C = parseCode(Code))
    return Lints[*C].Fix;
  if (Code.empty()) // a problem with a suppression comment
    return "give the reason after the codes, or remove the comment if it silences nothing";
  return {};
}
