//===- Keywords.cpp - The soft keywords, from the generated lexer ---------===//
#include "strata/Parse/Keywords.h"
#include "ASTBuilder.h"
#include "StrataLexer.h"
#include "StrataParser.h"
#include <set>

using namespace strata;
using strata::parse::P;

// The soft keywords are the grammar's first lexer tokens, RELATION to COLUMNS.
bool parse::isKeywordToken(size_t Type) { return Type >= P::RELATION && Type <= P::COLUMNS; }

namespace {

/// The words of the keyword tokens in Types (all of them when null), in
/// the grammar's order.
std::vector<std::string> keywordWords(const std::set<size_t> *Types) {
  // The vocabulary is the lexer's, reachable through an instance only.
  strata_antlr::StrataLexer::initializeOnce();
  antlr4::ANTLRInputStream Empty("");
  strata_antlr::StrataLexer Lexer(&Empty);
  const antlr4::dfa::Vocabulary &V = Lexer.getVocabulary();
  std::vector<std::string> Out;
  for (size_t T = P::RELATION; parse::isKeywordToken(T); ++T) {
    std::string Literal = V.getLiteralName(T); // quoted: 'relation'
    if ((!Types || Types->count(T)) && Literal.size() >= 2)
      Out.push_back(Literal.substr(1, Literal.size() - 2));
  }
  return Out;
}

/// Adds to Out the keyword tokens the parser matches as keywords within
/// Rule and the rules it calls. Not through `name`, which takes every
/// keyword (they are soft), nor raw IQL, which takes any token.
void keywordsBelow(const antlr4::atn::ATN &Atn, size_t Rule, std::set<size_t> &Rules,
                   std::set<size_t> &Out) {
  using antlr4::atn::ATNState;
  using antlr4::atn::Transition;
  if (Rule == P::RuleName || Rule == P::RuleIqlToken || !Rules.insert(Rule).second)
    return;
  std::vector<ATNState *> Work{Atn.ruleToStartState[Rule]};
  std::set<ATNState *> Seen(Work.begin(), Work.end());
  while (!Work.empty()) {
    ATNState *S = Work.back();
    Work.pop_back();
    // A rule's stop state leads back to its callers, which are not this rule.
    if (S->getStateType() == ATNState::RULE_STOP)
      continue;
    for (Transition *T : S->transitions) {
      ATNState *Next = T->target;
      if (T->getSerializationType() == Transition::RULE) {
        auto *Call = static_cast<antlr4::atn::RuleTransition *>(T);
        keywordsBelow(Atn, Call->target->ruleIndex, Rules, Out);
        Next = Call->followState;
      } else if (!T->isEpsilon() && T->getSerializationType() != Transition::NOT_SET &&
                 T->getSerializationType() != Transition::WILDCARD) {
        for (ssize_t Type : T->label().toList())
          if (Type >= 0 && parse::isKeywordToken(size_t(Type)))
            Out.insert(size_t(Type));
      }
      if (Seen.insert(Next).second)
        Work.push_back(Next);
    }
  }
}

std::vector<std::string> keywordsOfKind(ast::FileKind Kind) {
  strata_antlr::StrataParser::initializeOnce();
  antlr4::ANTLRInputStream Empty("");
  strata_antlr::StrataLexer Lexer(&Empty);
  antlr4::CommonTokenStream Tokens(&Lexer);
  strata_antlr::StrataParser Parser(&Tokens);
  std::set<size_t> Rules, Types;
  if (Kind == ast::FileKind::Migration) {
    keywordsBelow(Parser.getATN(), P::RuleMigrationDecl, Rules, Types);
  } else {
    for (size_t Item : {P::RuleRelationDecl, P::RuleDerivedDecl, P::RuleIndexDecl})
      keywordsBelow(Parser.getATN(), Item, Rules, Types);
  }
  return keywordWords(&Types);
}

} // namespace

llvm::ArrayRef<std::string> strata::softKeywords() {
  static const std::vector<std::string> Words = keywordWords(nullptr);
  return Words;
}

llvm::ArrayRef<std::string> strata::softKeywords(ast::FileKind Kind) {
  static const std::vector<std::string> Schema = keywordsOfKind(ast::FileKind::Schema);
  static const std::vector<std::string> Migration = keywordsOfKind(ast::FileKind::Migration);
  return Kind == ast::FileKind::Migration ? Migration : Schema;
}
