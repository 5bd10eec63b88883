//===- ParserFuzzer.cpp - libFuzzer target for the Strata parser ----------===//
//
// Feeds each input to the parser twice, as a schema file and as a migration
// file, then renders every diagnostic (text and JSON) and dumps the AST to a
// null stream, so that crashes in the renderer and the dumper are found too.
// The input goes through addSourceText, so the size and UTF-8 checks that
// guard real files are exercised as well.
//
//===----------------------------------------------------------------------===//
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>

using namespace strata;

namespace {
void parseAs(llvm::StringRef Text, llvm::StringRef Name, ast::FileKind Kind) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID = addSourceText(Text, Name, Diags);
  if (ID) {
    ast::SourceFile File = parseBuffer(*ID, Kind, Diags);
    ast::dumpAST(File, SM, llvm::nulls());
  }
  RenderOptions Opts;
  renderDiagnostics(Diags, llvm::nulls(), Opts);
  Opts.Color = true;
  renderDiagnostics(Diags, llvm::nulls(), Opts);
  Opts.Format = DiagnosticFormat::Json;
  renderDiagnostics(Diags, llvm::nulls(), Opts);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  parseAs(Text, "fuzz.strata", ast::FileKind::Schema);
  parseAs(Text, "fuzz.mig", ast::FileKind::Migration);
  return 0;
}
