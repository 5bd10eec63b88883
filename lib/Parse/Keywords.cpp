//===- Keywords.cpp - The soft keywords, from the generated lexer ---------===//
#include "strata/Parse/Keywords.h"
#include "ASTBuilder.h"
#include "StrataLexer.h"

using namespace strata;
using strata::parse::P;

// The soft keywords are the grammar's first lexer tokens, RELATION to COLUMNS.
bool parse::isKeywordToken(size_t Type) { return Type >= P::RELATION && Type <= P::COLUMNS; }

llvm::ArrayRef<std::string> strata::softKeywords() {
  static const std::vector<std::string> Words = [] {
    // The vocabulary is the lexer's, reachable through an instance only.
    strata_antlr::StrataLexer::initializeOnce();
    antlr4::ANTLRInputStream Empty("");
    strata_antlr::StrataLexer Lexer(&Empty);
    const antlr4::dfa::Vocabulary &V = Lexer.getVocabulary();
    std::vector<std::string> Out;
    for (size_t T = P::RELATION; parse::isKeywordToken(T); ++T) {
      std::string Literal = V.getLiteralName(T); // quoted: 'relation'
      if (Literal.size() >= 2)
        Out.push_back(Literal.substr(1, Literal.size() - 2));
    }
    return Out;
  }();
  return Words;
}
