//===- ASTBuilder.cpp - Locations and names -------------------------------===//
#include "ASTBuilder.h"

using namespace strata;
using namespace strata::parse;

llvm::SMRange ASTBuilder::range(antlr4::Token *Tok) const {
  llvm::SMLoc Start = Pos.loc(Tok->getStartIndex());
  if (Tok->getType() == antlr4::Token::EOF)
    return {Start, Start};
  return {Start, Pos.locAfter(Tok->getStopIndex())};
}

llvm::SMRange ASTBuilder::range(antlr4::ParserRuleContext *Ctx) const {
  if (!Ctx || !Ctx->start)
    return {};
  llvm::SMLoc Start = Pos.loc(Ctx->start->getStartIndex());
  antlr4::Token *Stop = Ctx->stop;
  if (!Stop || Stop->getTokenIndex() < Ctx->start->getTokenIndex() ||
      Stop->getType() == antlr4::Token::EOF)
    return {Start, Start};
  return {Start, Pos.locAfter(Stop->getStopIndex())};
}

ast::Ident ASTBuilder::ident(antlr4::ParserRuleContext *Ctx) const {
  if (!Ctx || !Ctx->start)
    return {};
  llvm::SMRange R = range(Ctx);
  return {text(R).str(), R};
}

ast::Ident ASTBuilder::ident(P::NameContext *Ctx) const {
  return ident(static_cast<antlr4::ParserRuleContext *>(Ctx));
}
