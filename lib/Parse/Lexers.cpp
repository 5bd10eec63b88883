//===- Lexers.cpp - Lexer choice and the differential comparison ---------===//
#include "strata/Parse/Lexers.h"
#include "CodePointStream.h"
#include "Scanner.h"
#include "StrataLexer.h"
#include "llvm/Support/ConvertUTF.h"
#include <atomic>

using namespace strata;

namespace {
std::atomic<LexerKind> Selected{LexerKind::Scanner};
std::atomic<ParserKind> SelectedParser{ParserKind::RecursiveDescent};

std::string describe(antlr4::Token &T) {
  return "type " + std::to_string(T.getType()) + " channel " + std::to_string(T.getChannel()) +
         " at " + std::to_string(T.getStartIndex()) + ".." + std::to_string(T.getStopIndex()) +
         " line " + std::to_string(T.getLine()) + ":" + std::to_string(T.getCharPositionInLine()) +
         " text '" + T.getText() + "'";
}
} // namespace

void strata::selectLexer(LexerKind Kind) { Selected = Kind; }
LexerKind strata::selectedLexer() { return Selected; }
void strata::selectParser(ParserKind Kind) { SelectedParser = Kind; }
ParserKind strata::selectedParser() { return SelectedParser; }

std::string strata::compareLexers(llvm::StringRef Text) {
  const auto *Begin = reinterpret_cast<const llvm::UTF8 *>(Text.begin());
  if (!llvm::isLegalUTF8String(&Begin, reinterpret_cast<const llvm::UTF8 *>(Text.end())))
    return "";
  strata_antlr::StrataLexer::initializeOnce();
  std::unique_ptr<parse::CodePointStream> Input;
  try {
    Input = std::make_unique<parse::CodePointStream>(Text);
  } catch (const std::exception &E) {
    return std::string("the generated lexer's input rejects the text: ") + E.what();
  }
  strata_antlr::StrataLexer Generated(Input.get());
  Generated.removeErrorListeners();
  parse::Scanner Hand(Text);
  for (size_t Index = 0;; ++Index) {
    std::unique_ptr<antlr4::Token> Want = Generated.nextToken();
    std::unique_ptr<antlr4::Token> Got = Hand.nextToken();
    std::string A = describe(*Want), B = describe(*Got);
    if (A != B)
      return "token " + std::to_string(Index) + ": generated lexer: " + A + "; scanner: " + B;
    if (Want->getType() == antlr4::Token::EOF)
      return "";
  }
}
