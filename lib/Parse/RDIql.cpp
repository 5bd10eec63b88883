//===- RDIql.cpp - Recursive descent: raw IQL blocks ----------------------===//
//
// `run iql` keeps its blocks as text; what builds it on the ANTLR path is
// ASTBuilder::iqlText (BuildMigrations.cpp).
//
//===----------------------------------------------------------------------===//
#include "RDParser.h"
#include "StrataParser.h"
#include "Values.h"

using namespace strata;
using namespace strata::parse;
using P = strata_antlr::StrataParser;

/// RUN IQL LBRACE FORWARD iqlBlock (BACKWARD iqlBlock)? RBRACE, after
/// RUN IQL.
ast::RunIqlOp RDParser::runIql() {
  ast::RunIqlOp O;
  expect(P::LBRACE);
  expect(P::FORWARD);
  O.Forward = iqlBlock();
  if (accept(P::BACKWARD))
    O.Backward = iqlBlock();
  expect(P::RBRACE);
  return O;
}

/// iqlBlock : LBRACE iqlToken* RBRACE ;
/// iqlToken : LBRACE iqlToken* RBRACE | ~(LBRACE | RBRACE) ;
/// Any token but the end of the file; an unterminated string is reported
/// (Parser.cpp), so it goes to the ANTLR path.
ast::IqlText RDParser::iqlBlock() {
  RawToken Open = expect(P::LBRACE);
  unsigned Depth = 1;
  RawToken Close;
  do {
    Close = Toks.take();
    if (Close.Type == P::LBRACE)
      ++Depth;
    else if (Close.Type == P::RBRACE)
      --Depth;
    else if (Close.Type == Scanner::EofType || Close.Type == P::UNTERMINATED_STRING)
      throw GiveUp();
  } while (Depth > 0);
  ast::IqlText T;
  T.Range = {Toks.end(Open), Toks.start(Close)};
  if (Close.Offset > Open.Offset + Open.Bytes)
    T.Text = sourceText(T.Range).str();
  IqlRanges.push_back(T.Range);
  return T;
}
