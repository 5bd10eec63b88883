//===- HtmlWriter.cpp - A review as one self-contained html page ----------===//
//
// The page needs nothing but itself: the style is inline, there is no
// script, no font or image is fetched (the graph is inline SVG), so it can
// be attached to a ticket or opened from a CI artifact. It reads without
// colour: every diff line keeps its `+`/`-` sign, every verdict has its
// word, and the landmarks (<nav>, <main>, <section>) and headings give a
// screen reader the outline. @media print drops the navigation and keeps
// sections whole.
//
//===----------------------------------------------------------------------===//
#include "strata/Review/Render.h"

using namespace strata;
using namespace strata::review;

namespace {
const char *const Style = R"css(
:root { --add: #1a7f37; --add-bg: #dafbe1; --del: #b42318; --del-bg: #ffebe9; --warn: #8a5300;
        --muted: #57606a; --line: #d0d7de; --code-bg: #f6f8fa; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; }
header, main, footer { max-width: 70rem; margin: 0 auto; padding: 0 1.5rem; }
nav { max-width: 70rem; margin: 0 auto; padding: 0 1.5rem; }
nav ul { margin: 0.2rem 0; }
h1 { margin-top: 1.5rem; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
section.migration { margin-bottom: 3rem; }
article.operation { border: 1px solid var(--line); border-radius: 6px; padding: 0 1rem 0.5rem;
                    margin: 1rem 0; }
pre { background: var(--code-bg); padding: 0.6rem 0.8rem; overflow-x: auto; border-radius: 4px;
      font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
pre.diff span { display: block; }
pre.diff .add { background: var(--add-bg); color: var(--add); }
pre.diff .del { background: var(--del-bg); color: var(--del); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.yes { color: var(--add); } .no, .irreversible, .failed { color: var(--del); font-weight: 600; }
.lossy, .warning { color: var(--warn); font-weight: 600; }
.badge { font-size: 0.8em; border: 1px solid currentColor; border-radius: 3px; padding: 0 0.3em; }
.badge.added { color: var(--add); } .badge.removed { color: var(--del); }
.badge.changed { color: var(--warn); }
ul.lints li { margin-bottom: 0.4rem; } .fix { margin: 0.1rem 0 0; color: var(--muted); }
pre.iql .step { color: var(--muted); display: block; }
pre.iql .k { color: #0550ae; } pre.iql .v { color: #8250df; } pre.iql .n { color: #0a3069; }
pre.iql .s { color: #0a3069; } pre.iql .p { color: var(--muted); }
pre.diagnostics { border-left: 4px solid var(--del); }
figure svg { max-width: 100%; height: auto; }
footer { color: var(--muted); font-size: 0.85em; padding-bottom: 2rem; }
@media print {
  nav { display: none; }
  body { font-size: 11pt; }
  article.operation, pre, figure { break-inside: avoid; }
  pre { white-space: pre-wrap; }
  a { color: inherit; text-decoration: none; }
}
)css";

std::string idOf(const MigrationReview &M) { return "m-" + M.Name; }

void diagnostics(llvm::StringRef Title, const std::string &Text, const std::string &Id,
                 llvm::raw_ostream &OS) {
  OS << "<section class=\"problems\" id=\"" << Id << "\" aria-labelledby=\"" << Id << "-h\">\n"
     << "<h3 id=\"" << Id << "-h\">" << Title << "</h3>\n"
     << "<pre class=\"diagnostics\">" << escapeHtml(Text) << "</pre>\n</section>\n";
}

const char *changeWord(ObjectDiff::Change C) {
  return C == ObjectDiff::Change::Added     ? "added"
         : C == ObjectDiff::Change::Removed ? "removed"
                                            : "changed";
}

void schema(const MigrationReview &M, llvm::raw_ostream &OS) {
  std::string Id = idOf(M) + "-schema";
  OS << "<section id=\"" << Id << "\" aria-labelledby=\"" << Id << "-h\">\n<h3 id=\"" << Id
     << "-h\">Schema before and after</h3>\n";
  if (M.Schema.empty())
    OS << "<p>No relation changes.</p>\n";
  for (const ObjectDiff &D : M.Schema) {
    const char *Word = changeWord(D.TheChange);
    OS << "<h4>" << (D.TheKind == ObjectDiff::Kind::Relation ? "relation" : "derived relation")
       << " <code>" << escapeHtml(D.Name) << "</code> <span class=\"badge " << Word << "\">" << Word
       << "</span></h4>\n<pre class=\"diff\">";
    for (const DiffLine &L : D.Lines) {
      const char *Class = L.Sign == '+' ? "add" : L.Sign == '-' ? "del" : "same";
      // The newline inside the block keeps the lines apart when copied
      // or read without the style.
      OS << "<span class=\"" << Class << "\">" << L.Sign << ' ' << escapeHtml(L.Text)
         << "\n</span>";
    }
    OS << "</pre>\n";
  }
  OS << "</section>\n";
}

void lintList(const std::vector<LintFinding> &Ls, llvm::raw_ostream &OS) {
  if (Ls.empty()) {
    OS << "<p>None.</p>\n";
    return;
  }
  OS << "<ul class=\"lints\">\n";
  for (const LintFinding &L : Ls)
    OS << "<li class=\"lint\" data-code=\"" << escapeHtml(L.Code.empty() ? L.Kind : L.Code)
       << "\"><strong>" << escapeHtml(L.Code.empty() ? L.Kind : L.Code)
       << "</strong> <span class=\"" << L.Severity << "\">" << L.Severity
       << "</span>: " << proseHtml(L.Message) << "<p class=\"fix\">Fix: " << proseHtml(L.Fix)
       << "</p></li>\n";
  OS << "</ul>\n";
}

void iqlBlock(llvm::StringRef Title, llvm::StringRef Class, const std::vector<IqlLine> &Lines,
              llvm::raw_ostream &OS) {
  OS << "<h5>" << Title << "</h5>\n";
  if (Lines.empty()) {
    OS << "<p>None.</p>\n";
    return;
  }
  OS << "<pre class=\"iql " << Class << "\"><code>";
  for (const IqlLine &L : Lines)
    OS << "<span class=\"step\">// " << escapeHtml(L.Step) << (L.Lossy ? " [lossy]" : "")
       << "</span>" << highlightIql(L.Text) << '\n';
  OS << "</code></pre>\n";
}

void verdicts(const OperationReview &O, llvm::raw_ostream &OS) {
  const char *Rev = reversibilityName(O.Reverse);
  OS << "<dl class=\"facts\">\n<dt>Line</dt><dd>" << O.Line << "</dd>\n"
     << "<dt>Data-safe</dt><dd class=\"" << (O.DataSafe ? "yes" : "no") << "\">"
     << (O.DataSafe ? "yes" : "no: it can lose facts") << "</dd>\n"
     << "<dt>Reversibility</dt><dd><span class=\"" << Rev << "\">" << Rev
     << "</span>: " << proseHtml(O.ReverseWhy) << "</dd>\n</dl>\n";
}

void operation(const MigrationReview &M, const OperationReview &O, llvm::raw_ostream &OS) {
  std::string Id = idOf(M) + "-op-" + std::to_string(O.Index);
  OS << "<article class=\"operation\" id=\"" << Id << "\" aria-labelledby=\"" << Id
     << "-h\">\n<h4 id=\"" << Id << "-h\">" << O.Index << ". <code>" << O.Marker << "</code> "
     << escapeHtml(O.Summary) << "</h4>\n";
  verdicts(O, OS);
  OS << "<pre class=\"mig\">" << escapeHtml(O.Source) << "</pre>\n<h5>Lints</h5>\n";
  lintList(O.Lints, OS);
  OS << "<h5>Pre-checks <code>migrate</code> runs</h5>\n";
  if (O.PreChecks.empty())
    OS << "<p>" << proseHtml(O.PreCheckNote.empty() ? "None." : O.PreCheckNote) << "</p>\n";
  else {
    OS << "<ul class=\"prechecks\">\n";
    for (const PreCheck &P : O.PreChecks)
      OS << "<li><code>" << P.Kind << "</code>: " << proseHtml(P.Description) << "</li>\n";
    OS << "</ul>\n";
  }
  iqlBlock("Forward IQL", "forward", O.Forward, OS);
  iqlBlock("Backward IQL", "backward", O.Backward, OS);
  OS << "</article>\n";
}

void facts(const MigrationReview &M, llvm::raw_ostream &OS) {
  auto List = [&](const std::vector<std::string> &Names) {
    if (Names.empty())
      return std::string("none");
    std::string Out;
    for (const std::string &N : Names)
      Out += (Out.empty() ? "" : ", ") + ("<code>" + escapeHtml(N) + "</code>");
    return Out;
  };
  OS << "<dl class=\"facts\">\n<dt>File</dt><dd><code>" << escapeHtml(M.File) << "</code></dd>\n"
     << "<dt>Depends on</dt><dd>" << List(M.Depends) << "</dd>\n";
  if (!M.Replaces.empty())
    OS << "<dt>Replaces</dt><dd>" << List(M.Replaces) << "</dd>\n";
  if (!M.Verified.empty())
    OS << "<dt>Verification</dt><dd><span class=\"" << (M.Verified == "failed" ? "failed" : "yes")
       << "\">" << M.Verified << "</span>: " << proseHtml(M.VerifyMessage) << "</dd>\n";
  OS << "</dl>\n";
}

void migration(const MigrationReview &M, llvm::raw_ostream &OS) {
  std::string Id = idOf(M);
  OS << "<section class=\"migration\" id=\"" << Id << "\" aria-labelledby=\"" << Id
     << "-h\">\n<h2 id=\"" << Id << "-h\">Migration <code>" << escapeHtml(M.Name)
     << "</code></h2>\n";
  facts(M, OS);
  if (!M.Problems.empty())
    diagnostics("Problems", M.Problems, Id + "-problems", OS);
  if (M.Complete) {
    schema(M, OS);
    OS << "<section id=\"" << Id << "-ops\" aria-labelledby=\"" << Id << "-ops-h\">\n<h3 id=\""
       << Id << "-ops-h\">Operations</h3>\n";
    for (const OperationReview &O : M.Ops)
      operation(M, O, OS);
    if (!M.OtherLints.empty()) {
      OS << "<h4>Other lints</h4>\n";
      lintList(M.OtherLints, OS);
    }
    OS << "</section>\n";
  }
  OS << "</section>\n";
}

void contents(const Review &R, llvm::raw_ostream &OS) {
  OS << "<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ul>\n";
  if (!R.Problems.empty())
    OS << "<li><a href=\"#problems\">Problems</a></li>\n";
  for (const MigrationReview &M : R.Migrations) {
    std::string Id = idOf(M);
    OS << "<li><a href=\"#" << Id << "\">" << escapeHtml(M.Name) << "</a>";
    if (M.Complete)
      OS << ": <a href=\"#" << Id << "-schema\">schema</a>, <a href=\"#" << Id
         << "-ops\">operations</a> (" << M.Ops.size() << ")";
    OS << "</li>\n";
  }
  OS << "<li><a href=\"#graph\">Migration graph</a></li>\n</ul>\n</nav>\n";
}

void graphSection(const Review &R, llvm::raw_ostream &OS) {
  OS << "<section id=\"graph\" aria-labelledby=\"graph-h\">\n<h2 id=\"graph-h\">Migration "
        "graph</h2>\n";
  if (!R.GraphSvg.empty()) {
    // Graphviz's XML prolog, DOCTYPE and version comment are not HTML.
    llvm::StringRef Svg = R.GraphSvg;
    Svg = Svg.substr(std::min(Svg.find("<svg"), Svg.size()));
    OS << "<figure>\n"
       << Svg.rtrim() << "\n<figcaption>An edge points from a migration to one "
       << "that depends on it. Reviewed migrations have a thick blue border and the word "
       << "<q>reviewed</q>.</figcaption>\n</figure>\n";
  } else if (!R.GraphError.empty()) {
    OS << "<p>The graph could not be drawn: " << escapeHtml(R.GraphError) << "</p>\n";
  } else {
    OS << "<p>The history does not load, so there is no graph.</p>\n";
  }
  OS << "</section>\n";
}
} // namespace

void review::writeHtml(const Review &R, llvm::raw_ostream &OS) {
  std::string Names;
  for (const MigrationReview &M : R.Migrations)
    Names += (Names.empty() ? " " : ", ") + M.Name;
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<title>Strata review:" << escapeHtml(Names.empty() ? " nothing" : Names)
     << "</title>\n<style>" << Style << "</style>\n</head>\n<body>\n"
     << "<header>\n<h1>Migration review</h1>\n<p>" << proseHtml(R.Selection) << "</p>\n"
     << "</header>\n";
  contents(R, OS);
  OS << "<main>\n";
  if (!R.Problems.empty())
    diagnostics("Problems of the history", R.Problems, "problems", OS);
  for (const MigrationReview &M : R.Migrations)
    migration(M, OS);
  graphSection(R, OS);
  OS << "</main>\n<footer>\n<p>Written by <code>strata review</code>. Nothing on this page "
        "was sent to a target.</p>\n</footer>\n</body>\n</html>\n";
}
