//===- MakeMigrationsCommand.cpp - `strata makemigrations` ----------------===//
//
// Exit status (also in the command's help):
//   0  a migration was written, or there are no changes (also with --check
//      and --dry-run when nothing changed; --dry-run with changes too)
//   1  errors were reported; nothing was written
//   2  usage error
//   3  --check found changes that have no migration yet
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "strata/AST/Printer.h"
#include "strata/CodeGen/Lowering.h"
#include "strata/Migrate/Autodetect.h"
#include "strata/Migrate/BuildCache.h"
#include "strata/Migrate/MigrationGraph.h"
#include "strata/Migrate/Squash.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Migrate/SyncStamp.h"
#include "strata/Migrate/Writer.h"
#include "strata/Parse/Parser.h"
#include "strata/Sema/Sema.h"
#include "strata/Support/FileDigests.h"
#include "strata/Support/SourceFiles.h"
#include "strata/Verify/Lints.h"
#include "strata/Verify/NewMigration.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <cstdlib>
#include <iostream>
#include <set>
#include <unistd.h>

using namespace strata;
using namespace strata::driver;

namespace {

constexpr int ExitChanges = 3;

llvm::StringRef guessKind(RenameGuess::Kind K) {
  switch (K) {
  case RenameGuess::Kind::Relation:
    return "relation";
  case RenameGuess::Kind::Column:
    return "column";
  case RenameGuess::Kind::Rule:
    return "rule";
  }
  return "";
}

void listOperations(llvm::ArrayRef<OperationPtr> Ops, llvm::raw_ostream &OS) {
  for (const OperationPtr &Op : Ops)
    OS << "  " << Operation::kindMarker(Op->kind()) << ' ' << Op->describe() << '\n';
}

struct Outcome {
  std::string Migration; // name, empty when none
  std::optional<std::string> Written;
  std::optional<std::string> Text;
  std::vector<OperationPtr> Ops;
  std::vector<RenameGuess> Renames;
  bool Changes = false;
};

void printJson(const Outcome &O, bool Check, bool DryRun) {
  llvm::json::OStream J(llvm::outs(), 2);
  J.object([&] {
    J.attribute("version", 1);
    J.attribute("changes", O.Changes);
    J.attribute("migration",
                O.Migration.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(O.Migration));
    J.attribute("written", O.Written ? llvm::json::Value(*O.Written) : llvm::json::Value(nullptr));
    J.attributeArray("operations", [&] {
      for (const OperationPtr &Op : O.Ops)
        J.object([&] {
          J.attribute("kind", Operation::kindName(Op->kind()));
          J.attribute("description", Op->describe());
          J.attribute("data_safe", Op->isDataSafe());
        });
    });
    J.attributeArray("renames", [&] {
      for (const RenameGuess &G : O.Renames)
        J.object([&] {
          J.attribute("kind", guessKind(G.TheKind));
          J.attribute("from", G.From);
          J.attribute("to", G.To);
          J.attribute("score", G.Score);
          J.attribute("question", G.Question);
          J.attribute("answer", "--rename " + G.Answer);
          J.attribute("decision", G.Decision);
          J.attribute("accepted", G.Accepted);
        });
    });
    if (DryRun && O.Text)
      J.attribute("text", *O.Text);
  });
  llvm::outs() << "\n";
}

bool interactive() { return isatty(0) && isatty(2); }

std::optional<std::string> readLine() {
  std::string Line;
  if (!std::getline(std::cin, Line))
    return std::nullopt;
  return std::string(llvm::StringRef(Line).trim());
}

/// Parses Text as a fill value for a column of type T, through the parser.
std::optional<ast::Expr> parseFill(const std::string &Text, const Type &T,
                                   DiagnosticEngine &Diags) {
  std::string Src = "relation fill_value(c: " + T.str() + " = " + Text + ")\n";
  llvm::SourceMgr SM;
  DiagnosticEngine Scratch(SM);
  std::optional<unsigned> ID = addSourceText(Src, "<answer>", Scratch);
  if (!ID)
    return std::nullopt;
  ast::SourceFile F = parseBuffer(*ID, ast::FileKind::Schema, Scratch);
  if (Scratch.hasErrors() || F.Items.size() != 1)
    return std::nullopt;
  const auto *R = std::get_if<ast::RelationDecl>(&F.Items[0]);
  if (!R || R->Columns.size() != 1 || !R->Columns[0].Fill)
    return std::nullopt;
  ast::Expr E = *R->Columns[0].Fill;
  // Re-create without positions into the scratch buffer.
  std::function<void(ast::Expr &)> Strip = [&](ast::Expr &X) {
    X.Range = {};
    for (ast::Expr &Op : X.Operands)
      Strip(Op);
  };
  Strip(E);
  (void)Diags;
  return E;
}

/// The text of a command-line answer as a source buffer named after its
/// flag, so that what is wrong with it can be shown where it is written.
llvm::StringRef answerBuffer(const std::string &Text, llvm::StringRef Flag,
                             DiagnosticEngine &Diags) {
  std::optional<unsigned> ID = addSourceText(Text, Flag, Diags);
  if (!ID)
    return {};
  return Diags.sourceMgr().getMemoryBuffer(*ID)->getBuffer();
}

llvm::SMRange rangeOf(llvm::StringRef Piece) {
  return {llvm::SMLoc::getFromPointer(Piece.begin()), llvm::SMLoc::getFromPointer(Piece.end())};
}

/// Adds the `old=new` pairs of one --rename value (separated by commas) to
/// Opts, each with its place in the value; false when one is malformed.
bool addRenames(llvm::StringRef Value, AutodetectOptions &Opts) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Value.split(Parts, ',', -1, false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    auto [Old, New] = P.split('=');
    if (Old.empty() || New.empty())
      return false;
    Opts.Renames.push_back({Old.str(), New.str()});
    Opts.RenameLocs.push_back(rangeOf(P));
  }
  return true;
}

/// Parses Text, the cast of an answer (`X => EXPR`, or `EXPR` of the old
/// value `X`), as the `using` clause of a retype. The syntax errors are
/// reported into Diags at the text, in a buffer named Flag whose second
/// line it is (followed by the brace closing the wrapper); nullopt after
/// one.
std::optional<Cast> parseCast(llvm::StringRef Text, llvm::StringRef Flag, DiagnosticEngine &Diags) {
  std::string Src = "migration cast_answer { retype column r.c: int -> int using";
  if (!Text.contains("=>"))
    Src += " X =>";
  // The brace on the text's line: an unfinished cast is reported there.
  Src += "\n" + Text.str() + " }\n";
  std::optional<unsigned> ID = addSourceText(Src, Flag, Diags);
  if (!ID)
    return std::nullopt;
  unsigned Errors = Diags.errorCount();
  ast::SourceFile F = parseBuffer(*ID, ast::FileKind::Migration, Diags);
  if (Diags.errorCount() != Errors)
    return std::nullopt;
  for (const ast::Item &I : F.Items)
    if (const auto *M = std::get_if<ast::MigrationDecl>(&I))
      for (const ast::Operation &Op : M->Operations)
        if (const auto *R = std::get_if<ast::RetypeColumnOp>(&Op.Body); R && R->Using)
          return Cast{R->Using->Var.Name, R->Using->Body};
  return std::nullopt;
}

/// Reads one --cast or --cast-reverse value, `rel.col=CAST`, into Opts;
/// false when it is not of that form (a usage error), or (reported) when
/// the cast does not parse.
bool addCast(const std::string &Value, llvm::StringRef Flag, AutodetectOptions &Opts,
             DiagnosticEngine &Diags, bool &Malformed) {
  llvm::StringRef Text = answerBuffer(Value, Flag, Diags);
  auto [Column, CastText] = Text.split('=');
  auto [Rel, Col] = Column.trim().split('.');
  Malformed = Rel.empty() || Col.empty() || CastText.trim().empty();
  if (Malformed)
    return false;
  std::optional<Cast> C = parseCast(CastText.trim(), Flag, Diags);
  if (!C)
    return false;
  AutodetectOptions::CastAnswer A;
  A.Column = Column.trim().str();
  A.Reverse = Flag == "--cast-reverse";
  A.TheCast = std::move(*C);
  A.Loc = rangeOf(Text);
  A.Flag = Flag.str();
  Opts.Casts.push_back(std::move(A));
  return true;
}

std::set<const Migration *> ancestors(const MigrationGraph &G, const Migration *M) {
  std::set<const Migration *> Seen;
  std::vector<const Migration *> Work{M};
  while (!Work.empty()) {
    const Migration *X = Work.back();
    Work.pop_back();
    if (!Seen.insert(X).second)
      continue;
    for (const std::string &D : X->Depends)
      if (const Migration *P = G.find(D))
        Work.push_back(P);
  }
  return Seen;
}

/// Reports conflicts between the branches of the leaves; true when none.
bool checkMergeable(const MigrationGraph &G, const std::vector<const Migration *> &Leaves,
                    DiagnosticEngine &Diags) {
  bool Ok = true;
  for (size_t A = 0; A < Leaves.size(); ++A)
    for (size_t B = A + 1; B < Leaves.size(); ++B) {
      std::set<const Migration *> AncA = ancestors(G, Leaves[A]), AncB = ancestors(G, Leaves[B]);
      struct Touch {
        std::string Key;
        const Operation *Op;
        const Migration *M;
      };
      auto Collect = [&](const std::set<const Migration *> &Mine,
                         const std::set<const Migration *> &Other) {
        std::vector<Touch> Out;
        for (const Migration *M : G.order())
          if (Mine.count(M) && !Other.count(M))
            for (const OperationPtr &Op : M->Operations)
              for (std::string &K : touchedObjects(*Op))
                Out.push_back({std::move(K), Op.get(), M});
        return Out;
      };
      std::vector<Touch> TA = Collect(AncA, AncB), TB = Collect(AncB, AncA);
      std::vector<std::string> Objects;
      const Touch *FirstA = nullptr, *FirstB = nullptr;
      for (const Touch &X : TA)
        for (const Touch &Y : TB)
          if (objectsOverlap(X.Key, Y.Key)) {
            std::string Obj = X.Key.size() >= Y.Key.size() ? X.Key : Y.Key;
            if (std::find(Objects.begin(), Objects.end(), "`" + Obj + "`") == Objects.end())
              Objects.push_back("`" + Obj + "`");
            if (!FirstA) {
              FirstA = &X;
              FirstB = &Y;
            }
          }
      if (Objects.empty())
        continue;
      Ok = false;
      auto D = Diags.report(DiagKind::MergeConflict, Leaves[A]->NameLoc.Start, Leaves[A]->Name,
                            Leaves[B]->Name, llvm::join(Objects, ", "));
      D.noteAt(DiagKind::NoteConflictingOperation, FirstA->Op->loc(), FirstA->M->Name,
               "`" + FirstA->Key + "`");
      D.noteAt(DiagKind::NoteConflictingOperation, FirstB->Op->loc(), FirstB->M->Name,
               "`" + FirstB->Key + "`");
    }
  return Ok;
}

void reportNoChanges(bool Json, bool Check, bool DryRun) {
  if (Json)
    printJson(Outcome(), Check, DryRun);
  else
    llvm::outs() << "No changes detected\n";
}

/// Where a run that leaves schema and history in agreement records so.
std::string syncStampPath(const ProjectConfig &P) {
  llvm::SmallString<256> Path(P.Root);
  llvm::sys::path::append(Path, ".strata", "sync-stamp");
  return Path.str().str();
}

/// The migration about to be written, as loading its text (under the path
/// it will have) gives it; nullopt after reporting into Diags when it does
/// not parse or build.
std::optional<Migration> readBack(const MigrationSpec &Spec, unsigned Number,
                                  const std::string &Text, llvm::StringRef Dir,
                                  DiagnosticEngine &Scratch) {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Spec.Name + ".mig");
  std::optional<unsigned> ID = addSourceText(Text, Path, Scratch);
  if (!ID)
    return std::nullopt;
  ast::SourceFile F = parseBuffer(*ID, ast::FileKind::Migration, Scratch);
  Migration M;
  M.Name = Spec.Name;
  M.Number = Number;
  M.Path = Path.str().str();
  M.Depends = Spec.Depends;
  M.Checksum = sha256Hex(Text);
  for (const ast::Item &I : F.Items)
    if (const auto *D = std::get_if<ast::MigrationDecl>(&I)) {
      M.NameLoc = D->Name.Range;
      for (const ast::Operation &Op : D->Operations)
        if (OperationPtr P = buildOperation(Op, Scratch))
          M.Operations.push_back(std::move(P));
    }
  if (Scratch.hasErrors())
    return std::nullopt;
  return M;
}

/// Lints M, the migration about to be written, lowered (L) against the
/// state the history reaches. False when a lint is an error (--strict).
bool lintNewMigration(const Migration &M, const LoweredMigration &L, const SchemaState &From,
                      bool Strict, DiagnosticEngine &Diags) {
  unsigned Errors = Diags.errorCount();
  LintOptions Opts;
  Opts.Strict = Strict;
  lintMigration(M, L, From, {}, Opts, Diags);
  return Diags.errorCount() == Errors;
}

/// The interactive answers: renames asked as yes/no questions, fill
/// values read as literals of the column's type (three tries).
void askInteractively(AutodetectOptions &Opts, DiagnosticEngine &Diags) {
  Opts.AskRename = [](const std::string &Q) {
    llvm::errs() << Q << ' ';
    llvm::errs().flush();
    std::optional<std::string> A = readLine();
    return A && (llvm::StringRef(*A).equals_insensitive("y") ||
                 llvm::StringRef(*A).equals_insensitive("yes"));
  };
  Opts.AskFill = [&Diags](const std::string &Rel, const std::string &Col,
                          const Type &T) -> std::optional<ast::Expr> {
    for (int Try = 0; Try < 3; ++Try) {
      llvm::errs() << "Value for the existing facts of new column " << Rel << "." << Col << " ("
                   << T.str() << "), e.g. " << defaultFillText(T) << ": ";
      llvm::errs().flush();
      std::optional<std::string> A = readLine();
      if (!A || A->empty())
        return std::nullopt;
      if (std::optional<ast::Expr> E = parseFill(*A, T, Diags))
        return E;
      llvm::errs() << "not a `" << T.str() << "` literal\n";
    }
    return std::nullopt;
  };
  Opts.AskCast = [&Diags](const std::string &Rel, const std::string &Col, const Type &From,
                          const Type &To, bool Reverse) -> std::optional<Cast> {
    const Type &A = Reverse ? To : From, &B = Reverse ? From : To;
    for (int Try = 0; Try < 3; ++Try) {
      llvm::errs() << (Reverse ? "Reverse cast (for reverting) of retyped column "
                               : "Cast for the existing facts of retyped column ")
                   << Rel << "." << Col << " (" << A.str() << " -> " << B.str()
                   << "), an expression of X" << (Reverse ? " (empty: none)" : "") << ": ";
      llvm::errs().flush();
      std::optional<std::string> Line = readLine();
      if (!Line || Line->empty())
        return std::nullopt;
      DiagnosticEngine Scratch(Diags.sourceMgr());
      std::optional<Cast> C = parseCast(*Line, "<answer>", Scratch);
      if (C && checkCast(C->Var, C->Body, A, B, Rel + "." + Col, Scratch))
        return C;
      for (const Diagnostic &D : Scratch.diagnostics())
        llvm::errs() << D.Message << "\n";
    }
    return std::nullopt;
  };
}

/// One run of `strata makemigrations`, step by step: read the options,
/// answer from the sync stamp when nothing changed, plan the migration (a
/// merge, or the changes the autodetector finds), then write and report it.
class MakeMigrations {
public:
  explicit MakeMigrations(Invocation &Inv) : Inv(Inv), Diags(Inv.diags()) {}

  int run() {
    if (std::optional<int> RC = readOptions())
      return *RC;
    if (!Inv.loadProject() || !Inv.requireProject())
      return Inv.finish();
    P = &Inv.project();
    if (unchangedSinceLastRun())
      return Inv.finish();
    // The cache owns the history's graph: like every tree and state of the
    // run it lives until exit (see keepUntilExit).
    Cache = new BuildCache(P->Root, UseCache, std::move(Seen));
    // A cold run loads and replays the history while it reads the schema
    // (settled in planChanges, before anything about the schema is
    // reported): until then the view holds nothing.
    Cache->setReplayMeanwhile(!Merge);
    auto &Loaded = keepUntilExit(Cache->history(P->MigrationsDir, Diags));
    if (!Loaded || Diags.hasErrors())
      return finish();
    History = &*Loaded;
    if (!(Merge ? planMerge() : planChanges()))
      return finish();
    return writeAndReport();
  }

private:
  /// The exit status when the options are wrong.
  std::optional<int> readOptions() {
    std::string Format = Inv.value("--format").value_or("text");
    if (Format != "text" && Format != "json")
      return Inv.usageError("`--format` must be `text` or `json`, not `" + Format + "`");
    if (!Inv.positional().empty())
      return Inv.usageError("unexpected argument `" + Inv.positional().front() + "`");
    Check = Inv.flag("--check");
    DryRun = Inv.flag("--dry-run");
    Json = Format == "json";
    Empty = Inv.flag("--empty");
    Merge = Inv.flag("--merge");
    if (Empty && Merge)
      return Inv.usageError("`--empty` and `--merge` cannot be used together");
    for (const std::string &R : Inv.values("--rename"))
      if (!addRenames(answerBuffer(R, "--rename", Diags), Opts))
        return Inv.usageError("`--rename` takes `old=new` pairs, separated by commas: `" + R + "`");
    for (llvm::StringRef Flag : {"--cast", "--cast-reverse"})
      for (const std::string &C : Inv.values(Flag)) {
        bool Malformed = false;
        if (addCast(C, Flag, Opts, Diags, Malformed))
          continue;
        if (Malformed)
          return Inv.usageError("`" + Flag.str() + "` takes `rel.col=EXPR`: `" + C + "`");
        return Inv.finish();
      }
    Name = Inv.value("--name");
    if (Name && !isValidMigrationName(*Name)) {
      Diags.report(DiagKind::BadMigrationNameOption, llvm::SMLoc(), *Name);
      return Inv.finish();
    }
    UseCache = !Inv.flag("--no-cache");
    return std::nullopt;
  }

  /// True (after saying so) when nothing that decides the answer changed
  /// since a run found no changes.
  bool unchangedSinceLastRun() {
    // Answers are checked against the changes, even when there are none.
    if (Merge || Empty || !UseCache || !Opts.Renames.empty() || !Opts.Casts.empty())
      return false;
    Inputs = syncFingerprint(P->SchemaDir, P->MigrationsDir, &Seen);
    if (!Inputs || !syncStampMatches(syncStampPath(*P), *Inputs))
      return false;
    reportNoChanges(Json, Check, DryRun);
    if (Inv.flag("--stats"))
      llvm::errs() << "cache: no input changed since a run found no changes "
                      "(.strata/sync-stamp)\n";
    return true;
  }

  int finish() {
    Cache->save();
    int RC = Inv.finish();
    if (Inv.flag("--stats"))
      Cache->report().print(llvm::errs());
    return RC;
  }

  /// Names the merge of the history's leaves; false when there is nothing
  /// to merge or the leaves conflict.
  bool planMerge() {
    Spec.Depends = History->Leaves;
    if (History->Leaves.size() < 2) {
      Diags.report(DiagKind::NothingToMerge, llvm::SMLoc());
      return false;
    }
    // Several leaves are never a cache hit: the graph is there.
    const MigrationGraph &Graph = *History->Graph;
    std::vector<const Migration *> Leaves = effectiveLeaves(Graph);
    if (!checkMergeable(Graph, Leaves, Diags))
      return false;
    std::string Suffix = "merge";
    for (const Migration *L : Leaves)
      Suffix += "_" + migrationNumber(L->Number);
    Spec.Name = migrationNumber(History->NextNumber) + "_" + (Name ? *Name : Suffix);
    return true;
  }

  /// Fills Spec with the changes from the history's state to the schema's
  /// and names it; false when there is nothing to write (errors, or no
  /// changes, which it reports).
  bool planChanges() {
    // A history still loading has no leaves yet: it is checked once settled.
    if (reportDivergentLeaves())
      return false;
    // The schema's diagnostics come after the history's, and only when the
    // history (whose load or replay may still be running) has none.
    DiagnosticEngine SchemaDiags(Diags.sourceMgr());
    auto &Analyzed = keepUntilExit(Cache->schema(P->SchemaDir, SchemaDiags));
    if (!Cache->settle(*History, Diags) || Diags.hasErrors() || reportDivergentLeaves())
      return false;
    Spec.Depends = History->Leaves;
    Diags.append(std::move(SchemaDiags));
    if (!Analyzed || Diags.hasErrors())
      return false;
    Schema = &*Analyzed;
    if (!Empty && !detectChanges())
      return false;
    if (!Empty && Spec.Operations.empty()) {
      Cache->storeSchema(*Schema);
      reportNoChanges(Json, Check, DryRun);
      if (Inputs && !Diags.hasErrors() && Diags.warningCount() == 0)
        writeSyncStamp(syncStampPath(*P), *Inputs);
      return false;
    }
    Spec.Name = migrationNumber(History->NextNumber) + "_" +
                (Name    ? *Name
                 : Empty ? std::string(History->Empty ? "initial" : "empty")
                         : suggestMigrationName(Spec.Operations, History->Empty));
    return true;
  }

  /// Reports divergent leaves (the history's branches need a merge);
  /// true when it did.
  bool reportDivergentLeaves() {
    if (History->Leaves.size() < 2)
      return false;
    std::vector<const Migration *> Leaves = effectiveLeaves(*History->Graph);
    std::vector<std::string> Quoted;
    for (const Migration *L : Leaves)
      Quoted.push_back("`" + L->Name + "`");
    auto D = Diags.report(DiagKind::DivergentLeaves, Leaves[1]->NameLoc.Start,
                          llvm::join(Quoted, " and "));
    D.range(Leaves[1]->NameLoc);
    return true;
  }

  /// Runs the autodetector into Spec.Operations; false on errors.
  bool detectChanges() {
    // Equal fingerprints (kept by the cache with each state) mean the
    // autodetector would find nothing: neither state needs reading back.
    bool Same = Opts.Renames.empty() && Opts.Casts.empty() && !Schema->Fingerprint.empty() &&
                Cache->fingerprint(*History) == Schema->Fingerprint;
    if (Same)
      return true;
    if (!Cache->loadState(*History, Diags) || !Cache->loadState(*Schema, Diags) ||
        Diags.hasErrors())
      return false;
    if (interactive() && !Json)
      askInteractively(Opts, Diags);
    AutodetectResult R = autodetect(History->State, Schema->State, Schema->Hints, Opts, Diags);
    O.Renames = std::move(R.Renames);
    if (!R.Ok || Diags.hasErrors())
      return false;
    Spec.Operations = std::move(R.Operations);
    return true;
  }

  /// Renders, checks, writes (unless --check or --dry-run) and reports the
  /// planned migration.
  int writeAndReport() {
    O.Changes = true;
    O.Migration = Spec.Name;
    O.Ops = Spec.Operations;
    O.Text = renderMigration(Spec, Diags);
    if (!O.Text)
      return finish();
    std::optional<Migration> Written;
    if (!Check && !(Written = selfCheck()))
      return finish();
    if (!Check && !DryRun) {
      std::optional<std::string> Path =
          writeMigrationFile(P->MigrationsDir, Spec.Name, *O.Text, Diags);
      if (!Path)
        return finish();
      O.Written = *Path;
      if (!writeSumFile(P->MigrationsDir, Diags))
        return finish();
      if (Written && !Merge) {
        Cache->addedMigration(P->MigrationsDir, *History, *Written);
        if (Schema && !Empty)
          Cache->storeSchema(*Schema);
      }
    }
    printOutcome();
    int RC = finish();
    if (RC == ExitOk && Check)
      return ExitChanges;
    return RC;
  }

  /// The migration as its text reads back, once it passed every check
  /// Strata would later apply to it (NewMigration.h) and the lints; nullopt
  /// after reporting, when it must not be written.
  std::optional<Migration> selfCheck() {
    DiagnosticEngine Problems(Diags.sourceMgr());
    std::optional<Migration> M =
        readBack(Spec, History->NextNumber, *O.Text, P->MigrationsDir, Problems);
    std::optional<LoweredMigration> L;
    // Testing hook (docs/safety.md): stands for an autodetector bug, so the
    // tests can show that such a migration is refused, not written.
    if (M && std::getenv("STRATA_TEST_DROP_LAST_OPERATION") && !M->Operations.empty())
      M->Operations.pop_back();
    if (M && !Spec.Operations.empty()) {
      const SchemaState *Expected = Schema && !Empty ? &Schema->State : nullptr;
      L = checkNewMigration(*M, History->State, Expected, Problems);
    }
    if (!M || (!Spec.Operations.empty() && !L)) {
      Diags.append(std::move(Problems));
      Diags.report(DiagKind::NewMigrationRejected, llvm::SMLoc(), Spec.Name);
      return std::nullopt;
    }
    if (L && !lintNewMigration(*M, *L, History->State, Inv.flag("--strict"), Diags))
      return std::nullopt;
    return M;
  }

  void printOutcome() {
    if (Json) {
      printJson(O, Check, DryRun);
    } else if (Check) {
      llvm::outs() << "changes without a migration (" << Spec.Operations.size()
                   << (Spec.Operations.size() == 1 ? " operation" : " operations")
                   << "); run `strata makemigrations` to write " << Spec.Name << ".mig:\n";
      listOperations(Spec.Operations, llvm::outs());
    } else {
      llvm::outs() << "Migration " << Spec.Name << ":\n";
      listOperations(Spec.Operations, llvm::outs());
      if (DryRun)
        llvm::outs() << "\n" << *O.Text;
      else
        llvm::outs() << "wrote " << *O.Written << "\n";
    }
  }

  Invocation &Inv;
  DiagnosticEngine &Diags;
  // Options.
  bool Check = false, DryRun = false, Json = false, Empty = false, Merge = false;
  bool UseCache = true;
  AutodetectOptions Opts;
  std::optional<std::string> Name;
  // The run so far.
  const ProjectConfig *P = nullptr;
  std::optional<std::string> Inputs; // the stat fingerprint of every input
  FileStatuses Seen;
  BuildCache *Cache = nullptr; // lives until exit, like what it owns
  HistoryView *History = nullptr;
  SchemaView *Schema = nullptr; // not for --merge
  MigrationSpec Spec;
  Outcome O;
};

int runMakeMigrations(Invocation &Inv) { return MakeMigrations(Inv).run(); }

} // namespace

const CommandSpec strata::driver::MakeMigrationsCommand = {
    "makemigrations",
    "write the next migration from the changes to the schema",
    "makemigrations [--name NAME] [--empty] [--check] [--merge] [--rename OLD=NEW[,...]] "
    "[--cast REL.COL=EXPR] [--cast-reverse REL.COL=EXPR] [--dry-run] [--strict] "
    "[--format text|json] [options]",
    "Compares the schema the migration history reaches with the schema files\n"
    "and writes `NNNN_name.mig` holding the operations between them, in an\n"
    "order the server accepts, then refreshes `strata.sum`. An existing file\n"
    "is never overwritten, and nothing is written when there is an error.\n"
    "\n"
    "Renames: a `renamed_from` in the schema or a `--rename old=new` answer\n"
    "(`rel`, `rel.col` or a rule name; several separated by commas) makes a\n"
    "rename, together with whatever else changed (columns of a renamed\n"
    "relation, the type of a renamed column, the clauses of a renamed rule);\n"
    "an answer that cannot be honoured (a name that does not exist, an old\n"
    "name still in the schema, two answers for one name) is an error. In a\n"
    "terminal the command asks; otherwise an unanswered guess is\n"
    "written as drop + add with a warning that data will be lost. A new\n"
    "column of an existing relation needs a fill value (`= value`).\n"
    "\n"
    "Columns are matched by identity, never by position or type: by name,\n"
    "then by `renamed_from`, then by an answer (`--rename rel.col=new` or\n"
    "the question in a terminal). Matched columns keep their values; when\n"
    "they stand in another order than the schema's, a `reorder columns`\n"
    "puts them in place. Names swapped with `renamed_from` are renames\n"
    "(through a temporary name) when the schema lists the renamed columns\n"
    "where the old ones stood (docs/language.md, \"How makemigrations\n"
    "matches columns\").\n"
    "\n"
    "Retypes: a column whose type changes is converted with the server's\n"
    "function for the two types (`to_int`, `to_float`, `concat` to a\n"
    "string), written as `using X => ...` and `reverse X => ...`; lint S007\n"
    "says which values it cannot carry (`migrate` refuses to run while a\n"
    "fact does not convert). Where the server has no conversion (a vector,\n"
    "a bool, a list), `--cast rel.col=EXPR` gives the cast (EXPR reads the\n"
    "old value as `X`, or names it: `V => EXPR`) and `--cast-reverse\n"
    "rel.col=EXPR` the one back; both also replace the server's conversion.\n"
    "In a terminal the command asks; otherwise a retype with no cast is an\n"
    "error naming the column and the flag. A cast that does not parse or\n"
    "check against the two types, or answers no retype, is an error.\n"
    "\n"
    "Divergent leaves need `--merge`, which writes a migration depending on\n"
    "all of them when their branches change disjoint objects.\n"
    "\n"
    "exit status of makemigrations: 0 migration written, or no changes;\n"
    "1 errors were reported (nothing written); 2 usage error; 3 --check\n"
    "found changes without a migration.\n"
    "\n"
    "The safety lints of the new migration (docs/lints.md) are printed as\n"
    "warnings; with --strict they are errors and nothing is written.\n"
    "\n"
    "The history's replayed state, the analysed schema and each schema\n"
    "file's syntax tree are kept in `.strata/cache` under the hashes of the\n"
    "files they come from, so an unchanged history is not replayed and an\n"
    "edited schema file is parsed again only where it changed. Only results\n"
    "without any diagnostic are kept; the cache may be deleted at any time.",
    {{"--name", "NAME", "the migration's name after `NNNN_` (default: from the operations)"},
     {"--empty", nullptr, "write a migration with no operations (for hand-written `run iql`)"},
     {"--check", nullptr, "write nothing; exit 3 with a summary when there are changes"},
     {"--merge", nullptr, "write a merge migration joining divergent leaves"},
     {"--rename", "OLD=NEW",
      "answer a rename guess (`rel`, `rel.col`, rule); repeat it or separate pairs with commas"},
     {"--cast", "REL.COL=EXPR",
      "the cast of retyped column REL.COL (new names), an expression of `X`, the old value"},
     {"--cast-reverse", "REL.COL=EXPR",
      "the cast back to the old type, used when the migration is reverted"},
     {"--dry-run", nullptr, "print the operations and the file; write nothing"},
     {"--strict", nullptr, "safety lints (docs/lints.md) are errors: write nothing"},
     {"--format", "FORMAT", "`text` (default) or `json` (versioned, for tools)"},
     {"--no-cache", nullptr, "neither read nor write the build cache (.strata/cache)"},
     {"--stats", nullptr, "print what the build cache held (to standard error)"}},
    runMakeMigrations,
};
