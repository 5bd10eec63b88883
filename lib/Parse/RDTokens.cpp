//===- RDTokens.cpp - The recursive-descent parser's tokens and names -----===//
#include "ASTBuilder.h"
#include "Nesting.h"
#include "RDParser.h"

using namespace strata;
using namespace strata::parse;

void TokenWindow::scanMore() {
  if (SawEof) { // peeking past the end sees the end again
    Tokens.push_back(Tokens.back());
    return;
  }
  // A batch at a time: the parser asks for one token far more often than
  // it needs more than a few ahead. Comments go to the file, not the
  // window, so a batch of comments alone scans another.
  size_t Before = Tokens.size();
  while (Tokens.size() == Before && !SawEof) {
    size_t Count = Lexer.scanRaw(ScanPos, Batch.data(), Batch.size());
    const RawToken &Last = Batch[Count - 1];
    ScanPos = Last.Offset + Last.Bytes;
    for (size_t I = 0; I < Count; ++I) {
      const RawToken &T = Batch[I];
      if (T.Type == P::LINE_COMMENT || T.Type == P::BLOCK_COMMENT) {
        addComment(T);
        continue;
      }
      if (!stepNesting(T.Type, Depth, Limits.MaxNesting))
        throw GiveUp(); // the ANTLR path reports NestingTooDeep
      Tokens.push_back(T);
    }
    SawEof = Last.Type == Scanner::EofType;
  }
}

void TokenWindow::addComment(const RawToken &T) {
  if (T.Type == P::BLOCK_COMMENT && (T.Bytes < 4 || !text(T).endswith("*/")))
    throw GiveUp(); // unterminated: reported on the ANTLR path
  File.Comments.push_back({text(T).str(), range(T)});
}

void TokenWindow::dropTakenNow() {
  Tokens.erase(Tokens.begin(), Tokens.begin() + Next);
  Next = 0;
}

Scanner::RawToken RDParser::expect(size_t Type) {
  if (Toks.type() != Type)
    throw GiveUp();
  return Toks.take();
}

bool RDParser::isName(size_t Type) { return Type == P::IDENT || isKeywordToken(Type); }

ast::Ident RDParser::name() {
  if (!atName())
    throw GiveUp();
  RawToken T = Toks.take();
  return {Toks.text(T).str(), Toks.range(T)};
}
