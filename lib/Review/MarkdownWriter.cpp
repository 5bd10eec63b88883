//===- MarkdownWriter.cpp - A review as a pull-request comment ------------===//
//
// GitHub-flavoured markdown: headings per migration and operation, the
// schema as `diff` code blocks, lints as a table, and the IQL of an
// operation folded in <details> when it is longer than a few statements,
// so a large migration still reads as a short comment.
//
//===----------------------------------------------------------------------===//
#include "strata/Review/Render.h"

using namespace strata;
using namespace strata::review;

namespace {
/// Statements shown unfolded; more are put in <details>.
constexpr size_t InlineStatements = 4;

/// Text for a table cell: no pipes or newlines to break the row.
std::string cell(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text) {
    if (C == '|')
      Out += "\\|";
    else if (C == '\n')
      Out += ' ';
    else
      Out += C;
  }
  return Out;
}

void fence(llvm::raw_ostream &OS, llvm::StringRef Lang, llvm::StringRef Text) {
  OS << "```" << Lang << '\n' << Text;
  if (!Text.endswith("\n"))
    OS << '\n';
  OS << "```\n";
}

void schema(const MigrationReview &M, llvm::raw_ostream &OS) {
  OS << "### Schema before and after\n\n";
  if (M.Schema.empty()) {
    OS << "No relation changes.\n\n";
    return;
  }
  for (const ObjectDiff &D : M.Schema) {
    OS << "**" << (D.TheKind == ObjectDiff::Kind::Relation ? "relation" : "derived relation")
       << " `" << D.Name << "`** ("
       << (D.TheChange == ObjectDiff::Change::Added     ? "added"
           : D.TheChange == ObjectDiff::Change::Removed ? "removed"
                                                        : "changed")
       << ")\n\n";
    std::string Text;
    for (const DiffLine &L : D.Lines)
      Text += std::string(1, L.Sign) + " " + L.Text + "\n";
    fence(OS, "diff", Text);
    OS << '\n';
  }
}

void lints(const std::vector<LintFinding> &Ls, llvm::raw_ostream &OS) {
  OS << "| code | severity | message | fix |\n|---|---|---|---|\n";
  for (const LintFinding &L : Ls)
    OS << "| " << (L.Code.empty() ? L.Kind : L.Code) << " | " << L.Severity << " | "
       << cell(L.Message) << " | " << cell(L.Fix) << " |\n";
  OS << '\n';
}

void iqlBlocks(const OperationReview &O, llvm::raw_ostream &OS) {
  auto Text = [](const std::vector<IqlLine> &Lines) {
    std::string Out;
    for (const IqlLine &L : Lines)
      Out += "// " + L.Step + (L.Lossy ? " [lossy]" : "") + "\n" + L.Text + "\n";
    return Out;
  };
  size_t Count = O.Forward.size() + O.Backward.size();
  bool Fold = Count > InlineStatements;
  if (Fold)
    OS << "<details><summary>IQL: " << O.Forward.size() << " forward, " << O.Backward.size()
       << " backward statements</summary>\n\n";
  OS << "Forward IQL:\n\n";
  fence(OS, "", Text(O.Forward));
  OS << "\nBackward IQL" << (O.Backward.empty() ? " (none)" : "") << ":\n\n";
  if (!O.Backward.empty())
    fence(OS, "", Text(O.Backward));
  if (Fold)
    OS << "\n</details>\n";
  OS << '\n';
}

void operation(const OperationReview &O, llvm::raw_ostream &OS) {
  OS << "#### " << O.Index << ". `" << O.Marker << "` " << O.Summary << "\n\n";
  OS << "- line " << O.Line << "; data-safe: " << (O.DataSafe ? "yes" : "**no**")
     << "; reversibility: **" << reversibilityName(O.Reverse) << "** (" << O.ReverseWhy << ")\n";
  OS << "- pre-checks `migrate` runs:";
  if (O.PreChecks.empty())
    OS << ' ' << (O.PreCheckNote.empty() ? "none" : O.PreCheckNote) << '\n';
  else {
    OS << '\n';
    for (const PreCheck &P : O.PreChecks)
      OS << "  - `" << P.Kind << "`: " << P.Description << '\n';
  }
  if (O.Lints.empty())
    OS << "- lints: none\n";
  else
    OS << "- lints: " << O.Lints.size() << ", in the table below\n";
  OS << '\n';
  if (!O.Lints.empty())
    lints(O.Lints, OS);
  iqlBlocks(O, OS);
}

void migration(const MigrationReview &M, llvm::raw_ostream &OS) {
  OS << "## " << M.Name << "\n\n";
  OS << "File `" << M.File << "`";
  if (!M.Depends.empty()) {
    OS << "; depends on";
    for (size_t I = 0; I < M.Depends.size(); ++I)
      OS << (I ? ", `" : " `") << M.Depends[I] << '`';
  }
  if (!M.Replaces.empty())
    OS << "; replaces " << M.Replaces.size() << " migrations";
  OS << ".";
  if (!M.Verified.empty())
    OS << " Verification: **" << M.Verified << "** (" << M.VerifyMessage << ").";
  OS << "\n\n";
  if (!M.Problems.empty()) {
    OS << "### Problems\n\n";
    fence(OS, "text", M.Problems);
    OS << '\n';
  }
  if (!M.Complete)
    return;
  schema(M, OS);
  OS << "### Operations\n\n";
  for (const OperationReview &O : M.Ops)
    operation(O, OS);
  if (!M.OtherLints.empty()) {
    OS << "### Other lints\n\n";
    lints(M.OtherLints, OS);
  }
}
} // namespace

void review::writeMarkdown(const Review &R, llvm::raw_ostream &OS) {
  OS << "# Migration review\n\n" << R.Selection << "\n\n";
  if (!R.Problems.empty()) {
    OS << "## Problems\n\n";
    fence(OS, "text", R.Problems);
    OS << '\n';
  }
  for (const MigrationReview &M : R.Migrations)
    migration(M, OS);
  if (!R.GraphDot.empty()) {
    OS << "## Migration graph\n\n"
          "Reviewed migrations are labelled `reviewed`. `strata review --format html` draws "
          "it; here is its Graphviz source.\n\n"
          "<details><summary>Graphviz DOT</summary>\n\n";
    fence(OS, "dot", R.GraphDot);
    OS << "\n</details>\n";
  }
}
