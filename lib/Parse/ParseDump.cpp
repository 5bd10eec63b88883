//===- ParseDump.cpp - One parse, printed, for the differential tests -----===//
#include "RecursiveDescent.h"
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Lexers.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"

std::string strata::parseDump(LexerKind Lexer, llvm::StringRef Text, llvm::StringRef Name,
                              ParserKind Parser) {
  selectLexer(Lexer);
  selectParser(Parser);
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  if (std::optional<unsigned> ID = addSourceText(Text, Name, Diags))
    ast::dumpAST(parseBuffer(*ID, fileKindForPath(Name), Diags), SM, OS);
  renderDiagnostics(Diags, OS, RenderOptions());
  selectLexer(LexerKind::Scanner);
  selectParser(ParserKind::RecursiveDescent);
  return OS.str();
}

bool strata::recursiveDescentAccepts(llvm::StringRef Text, llvm::StringRef Name) {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags(SM);
  std::optional<unsigned> ID = addSourceText(Text, Name, Diags);
  if (!ID)
    return false;
  ast::SourceFile File;
  File.Kind = fileKindForPath(Name);
  File.BufferID = *ID;
  llvm::StringRef Buffer = SM.getMemoryBuffer(*ID)->getBuffer();
  if (Buffer.startswith("\xEF\xBB\xBF"))
    Buffer = Buffer.drop_front(3);
  return parse::parseWithoutAntlr(Buffer, File, Diags, ParseLimits());
}
