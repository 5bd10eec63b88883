//===- HistoryCheck.cpp - The migration history as `strata verify` sees it ===//
#include "HistoryCheck.h"
#include "DiagnosticsJson.h"
#include "strata/Migrate/SumFile.h"
#include "strata/Verify/History.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace strata;
using namespace strata::lsp;

std::map<std::string, FileDiagnostics> strata::lsp::checkHistory(llvm::StringRef MigrationsDir,
                                                                 const SourceOverlay &Overlay,
                                                                 const std::string &Fallback) {
  std::map<std::string, FileDiagnostics> Out;
  if (!llvm::sys::fs::is_directory(MigrationsDir))
    return Out;
  // A fresh SourceMgr each time: the history's texts are dropped with it.
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  if (std::optional<std::vector<std::string>> Names = listMigrationFiles(MigrationsDir, Diags))
    for (const std::string &Name : *Names) {
      llvm::SmallString<256> Path(MigrationsDir);
      llvm::sys::path::append(Path, Name);
      Out[Path.str().str()];
    }
  if (std::optional<MigrationGraph> G = loadHistory(MigrationsDir, Diags, &Overlay))
    verifyHistory(*G, LintOptions(), Diags);
  LocationMap Where;
  for (unsigned ID = 1; ID <= SM.getNumBuffers(); ++ID) {
    const llvm::MemoryBuffer *B = SM.getMemoryBuffer(ID);
    Where.add(B->getBuffer(), B->getBufferIdentifier().str());
  }
  collectDiagnostics(Diags.diagnostics(), Where, Fallback, Out);
  return Out;
}
