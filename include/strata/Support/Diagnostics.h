//===- Diagnostics.h - Diagnostics as data ----------------------*- C++ -*-===//
//
// Library code reports problems here and never prints; a driver renders the
// collected diagnostics once, as text or JSON (DiagnosticRenderer.h).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SUPPORT_DIAGNOSTICS_H
#define STRATA_SUPPORT_DIAGNOSTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include <fmt/format.h>
#include <string>
#include <vector>

namespace strata {

enum class DiagKind : unsigned short {
#define DIAG(Kind, Severity, Format) Kind,
#include "strata/Support/Diagnostics.def"
};

enum class Severity : unsigned char { Error, Warning, Note };

/// The stable name of a kind, e.g. "UnknownRelation".
llvm::StringRef diagKindName(DiagKind K);
Severity diagKindSeverity(DiagKind K);
llvm::StringRef diagKindFormat(DiagKind K);
/// All kinds, in declaration order (for docs and the coverage test).
llvm::ArrayRef<DiagKind> allDiagKinds();

/// Replace the text in Range by Replacement (an empty range inserts).
struct FixIt {
  llvm::SMRange Range;
  std::string Replacement;
};

struct Diagnostic {
  DiagKind Kind;
  Severity Sev;
  /// Where the problem is; invalid for problems of a whole file, which then
  /// name the file in File.
  llvm::SMLoc Loc;
  std::string File;
  std::vector<llvm::SMRange> Ranges;
  std::string Message;
  std::vector<Diagnostic> Notes;
  std::vector<FixIt> FixIts;
};

/// Adds detail to a diagnostic just reported.
class DiagnosticBuilder {
public:
  explicit DiagnosticBuilder(Diagnostic &D) : D(D) {}

  DiagnosticBuilder &range(llvm::SMRange R) {
    if (R.isValid())
      D.Ranges.push_back(R);
    return *this;
  }
  DiagnosticBuilder &fixIt(llvm::SMRange R, std::string Replacement) {
    D.FixIts.push_back({R, std::move(Replacement)});
    return *this;
  }
  template <typename... Args> DiagnosticBuilder &note(DiagKind K, llvm::SMLoc Loc, Args &&...A) {
    D.Notes.push_back(make(K, Loc, std::forward<Args>(A)...));
    return *this;
  }
  /// A note with a range; the range's start is its location.
  template <typename... Args> DiagnosticBuilder &noteAt(DiagKind K, llvm::SMRange R, Args &&...A) {
    Diagnostic N = make(K, R.Start, std::forward<Args>(A)...);
    if (R.isValid())
      N.Ranges.push_back(R);
    D.Notes.push_back(std::move(N));
    return *this;
  }

  template <typename... Args> static Diagnostic make(DiagKind K, llvm::SMLoc Loc, Args &&...A) {
    Diagnostic N;
    N.Kind = K;
    N.Sev = diagKindSeverity(K);
    N.Loc = Loc;
    N.Message =
        fmt::format(fmt::runtime(std::string_view(diagKindFormat(K))), std::forward<Args>(A)...);
    return N;
  }

private:
  Diagnostic &D;
};

/// Collects diagnostics for the buffers of one SourceMgr.
class DiagnosticEngine {
public:
  explicit DiagnosticEngine(llvm::SourceMgr &SM) : SM(SM) {}

  template <typename... Args> DiagnosticBuilder report(DiagKind K, llvm::SMLoc Loc, Args &&...A) {
    return add(DiagnosticBuilder::make(K, Loc, std::forward<Args>(A)...));
  }
  /// Reports at the start of Range and underlines it.
  template <typename... Args>
  DiagnosticBuilder reportAt(DiagKind K, llvm::SMRange Range, Args &&...A) {
    DiagnosticBuilder B = report(K, Range.Start, std::forward<Args>(A)...);
    B.range(Range);
    return B;
  }
  /// A problem of a whole file that has no position (unreadable, not UTF-8).
  template <typename... Args>
  DiagnosticBuilder reportFile(DiagKind K, llvm::StringRef File, Args &&...A) {
    Diagnostic D = DiagnosticBuilder::make(K, llvm::SMLoc(), std::forward<Args>(A)...);
    D.File = File.str();
    return add(std::move(D));
  }

  /// While set, warnings are reported as errors (`--strict` for lints:
  /// the same kind, at error severity).
  void setWarningsAsErrors(bool On) { WarningsAsErrors = On; }
  bool warningsAsErrors() const { return WarningsAsErrors; }

  /// Moves Other's diagnostics (of the same SourceMgr, as reported there)
  /// after this engine's, for work done in pieces and merged in order.
  void append(DiagnosticEngine &&Other);

  llvm::SourceMgr &sourceMgr() const { return SM; }
  const std::vector<Diagnostic> &diagnostics() const { return Diags; }
  unsigned errorCount() const { return Errors; }
  unsigned warningCount() const { return Warnings; }
  bool hasErrors() const { return Errors != 0; }
  /// Diagnostics reported after a checkpoint can be told apart by count.
  size_t size() const { return Diags.size(); }

private:
  DiagnosticBuilder add(Diagnostic D);

  llvm::SourceMgr &SM;
  std::vector<Diagnostic> Diags;
  unsigned Errors = 0;
  unsigned Warnings = 0;
  bool WarningsAsErrors = false;
};

/// A Diagnostic as an llvm::Error, for library functions that return
/// Expected<T>: the one error style of library code. The caller either
/// reports it into its DiagnosticEngine (takeDiagnostic) or, where only a
/// message fits (a server's reply), uses its message.
class DiagnosticError : public llvm::ErrorInfo<DiagnosticError> {
public:
  static char ID;
  explicit DiagnosticError(Diagnostic D) : D(std::move(D)) {}

  const Diagnostic &diagnostic() const { return D; }
  Diagnostic &diagnostic() { return D; }
  void log(llvm::raw_ostream &OS) const override { OS << D.Message; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

  template <typename... Args> static llvm::Error make(DiagKind K, llvm::SMLoc Loc, Args &&...A) {
    return llvm::make_error<DiagnosticError>(
        DiagnosticBuilder::make(K, Loc, std::forward<Args>(A)...));
  }

private:
  Diagnostic D;
};

/// The Diagnostic an Error carries; an Error of another kind becomes a
/// diagnostic of kind Fallback with the error's message.
Diagnostic takeDiagnostic(llvm::Error E, DiagKind Fallback);

} // namespace strata

#endif
