//===- ReviewCommand.cpp - `strata review [MIGRATION...]` -----------------===//
//
// Chooses the migrations and the format; lib/Review gathers and writes.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "TargetFlags.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Review/Render.h"
#include "strata/Review/Review.h"
#include "llvm/Support/Process.h"

using namespace strata;
using namespace strata::driver;

namespace {
/// The migrations a target has not applied, in the history's order; a
/// squash the target follows through its originals is not one of them.
std::vector<const Migration *> pendingOn(const exec::TargetStatus &S) {
  std::vector<const Migration *> Out;
  for (const exec::MigrationStatus &MS : S.Migrations) {
    bool ViaOriginals = llvm::any_of(S.Squashes, [&](const exec::SquashOnTarget &U) {
      return U.Squash == MS.M && U.UsesOriginals;
    });
    if (!MS.Applied && !ViaOriginals)
      Out.push_back(MS.M);
  }
  return Out;
}

/// The migrations to review, and in words how they were chosen. Returns
/// an exit status instead when the choice fails.
std::optional<int> choose(Invocation &Inv, const MigrationGraph &G,
                          std::vector<const Migration *> &Selected, std::string &How) {
  for (const std::string &Name : Inv.positional()) {
    const Migration *M = G.resolve(Name);
    if (!M)
      return Inv.usageError("no migration `" + Name + "`");
    Selected.push_back(M);
  }
  if (!Selected.empty()) {
    How = "Reviewing the migrations named on the command line.";
    return std::nullopt;
  }
  ChosenTarget T = chooseTarget(Inv);
  if (T.Source != "default") {
    int Exit = ExitOk;
    std::optional<exec::TargetStatus> S = readChosenTargetStatus(Inv, G, Exit);
    if (!S)
      return Exit;
    Selected = pendingOn(*S);
    How = Selected.empty() ? "Nothing is pending on " + S->TargetName + " (chosen by " + T.Source +
                                 "): every migration is applied."
                           : "Reviewing the migrations pending on " + S->TargetName +
                                 " (chosen by " + T.Source + ").";
    return std::nullopt;
  }
  Selected = G.leaves();
  How = Selected.size() == 1 ? "Reviewing the latest migration (the leaf of the history; no "
                               "target was chosen)."
                             : "Reviewing the latest migrations (the leaves of the history; no "
                               "target was chosen).";
  return std::nullopt;
}

/// Colour for the terminal summary, as `--color` says for diagnostics.
bool useColor(const Invocation &Inv) {
  std::string When = Inv.value("--color").value_or("auto");
  return When == "always" ||
         (When == "auto" && llvm::sys::Process::StandardOutIsDisplayed() && !getenv("NO_COLOR"));
}

void write(const Invocation &Inv, const review::Review &R, const std::string &Format) {
  if (Format == "html")
    review::writeHtml(R, llvm::outs());
  else if (Format == "markdown")
    review::writeMarkdown(R, llvm::outs());
  else if (Format == "json")
    review::writeJson(R, llvm::outs());
  else
    review::writeTerminal(R, llvm::outs(), useColor(Inv));
}

int runReview(Invocation &Inv) {
  bool Tty = llvm::sys::Process::StandardOutIsDisplayed();
  std::string Format = Inv.value("--format").value_or(Tty ? "terminal" : "markdown");
  if (Format != "html" && Format != "markdown" && Format != "json" && Format != "terminal")
    return Inv.usageError("`--format` must be `html`, `markdown`, `json` or `terminal`, not `" +
                          Format + "`");
  if (!Inv.loadProject() || !Inv.requireProject() || !Inv.requireMigrationsDir())
    return Inv.finish();
  auto &G = keepUntilExit(loadHistory(Inv.project().MigrationsDir, Inv.diags()));
  if (!G) {
    review::Review R =
        review::buildFailedReview(Inv.project().MigrationsDir, Inv.positional(), Inv.diags());
    R.Selection = "The migration history does not load; its problems are shown in place of the "
                  "review.";
    write(Inv, R, Format);
    return Inv.finish();
  }
  std::vector<const Migration *> Selected;
  std::string How;
  if (std::optional<int> Exit = choose(Inv, *G, Selected, How))
    return *Exit;
  // Only the html page shows the picture: the other formats do not load
  // Graphviz to lay out a graph they would not print.
  review::Review R = review::buildReview(*G, Selected, Inv.diags(),
                                         Format == "html" ? review::GraphPicture::WithSvg
                                                          : review::GraphPicture::DotOnly);
  R.Selection = How;
  write(Inv, R, Format);
  return Inv.finish();
}
} // namespace

const CommandSpec strata::driver::ReviewCommand = {
    "review",
    "show what migrations do, for a reviewer: html, markdown, json",
    "review [MIGRATION...] [--format html|markdown|json|terminal] [--target URL] [options]",
    "Gathers, for each migration, what Strata knows before it runs: the schema\n"
    "before and after it as a diff per relation (columns with their types and\n"
    "fill values, rule clauses, indexes); each operation with its safety lints\n"
    "(code, severity, message, fix), whether it is data-safe, whether it can be\n"
    "reverted, the data pre-checks `migrate` runs before sending it, and the\n"
    "forward and backward IQL it lowers to; whether the migration verifies\n"
    "(`strata verify`); and the migration graph with the reviewed migrations\n"
    "marked. Nothing is sent to a target.\n"
    "Which migrations: those named; with none, the migrations not yet applied\n"
    "on the target when one is chosen (--target, STRATA_TARGET or strata.toml's\n"
    "`target`; only its ledger is read), else the latest migrations, the leaves\n"
    "of the history (the default `.strata/dev.kg` is not read).\n"
    "--format html writes one self-contained page (no script, nothing fetched;\n"
    "the graph is inline SVG laid out by Graphviz), markdown a pull-request\n"
    "comment (long IQL folded), json a document for bots (version 1, schema in\n"
    "docs/cli.md), terminal a short summary. The default is markdown when\n"
    "standard output is not a terminal, the summary when it is.\n"
    "A migration that does not parse, replay or lower still gets its entry,\n"
    "with the diagnostics in place of what could not be computed; they are\n"
    "also printed to standard error, and the exit status is 1.",
    concatOptions({{"--format", "FORMAT", "`html`, `markdown`, `json` or `terminal`"}},
                  targetOptions()),
    runReview,
};
