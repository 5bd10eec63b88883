//===- Nesting.h - Bracket depth, one token at a time -----------*- C++ -*-===//
//
// Both parsers recurse once per open bracket, so a file whose brackets nest
// past ParseLimits::MaxNesting is refused before it is parsed: the ANTLR
// path reports NestingTooDeep (Parser.cpp), the recursive-descent parser
// gives up and leaves the file to it (RDTokens.cpp). They count with this
// one step so that they refuse exactly the same files.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_NESTING_H
#define STRATA_LIB_PARSE_NESTING_H

#include "StrataParser.h"

namespace strata::parse {

/// Moves Depth over a token of type Type (the generated parser's numbering,
/// which the scanner's tokens share): one deeper after `(`, `{` or `[`, one
/// back after `)`, `}` or `]` (never below zero; a stray closing bracket is
/// the parser's to report). Returns false when an opening bracket takes
/// Depth past Limit.
inline bool stepNesting(size_t Type, unsigned &Depth, unsigned Limit) {
  using P = strata_antlr::StrataParser;
  switch (Type) {
  case P::LPAREN:
  case P::LBRACE:
  case P::LBRACK:
    return ++Depth <= Limit;
  case P::RPAREN:
  case P::RBRACE:
  case P::RBRACK:
    if (Depth > 0)
      --Depth;
    return true;
  default:
    return true;
  }
}

} // namespace strata::parse

#endif
