//===- TerminalWriter.cpp - A review as a short summary on a terminal -----===//
//
// One line a migration and one an operation, with its verdicts and its
// lints under it; the IQL and the diff are left to the other formats,
// which the last line names.
//
//===----------------------------------------------------------------------===//
#include "strata/Review/Render.h"
#include "llvm/Support/WithColor.h"

using namespace strata;
using namespace strata::review;

namespace {
class Painter {
public:
  Painter(llvm::raw_ostream &OS, bool Color) : OS(OS), Color(Color) {}
  llvm::raw_ostream &in(llvm::raw_ostream::Colors C, bool Bold = false) {
    if (Color)
      OS.changeColor(C, Bold);
    return OS;
  }
  llvm::raw_ostream &plain() {
    if (Color)
      OS.resetColor();
    return OS;
  }

private:
  llvm::raw_ostream &OS;
  bool Color;
};

llvm::raw_ostream::Colors colorOf(char Marker) {
  return Marker == '+'   ? llvm::raw_ostream::GREEN
         : Marker == '-' ? llvm::raw_ostream::RED
                         : llvm::raw_ostream::YELLOW;
}

void operation(const OperationReview &O, Painter &P) {
  P.in(colorOf(O.Marker)) << "  " << O.Marker << ' ' << O.Summary;
  P.plain() << "  (" << reversibilityName(O.Reverse) << (O.DataSafe ? "" : ", can lose facts")
            << ", " << O.Forward.size() << " forward / " << O.Backward.size()
            << " backward statements)\n";
  for (const LintFinding &L : O.Lints) {
    P.in(llvm::raw_ostream::MAGENTA)
        << "      " << (L.Code.empty() ? L.Kind : L.Code) << ' ' << L.Severity;
    P.plain() << ": " << L.Message << '\n';
  }
}
} // namespace

void review::writeTerminal(const Review &R, llvm::raw_ostream &OS, bool Color) {
  Painter P(OS, Color);
  OS << R.Selection << '\n';
  if (!R.Problems.empty())
    OS << R.Problems;
  for (const MigrationReview &M : R.Migrations) {
    P.in(llvm::raw_ostream::SAVEDCOLOR, true) << M.Name;
    P.plain() << (M.Verified.empty() ? "" : ": " + M.Verified) << '\n';
    if (!M.Problems.empty())
      OS << M.Problems;
    if (!M.Complete)
      continue;
    for (const ObjectDiff &D : M.Schema)
      OS << "  schema: " << D.Name << ' '
         << (D.TheChange == ObjectDiff::Change::Added     ? "added"
             : D.TheChange == ObjectDiff::Change::Removed ? "removed"
                                                          : "changed")
         << '\n';
    for (const OperationReview &O : M.Ops)
      operation(O, P);
  }
  OS << "(`--format html`, `markdown` or `json` for the diff, the pre-checks and the IQL)\n";
}
