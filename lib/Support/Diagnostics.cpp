//===- Diagnostics.cpp ----------------------------------------------------===//
#include "strata/Support/Diagnostics.h"

using namespace strata;

namespace {
struct KindInfo {
  const char *Name;
  Severity Sev;
  const char *Format;
};

const KindInfo KindTable[] = {
#define DIAG(Kind, Sev, Format) {#Kind, Severity::Sev, Format},
#include "strata/Support/Diagnostics.def"
};

const DiagKind AllKinds[] = {
#define DIAG(Kind, Sev, Format) DiagKind::Kind,
#include "strata/Support/Diagnostics.def"
};
} // namespace

llvm::StringRef strata::diagKindName(DiagKind K) {
  return KindTable[static_cast<unsigned>(K)].Name;
}
Severity strata::diagKindSeverity(DiagKind K) { return KindTable[static_cast<unsigned>(K)].Sev; }
llvm::StringRef strata::diagKindFormat(DiagKind K) {
  return KindTable[static_cast<unsigned>(K)].Format;
}
llvm::ArrayRef<DiagKind> strata::allDiagKinds() { return AllKinds; }

void DiagnosticEngine::append(DiagnosticEngine &&Other) {
  for (Diagnostic &D : Other.Diags)
    Diags.push_back(std::move(D));
  Errors += Other.Errors;
  Warnings += Other.Warnings;
  Other.Diags.clear();
  Other.Errors = Other.Warnings = 0;
}

DiagnosticBuilder DiagnosticEngine::add(Diagnostic D) {
  if (WarningsAsErrors && D.Sev == Severity::Warning)
    D.Sev = Severity::Error;
  if (D.Sev == Severity::Error)
    ++Errors;
  else if (D.Sev == Severity::Warning)
    ++Warnings;
  Diags.push_back(std::move(D));
  return DiagnosticBuilder(Diags.back());
}

char DiagnosticError::ID = 0;

Diagnostic strata::takeDiagnostic(llvm::Error E, DiagKind Fallback) {
  Diagnostic Out;
  llvm::handleAllErrors(
      std::move(E), [&](DiagnosticError &D) { Out = std::move(D.diagnostic()); },
      [&](const llvm::ErrorInfoBase &Other) {
        Out = DiagnosticBuilder::make(Fallback, llvm::SMLoc(), Other.message());
      });
  return Out;
}
