//===- BuildValues.cpp - Constants, names as values, fill literals --------===//
//
// The parse tree's side of Values.h: which token or alternative a value is.
//
//===----------------------------------------------------------------------===//
#include "ASTBuilder.h"
#include "Values.h"

using namespace strata;
using namespace strata::parse;

ast::Expr ASTBuilder::constant(P::ConstantContext *Ctx) {
  size_t Type = Ctx->start->getType();
  ConstantKind Kind = Type == P::INT     ? ConstantKind::Int
                      : Type == P::FLOAT ? ConstantKind::Float
                                         : ConstantKind::String;
  return constantValue(Kind, range(Ctx), Diags);
}

ast::Expr ASTBuilder::nameValue(P::NameContext *Ctx) { return parse::nameValue(range(Ctx)); }

ast::Expr ASTBuilder::literal(P::LiteralContext *Ctx) {
  if (auto *C = as<P::ConstantLiteralContext>(Ctx))
    return constant(C->constant());
  if (auto *Neg = as<P::NegativeLiteralContext>(Ctx)) {
    std::string Digits = Neg->INT() ? Neg->INT()->getText() : Neg->FLOAT()->getText();
    return negativeLiteral(Neg->FLOAT() != nullptr, Digits, range(Ctx), Diags);
  }
  if (auto *List = as<P::ListLiteralContext>(Ctx)) {
    ast::Expr E;
    E.Range = range(Ctx);
    E.TheKind = ast::Expr::Kind::List;
    for (P::LiteralContext *L : List->literal())
      E.Operands.push_back(literal(L));
    return E;
  }
  return wordLiteral(range(static_cast<P::WordLiteralContext *>(Ctx)->name()), Diags);
}
