//===- Formatting.cpp - Whole-file and range formatting, as `strata fmt` -===//
//
// Both requests format the whole file with lib/Format (so the result is
// exactly `strata fmt`'s). A range request then replaces only the top-level
// items the range touches with their formatted text; when the comments
// inside those items would not come out the same (the formatter moves a
// comment out of a clause printed on one line), the whole file is the
// edit, so that no comment is ever lost.
//
//===----------------------------------------------------------------------===//
#include "DiagnosticsJson.h"
#include "FeatureSupport.h"
#include "strata/Format/Formatter.h"
#include "strata/LSP/Server.h"
#include "strata/Parse/Parser.h"
#include "strata/Parse/Reparse.h"
#include "strata/Support/SourceFiles.h"

using namespace strata;
using namespace strata::lsp;

namespace {
/// The text of Path formatted, or a RequestFailed error naming the first
/// problem (a file with syntax errors is never reformatted).
llvm::Expected<std::string> formatted(llvm::StringRef Path, const std::string &Text) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID = addSourceText(Text, Path, Diags);
  std::optional<std::string> Out;
  if (ID)
    Out = format::formatBuffer(*ID, fileKindForPath(Path), Diags);
  if (Out)
    return *Out;
  std::string Why = Diags.diagnostics().empty() ? "the file cannot be formatted"
                                                : Diags.diagnostics().front().Message;
  return llvm::make_error<LspError>(ErrorCode::RequestFailed, "not formatted: " + Why);
}

llvm::json::Value editReplacing(llvm::StringRef Text, size_t B, size_t E, llvm::StringRef New) {
  LineIndex Lines(Text);
  return llvm::json::Object{{"range", lspRange(Lines.position(B), Lines.position(E))},
                            {"newText", New.str()}}; // owned: New dies first
}

/// Item spans and comment texts of Text parsed as Path.
struct Outline {
  std::vector<ItemSpan> Items;
  std::vector<std::pair<size_t, std::string>> Comments; // offset, text
};
Outline outline(llvm::StringRef Path, llvm::StringRef Text) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  Outline O;
  std::optional<unsigned> ID = addSourceText(Text, Path, Diags);
  if (!ID)
    return O;
  ast::SourceFile F = parseBuffer(*ID, fileKindForPath(Path), Diags);
  const char *Start = SM.getMemoryBuffer(*ID)->getBufferStart();
  for (const ast::Item &I : F.Items)
    O.Items.push_back(itemSpan(I, Start));
  for (const ast::Comment &C : F.Comments)
    O.Comments.push_back({size_t(C.Range.Start.getPointer() - Start), C.Text});
  return O;
}

std::vector<std::string> commentsIn(const Outline &O, size_t B, size_t E) {
  std::vector<std::string> Out;
  for (const auto &[At, Text] : O.Comments)
    if (At >= B && At < E)
      Out.push_back(Text);
  return Out;
}

/// Moves B back over the spaces and tabs before it on its line.
size_t lineStart(llvm::StringRef Text, size_t B) {
  while (B > 0 && (Text[B - 1] == ' ' || Text[B - 1] == '\t'))
    --B;
  return B;
}
} // namespace

llvm::Expected<llvm::json::Value> Server::formatting(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  std::optional<std::string> Text = Files.text(*Path);
  if (!Text || documentKindForPath(*Path) == DocumentKind::Config)
    return llvm::json::Array();
  llvm::Expected<std::string> New = formatted(*Path, *Text);
  if (!New)
    return New.takeError();
  if (*New == *Text)
    return llvm::json::Array();
  return llvm::json::Array{editReplacing(*Text, 0, Text->size(), *New)};
}

llvm::Expected<llvm::json::Value> Server::rangeFormatting(const llvm::json::Value &Params) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  auto Range = rangeParam(*Params.getAsObject(), "range");
  if (!Range)
    return Range.takeError();
  std::optional<std::string> Text = Files.text(*Path);
  if (!Text || documentKindForPath(*Path) == DocumentKind::Config)
    return llvm::json::Array();
  llvm::Expected<std::string> New = formatted(*Path, *Text);
  if (!New)
    return New.takeError();
  if (*New == *Text)
    return llvm::json::Array();
  LineIndex Lines(*Text);
  size_t RB = Lines.offset(Range->first), RE = Lines.offset(Range->second);
  Outline Old = outline(*Path, *Text), Fmt = outline(*Path, *New);
  if (Old.Items.size() != Fmt.Items.size())
    return llvm::json::Array{editReplacing(*Text, 0, Text->size(), *New)};
  size_t First = Old.Items.size(), Last = 0;
  for (size_t I = 0; I < Old.Items.size(); ++I)
    if (Old.Items[I].End >= RB && Old.Items[I].Begin <= RE) {
      First = std::min(First, I);
      Last = I;
    }
  if (First == Old.Items.size())
    return llvm::json::Array();
  size_t OB = lineStart(*Text, Old.Items[First].Begin), OE = Old.Items[Last].End;
  size_t NB = lineStart(*New, Fmt.Items[First].Begin), NE = Fmt.Items[Last].End;
  if (commentsIn(Old, OB, OE) != commentsIn(Fmt, NB, NE))
    return llvm::json::Array{editReplacing(*Text, 0, Text->size(), *New)};
  llvm::StringRef Replacement = llvm::StringRef(*New).slice(NB, NE);
  if (llvm::StringRef(*Text).slice(OB, OE) == Replacement)
    return llvm::json::Array();
  return llvm::json::Array{editReplacing(*Text, OB, OE, Replacement)};
}
