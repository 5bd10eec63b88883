//===- ParseDump.cpp - One parse, printed, for the differential tests -----===//
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Lexers.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"

std::string strata::parseDump(LexerKind Lexer, llvm::StringRef Text, llvm::StringRef Name) {
  selectLexer(Lexer);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  if (std::optional<unsigned> ID = addSourceText(Text, Name, Diags))
    ast::dumpAST(parseBuffer(*ID, fileKindForPath(Name), Diags), SM, OS);
  renderDiagnostics(Diags, OS, RenderOptions());
  selectLexer(LexerKind::Scanner);
  return OS.str();
}
