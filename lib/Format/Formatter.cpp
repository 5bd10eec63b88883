//===- Formatter.cpp - Public entry points and safety checks --------------===//
#include "strata/Format/Formatter.h"
#include "Emitter.h"
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include <algorithm>

using namespace strata;
using namespace strata::format;

std::string strata::format::formatFile(const ast::SourceFile &File, const llvm::SourceMgr &SM,
                                       const FormatOptions &Opts) {
  assert(!File.HasSyntaxErrors && "formatting a file the parser rejected");
  return detail::Emitter(File, SM, Opts).run();
}

namespace {
/// Each line trimmed; blank lines dropped. What re-indentation keeps.
std::string trimmedLines(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  Text.split(Parts, '\n');
  std::string Out;
  for (llvm::StringRef Line : Parts)
    if (!Line.trim().empty())
      Out += Line.trim().str() + "\n";
  return Out;
}

void normalizeIql(ast::IqlText &T) {
  T.Text = trimmedLines(T.Text);
  T.Range = {};
}

/// The dump prints `<line:col> ` after the indentation of each node.
std::string withoutPositions(llvm::StringRef Dump) {
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Dump.split(Lines, '\n');
  std::string Out;
  for (llvm::StringRef Line : Lines) {
    llvm::StringRef Body = Line.ltrim(' ');
    std::string Indent(Line.size() - Body.size(), ' ');
    if (Body.startswith("<")) {
      size_t Close = Body.find("> ");
      if (Close != llvm::StringRef::npos)
        Body = Body.drop_front(Close + 2);
    }
    Out += Indent + Body.str() + "\n";
  }
  return Out;
}

} // namespace

std::string strata::format::normalizedDump(const ast::SourceFile &File, const llvm::SourceMgr &SM) {
  ast::SourceFile Copy = File;
  for (ast::Item &I : Copy.Items)
    if (auto *M = std::get_if<ast::MigrationDecl>(&I))
      for (ast::Operation &Op : M->Operations)
        if (auto *Run = std::get_if<ast::RunIqlOp>(&Op.Body)) {
          normalizeIql(Run->Forward);
          if (Run->Backward)
            normalizeIql(*Run->Backward);
        }
  // Comments keep their text but may move (into or out of raw IQL order),
  // so compare them as a sorted list.
  std::vector<std::string> Comments;
  for (const ast::Comment &C : Copy.Comments)
    Comments.push_back(trimmedLines(C.Text));
  std::sort(Comments.begin(), Comments.end());
  Copy.Comments.clear();

  std::string Dump;
  llvm::raw_string_ostream OS(Dump);
  ast::dumpAST(Copy, SM, OS);
  for (const std::string &C : Comments)
    OS << "Comment " << C;
  return withoutPositions(OS.str());
}

bool strata::format::sameSyntaxTree(const ast::SourceFile &Original, const llvm::SourceMgr &SM,
                                    llvm::StringRef Formatted) {
  llvm::SourceMgr Scratch;
  DiagnosticEngine Diags(Scratch);
  std::optional<unsigned> ID = addSourceText(Formatted, Original.Path, Diags);
  if (!ID)
    return false;
  ast::SourceFile Again = parseBuffer(*ID, Original.Kind, Diags);
  if (Again.HasSyntaxErrors || Diags.hasErrors())
    return false;
  return normalizedDump(Original, SM) == normalizedDump(Again, Scratch);
}

std::optional<std::string> strata::format::formatBuffer(unsigned BufferID, ast::FileKind Kind,
                                                        DiagnosticEngine &Diags,
                                                        const FormatOptions &Opts) {
  const llvm::SourceMgr &SM = Diags.sourceMgr();
  std::string Name = SM.getMemoryBuffer(BufferID)->getBufferIdentifier().str();
  unsigned ErrorsBefore = Diags.errorCount();
  ast::SourceFile File = parseBuffer(BufferID, Kind, Diags);
  // Items with syntax errors are missing from the tree: printing it would
  // delete them from the author's file.
  if (File.HasSyntaxErrors || !File.InvalidNames.empty() || Diags.errorCount() != ErrorsBefore) {
    Diags.reportFile(DiagKind::FormatSkippedFile, Name);
    return std::nullopt;
  }
  std::string Out = formatFile(File, SM, Opts);
  if (Opts.TamperForTesting)
    Opts.TamperForTesting(Out);
  if (Opts.VerifyRoundTrip && !sameSyntaxTree(File, SM, Out)) {
    Diags.reportFile(DiagKind::FormatChangedMeaning, Name);
    return std::nullopt;
  }
  return Out;
}
