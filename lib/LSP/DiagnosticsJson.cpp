//===- DiagnosticsJson.cpp - Strata diagnostics as LSP diagnostics --------===//
#include "DiagnosticsJson.h"

using namespace strata;
using namespace strata::lsp;

void LocationMap::add(llvm::StringRef Bytes, const std::string &Path) {
  if (!Bytes.data())
    return;
  Text &T = Texts[Bytes.data()];
  T.Bytes = Bytes;
  T.Path = Path;
  T.Lines.reset();
}

LocationMap::Place LocationMap::find(llvm::SMLoc Loc) const {
  const char *P = Loc.getPointer();
  if (!P || Texts.empty())
    return {};
  auto It = Texts.upper_bound(P);
  if (It == Texts.begin())
    return {};
  --It;
  const Text &T = It->second;
  // The end of a text is a place in it (an error at the end of the file).
  if (P > T.Bytes.end())
    return {};
  if (!T.Lines)
    T.Lines = std::make_unique<LineIndex>(T.Bytes);
  return {&T.Path, T.Lines->position(size_t(P - T.Bytes.begin()))};
}

llvm::json::Object strata::lsp::lspPosition(Position P) {
  return llvm::json::Object{{"line", int64_t(P.Line)}, {"character", int64_t(P.Character)}};
}

llvm::json::Object strata::lsp::lspRange(Position Start, Position End) {
  return llvm::json::Object{{"start", lspPosition(Start)}, {"end", lspPosition(End)}};
}

std::optional<std::pair<const std::string *, llvm::json::Object>>
LocationMap::range(llvm::SMRange R) const {
  Place Start = find(R.Start);
  if (!Start.Path)
    return std::nullopt;
  Place End = R.End.isValid() ? find(R.End) : Start;
  if (End.Path != Start.Path || End.Pos.Line < Start.Pos.Line ||
      (End.Pos.Line == Start.Pos.Line && End.Pos.Character < Start.Pos.Character))
    End = Start;
  return std::make_pair(Start.Path, lspRange(Start.Pos, End.Pos));
}

namespace {
int lspSeverity(Severity S) {
  switch (S) {
  case Severity::Error:
    return 1;
  case Severity::Warning:
    return 2;
  case Severity::Note:
    return 3;
  }
  return 1;
}

/// The range to underline: the first range given, else the location.
std::optional<std::pair<const std::string *, llvm::json::Object>>
primaryRange(const Diagnostic &D, const LocationMap &Where) {
  if (!D.Ranges.empty())
    if (auto R = Where.range(D.Ranges.front()))
      return R;
  return Where.range(llvm::SMRange(D.Loc, D.Loc));
}

/// The fix-its of D as one workspace edit, or nullopt when one of them
/// points nowhere (an incomplete fix is no fix).
std::optional<llvm::json::Object> fixEdit(const Diagnostic &D, const LocationMap &Where) {
  std::map<std::string, llvm::json::Array> Changes;
  for (const FixIt &F : D.FixIts) {
    auto R = Where.range(F.Range);
    if (!R)
      return std::nullopt;
    Changes[*R->first].push_back(
        llvm::json::Object{{"range", std::move(R->second)}, {"newText", F.Replacement}});
  }
  llvm::json::Object ByUri;
  for (auto &[Path, Edits] : Changes)
    ByUri[pathToUri(Path)] = std::move(Edits);
  return llvm::json::Object{{"changes", std::move(ByUri)}};
}

/// What the quick fix does, in a few words.
std::string fixTitle(const Diagnostic &D) {
  if (D.FixIts.size() != 1)
    return "Apply the fixes for " + diagKindName(D.Kind).str();
  if (D.FixIts[0].Replacement.empty())
    return "Remove the text";
  return "Change to `" + D.FixIts[0].Replacement + "`";
}

Position positionOf(const llvm::json::Object &Range, llvm::StringRef Key) {
  Position P;
  if (const llvm::json::Object *O = Range.getObject(Key)) {
    P.Line = uint32_t(O->getInteger("line").getValueOr(0));
    P.Character = uint32_t(O->getInteger("character").getValueOr(0));
  }
  return P;
}
} // namespace

void strata::lsp::collectDiagnostics(llvm::ArrayRef<Diagnostic> Diags, const LocationMap &Where,
                                     const std::string &Fallback,
                                     std::map<std::string, FileDiagnostics> &Out) {
  for (const Diagnostic &D : Diags) {
    auto Primary = primaryRange(D, Where);
    std::string Path = Primary ? *Primary->first : D.File.empty() ? Fallback : D.File;
    llvm::json::Object Range =
        Primary ? std::move(Primary->second) : lspRange(Position(), Position());
    std::string Message = D.Message;
    llvm::json::Array Related;
    for (const Diagnostic &N : D.Notes) {
      auto R = primaryRange(N, Where);
      if (!R) {
        Message += "\nnote: " + N.Message;
        continue;
      }
      Related.push_back(
          llvm::json::Object{{"location", llvm::json::Object{{"uri", pathToUri(*R->first)},
                                                             {"range", copyOf(R->second)}}},
                             {"message", N.Message}});
    }
    llvm::json::Object L{{"range", copyOf(Range)},
                         {"severity", lspSeverity(D.Sev)},
                         {"code", diagKindName(D.Kind)},
                         {"source", "strata"},
                         {"message", Message}};
    if (!Related.empty())
      L["relatedInformation"] = std::move(Related);
    FileDiagnostics &F = Out[Path];
    if (!D.FixIts.empty())
      if (std::optional<llvm::json::Object> Edit = fixEdit(D, Where)) {
        QuickFix Q;
        Q.Start = positionOf(Range, "start");
        Q.End = positionOf(Range, "end");
        Q.Diagnostic = L;
        Q.Edit = std::move(*Edit);
        Q.Title = fixTitle(D);
        F.Fixes.push_back(std::move(Q));
      }
    F.Diagnostics.push_back(std::move(L));
  }
}
