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

std::optional<std::vector<std::pair<std::string, std::string>>>
parseRenames(const std::string &Value) {
  std::vector<std::pair<std::string, std::string>> Out;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  llvm::StringRef(Value).split(Parts, ',', -1, false);
  for (llvm::StringRef P : Parts) {
    auto [Old, New] = P.trim().split('=');
    if (Old.empty() || New.empty())
      return std::nullopt;
    Out.push_back({Old.str(), New.str()});
  }
  return Out;
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
    auto &Loaded = keepUntilExit(Cache->history(P->MigrationsDir, Diags));
    if (!Loaded || Diags.hasErrors())
      return finish();
    History = &*Loaded;
    Spec.Depends = History->Leaves;
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
    for (const std::string &R : Inv.values("--rename")) {
      auto Parsed = parseRenames(R);
      if (!Parsed)
        return Inv.usageError("`--rename` takes `old=new` pairs, separated by commas: `" + R + "`");
      Opts.Renames.insert(Opts.Renames.end(), Parsed->begin(), Parsed->end());
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
    if (Merge || Empty || !UseCache)
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
    if (History->Leaves.size() > 1) {
      std::vector<const Migration *> Leaves = effectiveLeaves(*History->Graph);
      std::vector<std::string> Quoted;
      for (const Migration *L : Leaves)
        Quoted.push_back("`" + L->Name + "`");
      auto D = Diags.report(DiagKind::DivergentLeaves, Leaves[1]->NameLoc.Start,
                            llvm::join(Quoted, " and "));
      D.range(Leaves[1]->NameLoc);
      return false;
    }
    auto &Analyzed = keepUntilExit(Cache->schema(P->SchemaDir, Diags));
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

  /// Runs the autodetector into Spec.Operations; false on errors.
  bool detectChanges() {
    // Equal fingerprints (kept by the cache with each state) mean the
    // autodetector would find nothing: neither state needs reading back.
    bool Same = Opts.Renames.empty() && !History->Fingerprint.empty() &&
                History->Fingerprint == Schema->Fingerprint;
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
    "[--dry-run] [--strict] [--format text|json] [options]",
    "Compares the schema the migration history reaches with the schema files\n"
    "and writes `NNNN_name.mig` holding the operations between them, in an\n"
    "order the server accepts, then refreshes `strata.sum`. An existing file\n"
    "is never overwritten, and nothing is written when there is an error.\n"
    "\n"
    "Renames: a `renamed_from` in the schema or a `--rename old=new` answer\n"
    "(`rel`, `rel.col` or a rule name; several separated by commas) makes a\n"
    "rename, together with whatever else changed (columns of a renamed\n"
    "relation, the type of a renamed column, the clauses of a renamed rule);\n"
    "an answer that matches no dropped and added pair is an error. In a\n"
    "terminal the command asks; otherwise an unanswered guess is\n"
    "written as drop + add with a warning that data will be lost. A new\n"
    "column of an existing relation needs a fill value (`= value`).\n"
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
     {"--dry-run", nullptr, "print the operations and the file; write nothing"},
     {"--strict", nullptr, "safety lints (docs/lints.md) are errors: write nothing"},
     {"--format", "FORMAT", "`text` (default) or `json` (versioned, for tools)"},
     {"--no-cache", nullptr, "neither read nor write the build cache (.strata/cache)"},
     {"--stats", nullptr, "print what the build cache held (to standard error)"}},
    runMakeMigrations,
};
