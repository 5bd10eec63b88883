//===- DiagnosticRenderer.cpp - Text and JSON rendering -------------------===//
#include "strata/Support/DiagnosticRenderer.h"
#include "llvm/Support/JSON.h"
#include <algorithm>

using namespace strata;

namespace {
bool isContinuationByte(char C) { return (static_cast<unsigned char>(C) & 0xC0) == 0x80; }

/// Counts characters (UTF-8 lead bytes) in Text.
unsigned characterCount(llvm::StringRef Text) {
  unsigned N = 0;
  for (char C : Text)
    N += !isContinuationByte(C);
  return N;
}

llvm::StringRef severityName(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

const char *severityColor(Severity S) {
  switch (S) {
  case Severity::Error:
    return "\033[1;31m";
  case Severity::Warning:
    return "\033[1;35m";
  case Severity::Note:
    return "\033[1;36m";
  }
  return "";
}

constexpr const char *Bold = "\033[1m";
constexpr const char *Green = "\033[1;32m";
constexpr const char *Reset = "\033[0m";

/// The text of the line that holds Loc, without its line break.
llvm::StringRef lineAround(const llvm::SourceMgr &SM, llvm::SMLoc Loc, const char *&LineStart) {
  unsigned ID = SM.FindBufferContainingLoc(Loc);
  llvm::StringRef Buf = SM.getMemoryBuffer(ID)->getBuffer();
  size_t Off = Loc.getPointer() - Buf.data();
  size_t Begin = Off;
  while (Begin > 0 && Buf[Begin - 1] != '\n')
    --Begin;
  // A byte-order mark is not part of the first line.
  if (Begin == 0 && Off >= 3 && Buf.startswith("\xEF\xBB\xBF"))
    Begin = 3;
  size_t End = Buf.find_first_of("\r\n", Off);
  if (End == llvm::StringRef::npos)
    End = Buf.size();
  LineStart = Buf.data() + Begin;
  return Buf.slice(Begin, End);
}

/// Whitespace that lines a marker up under Line[0..Bytes), keeping tabs.
std::string padding(llvm::StringRef Line, size_t Bytes) {
  std::string Pad;
  for (size_t I = 0; I < Bytes && I < Line.size(); ++I) {
    if (isContinuationByte(Line[I]))
      continue;
    Pad += Line[I] == '\t' ? '\t' : ' ';
  }
  return Pad;
}

class TextRenderer {
public:
  TextRenderer(const llvm::SourceMgr &SM, llvm::raw_ostream &OS, const RenderOptions &Opts)
      : SM(SM), OS(OS), Opts(Opts) {}

  void render(const Diagnostic &D) {
    header(D);
    if (D.Loc.isValid())
      snippet(D);
    for (const Diagnostic &N : D.Notes)
      render(N);
  }

private:
  void color(const char *Code) {
    if (Opts.Color)
      OS << Code;
  }

  void header(const Diagnostic &D) {
    color(Bold);
    if (D.Loc.isValid()) {
      LineColumn LC = lineColumn(SM, D.Loc);
      OS << bufferName(SM, D.Loc) << ':' << LC.Line << ':' << LC.Column << ": ";
    } else if (!D.File.empty()) {
      OS << D.File << ": ";
    }
    color(Reset);
    color(severityColor(D.Sev));
    OS << severityName(D.Sev) << ": ";
    color(Reset);
    color(Bold);
    OS << D.Message;
    color(Reset);
    if (Opts.ShowKind && D.Sev != Severity::Note)
      OS << " [" << diagKindName(D.Kind) << ']';
    OS << '\n';
  }

  void snippet(const Diagnostic &D) {
    const char *LineStart;
    llvm::StringRef Line = lineAround(SM, D.Loc, LineStart);
    const char *LineEnd = Line.end();
    OS << Line << '\n';

    // Markers, one slot per byte of the line plus one past its end.
    std::string Marks(Line.size() + 1, ' ');
    for (const llvm::SMRange &R : D.Ranges) {
      const char *B = std::max(R.Start.getPointer(), LineStart);
      const char *E = std::min(R.End.getPointer(), LineEnd);
      for (const char *P = B; P < E; ++P)
        Marks[P - LineStart] = '~';
    }
    size_t CaretOff = D.Loc.getPointer() - LineStart;
    Marks[std::min(CaretOff, Marks.size() - 1)] = '^';
    color(Green);
    OS << markerLine(Line, Marks) << '\n';
    color(Reset);

    for (const FixIt &F : D.FixIts) {
      if (F.Range.Start.getPointer() < LineStart || F.Range.Start.getPointer() > LineEnd ||
          F.Replacement.empty())
        continue;
      color(Green);
      OS << padding(Line, F.Range.Start.getPointer() - LineStart) << F.Replacement << '\n';
      color(Reset);
    }
  }

  /// Keeps tabs where the source has them and drops trailing blanks.
  static std::string markerLine(llvm::StringRef Line, const std::string &Marks) {
    std::string Out;
    for (size_t I = 0; I < Marks.size(); ++I) {
      if (I < Line.size() && isContinuationByte(Line[I]))
        continue;
      char M = Marks[I];
      Out += (M == ' ' && I < Line.size() && Line[I] == '\t') ? '\t' : M;
    }
    while (!Out.empty() && (Out.back() == ' ' || Out.back() == '\t'))
      Out.pop_back();
    return Out;
  }

  const llvm::SourceMgr &SM;
  llvm::raw_ostream &OS;
  const RenderOptions &Opts;
};

void writeJsonPosition(llvm::json::OStream &J, const llvm::SourceMgr &SM, llvm::SMLoc Loc,
                       llvm::StringRef Prefix = "") {
  LineColumn LC = lineColumn(SM, Loc);
  J.attribute((Prefix + "line").str(), LC.Line);
  J.attribute((Prefix + "column").str(), LC.Column);
}

void writeJsonRange(llvm::json::OStream &J, const llvm::SourceMgr &SM, llvm::SMRange R) {
  writeJsonPosition(J, SM, R.Start);
  writeJsonPosition(J, SM, R.End, "end_");
}

void writeJson(llvm::json::OStream &J, const llvm::SourceMgr &SM, const Diagnostic &D) {
  J.object([&] {
    J.attribute("kind", diagKindName(D.Kind));
    J.attribute("severity", severityName(D.Sev));
    J.attribute("message", D.Message);
    if (D.Loc.isValid()) {
      J.attribute("file", bufferName(SM, D.Loc));
      writeJsonPosition(J, SM, D.Loc);
    } else if (!D.File.empty()) {
      J.attribute("file", D.File);
    }
    J.attributeArray("ranges", [&] {
      for (const llvm::SMRange &R : D.Ranges)
        J.object([&] { writeJsonRange(J, SM, R); });
    });
    J.attributeArray("fixits", [&] {
      for (const FixIt &F : D.FixIts)
        J.object([&] {
          writeJsonRange(J, SM, F.Range);
          J.attribute("replacement", F.Replacement);
        });
    });
    J.attributeArray("notes", [&] {
      for (const Diagnostic &N : D.Notes)
        writeJson(J, SM, N);
    });
  });
}
} // namespace

LineColumn strata::lineColumn(const llvm::SourceMgr &SM, llvm::SMLoc Loc) {
  if (!Loc.isValid())
    return {};
  const char *LineStart;
  llvm::StringRef Line = lineAround(SM, Loc, LineStart);
  (void)Line;
  unsigned LineNo = SM.FindLineNumber(Loc);
  return {LineNo, 1 + characterCount(llvm::StringRef(LineStart, Loc.getPointer() - LineStart))};
}

LineColumn LineColumnCursor::at(llvm::SMLoc Loc) {
  if (!Loc.isValid())
    return {};
  const char *P = Loc.getPointer();
  if (Last && P >= Last && P < LineEnd) {
    LastLC.Column += characterCount(llvm::StringRef(Last, P - Last));
    Last = P;
    return LastLC;
  }
  const char *LineStart;
  llvm::StringRef Line = lineAround(SM, Loc, LineStart);
  LastLC = lineColumn(SM, Loc);
  Last = P;
  LineEnd = Line.end();
  return LastLC;
}

llvm::StringRef strata::bufferName(const llvm::SourceMgr &SM, llvm::SMLoc Loc) {
  unsigned ID = SM.FindBufferContainingLoc(Loc);
  if (ID == 0)
    return "<unknown>";
  return SM.getMemoryBuffer(ID)->getBufferIdentifier();
}

namespace {
/// Diagnostics in reading order: problems of whole files first, then by
/// file (in load order) and position; ties keep the order reported.
std::vector<const Diagnostic *> inReadingOrder(const DiagnosticEngine &Engine) {
  const llvm::SourceMgr &SM = Engine.sourceMgr();
  std::vector<const Diagnostic *> Sorted;
  for (const Diagnostic &D : Engine.diagnostics())
    Sorted.push_back(&D);
  auto Key = [&](const Diagnostic *D) -> std::pair<unsigned, const char *> {
    if (!D->Loc.isValid())
      return {0, nullptr};
    return {SM.FindBufferContainingLoc(D->Loc), D->Loc.getPointer()};
  };
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [&](const Diagnostic *A, const Diagnostic *B) { return Key(A) < Key(B); });
  return Sorted;
}
} // namespace

void strata::renderDiagnostics(const DiagnosticEngine &Engine, llvm::raw_ostream &OS,
                               const RenderOptions &Opts) {
  const llvm::SourceMgr &SM = Engine.sourceMgr();
  std::vector<const Diagnostic *> Sorted = inReadingOrder(Engine);
  if (Opts.Format == DiagnosticFormat::Json) {
    llvm::json::OStream J(OS, 2);
    J.object([&] {
      J.attribute("version", 1);
      J.attribute("errors", Engine.errorCount());
      J.attribute("warnings", Engine.warningCount());
      J.attributeArray("diagnostics", [&] {
        for (const Diagnostic *D : Sorted)
          writeJson(J, SM, *D);
      });
    });
    OS << '\n';
    return;
  }
  TextRenderer R(SM, OS, Opts);
  for (const Diagnostic *D : Sorted)
    R.render(*D);
}
