//===- BuildRules.cpp - Clauses, body literals, atoms, expressions --------===//
#include "ASTBuilder.h"

using namespace strata;
using namespace strata::parse;

std::vector<ast::Clause> ASTBuilder::ruleBody(P::RuleBodyContext *Ctx) {
  std::vector<ast::Clause> Clauses;
  for (P::ClauseContext *C : Ctx->clause())
    Clauses.push_back(clause(C));
  return Clauses;
}

ast::Clause ASTBuilder::clause(P::ClauseContext *Ctx) {
  ast::Clause C;
  P::HeadContext *Head = Ctx->head();
  C.Head = ident(Head->name());
  C.HeadRange = range(Head);
  for (P::HeadArgContext *A : Head->headArg()) {
    ast::HeadArg Arg;
    Arg.Range = range(A);
    if (auto *Agg = dynamic_cast<P::AggregateHeadArgContext *>(A)) {
      Arg.IsAggregate = true;
      Arg.Aggregate = ident(Agg->name());
      for (P::AggregateArgContext *P : Agg->aggregateArg()) {
        ast::AggregateArg AA{expr(P->expr()), std::nullopt};
        if (P->name())
          AA.Order = ident(P->name());
        Arg.AggArgs.push_back(std::move(AA));
      }
    } else {
      Arg.Value = expr(static_cast<P::PlainHeadArgContext *>(A)->expr());
    }
    C.HeadArgs.push_back(std::move(Arg));
  }
  for (P::BodyLiteralContext *L : Ctx->bodyLiteral())
    C.Body.push_back(bodyLiteral(L));
  C.Range = range(Ctx);
  return C;
}

namespace {
ast::CompareOp compareOp(P::CompareOpContext *Ctx) {
  if (Ctx->NEQ()) return ast::CompareOp::Ne;
  if (Ctx->LT()) return ast::CompareOp::Lt;
  if (Ctx->LE()) return ast::CompareOp::Le;
  if (Ctx->GT()) return ast::CompareOp::Gt;
  if (Ctx->GE()) return ast::CompareOp::Ge;
  return ast::CompareOp::Eq;
}
} // namespace

ast::BodyLiteral ASTBuilder::bodyLiteral(P::BodyLiteralContext *Ctx) {
  ast::BodyLiteral L;
  L.Range = range(Ctx);
  if (auto *Neg = dynamic_cast<P::NegatedLiteralContext *>(Ctx)) {
    L.TheKind = ast::BodyLiteral::Kind::Negated;
    L.TheAtom = atom(Neg->atom());
    return L;
  }
  if (auto *Pos = dynamic_cast<P::AtomLiteralContext *>(Ctx)) {
    L.TheKind = ast::BodyLiteral::Kind::Positive;
    L.TheAtom = atom(Pos->atom());
    return L;
  }
  auto *Cmp = static_cast<P::ComparisonLiteralContext *>(Ctx);
  L.TheKind = ast::BodyLiteral::Kind::Comparison;
  L.Lhs = expr(Cmp->expr(0));
  L.Rhs = expr(Cmp->expr(1));
  L.Op = compareOp(Cmp->compareOp());
  if (Cmp->compareOp()->EQEQ()) {
    llvm::SMRange R = range(Cmp->compareOp());
    Diags.reportAt(DiagKind::DoubleEquals, R).fixIt(R, "=");
  }
  return L;
}

ast::Atom ASTBuilder::atom(P::AtomContext *Ctx) {
  ast::Atom A;
  A.Range = range(Ctx);
  if (auto *Positional = dynamic_cast<P::PositionalAtomContext *>(Ctx)) {
    A.Relation = ident(Positional->name());
    for (P::ExprContext *E : Positional->expr())
      A.Args.push_back(expr(E));
    return A;
  }
  auto *Named = static_cast<P::NamedAtomContext *>(Ctx);
  A.IsNamed = true;
  A.Relation = ident(Named->name());
  for (P::NamedArgContext *N : Named->namedArg())
    A.NamedArgs.push_back({ident(N->name()), expr(N->expr())});
  return A;
}

// ---- expressions

ast::Expr ASTBuilder::expr(P::ExprContext *Ctx) {
  OperatorsInExpr = 0;
  ReportedTooLong = false;
  return exprChain(Ctx);
}

bool ASTBuilder::countOperator(llvm::SMRange Where) {
  if (++OperatorsInExpr <= Limits.MaxOperators)
    return true;
  if (!ReportedTooLong) {
    ReportedTooLong = true;
    Diags.report(DiagKind::ExpressionTooLong, Where.Start, Limits.MaxOperators);
  }
  return false;
}

namespace {
ast::Expr errorExpr(llvm::SMRange R) {
  ast::Expr E;
  E.TheKind = ast::Expr::Kind::Error;
  E.Range = R;
  return E;
}

ast::Expr binary(ast::BinaryOp Op, ast::Expr L, ast::Expr R) {
  ast::Expr E;
  E.TheKind = ast::Expr::Kind::Binary;
  E.Op = Op;
  E.Range = {L.Range.Start, R.Range.End};
  E.Operands.push_back(std::move(L));
  E.Operands.push_back(std::move(R));
  return E;
}

ast::BinaryOp binaryOp(antlr4::Token *Tok) {
  switch (Tok->getType()) {
  case P::MINUS: return ast::BinaryOp::Sub;
  case P::STAR: return ast::BinaryOp::Mul;
  case P::SLASH: return ast::BinaryOp::Div;
  case P::PERCENT: return ast::BinaryOp::Mod;
  default: return ast::BinaryOp::Add;
  }
}

/// Folds `operand (op operand)*` children into a left-associative tree.
template <typename OperandCtx, typename Convert, typename Count>
ast::Expr foldChain(antlr4::ParserRuleContext *Ctx, Convert &&ConvertOperand,
                    Count &&CountOp, llvm::SMRange Whole) {
  ast::Expr Result;
  bool First = true;
  antlr4::Token *PendingOp = nullptr;
  for (antlr4::tree::ParseTree *Child : Ctx->children) {
    if (auto *Operand = dynamic_cast<OperandCtx *>(Child)) {
      ast::Expr Next = ConvertOperand(Operand);
      if (First) {
        Result = std::move(Next);
        First = false;
      } else {
        Result = binary(binaryOp(PendingOp), std::move(Result), std::move(Next));
      }
      continue;
    }
    if (auto *Term = dynamic_cast<antlr4::tree::TerminalNode *>(Child)) {
      PendingOp = Term->getSymbol();
      if (!CountOp())
        return errorExpr(Whole);
    }
  }
  return Result;
}
} // namespace

ast::Expr ASTBuilder::exprChain(P::ExprContext *Ctx) {
  llvm::SMRange Whole = range(Ctx);
  return foldChain<P::TermContext>(
      Ctx, [&](P::TermContext *T) { return term(T); },
      [&] { return countOperator(Whole); }, Whole);
}

ast::Expr ASTBuilder::term(P::TermContext *Ctx) {
  llvm::SMRange Whole = range(Ctx);
  return foldChain<P::UnaryContext>(
      Ctx, [&](P::UnaryContext *U) { return unary(U); },
      [&] { return countOperator(Whole); }, Whole);
}

ast::Expr ASTBuilder::unary(P::UnaryContext *Ctx) {
  std::vector<antlr4::tree::TerminalNode *> Minus = Ctx->MINUS();
  ast::Expr Operand = primary(Ctx->primary());
  // `-5` is a negative constant; other negations are kept as written.
  for (size_t I = Minus.size(); I-- > 0;) {
    llvm::SMRange R{range(Minus[I]).Start, Operand.Range.End};
    if (!countOperator(R))
      return errorExpr(R);
    bool FoldInt = Operand.TheKind == ast::Expr::Kind::Int && Operand.Text[0] != '-';
    bool FoldFloat = Operand.TheKind == ast::Expr::Kind::Float && Operand.Text[0] != '-';
    if (FoldInt || FoldFloat) {
      Operand.Text = "-" + Operand.Text;
      Operand.IntValue = -Operand.IntValue;
      Operand.FloatValue = -Operand.FloatValue;
      Operand.Range = R;
      continue;
    }
    ast::Expr Neg;
    Neg.TheKind = ast::Expr::Kind::Negate;
    Neg.Range = R;
    Neg.Operands.push_back(std::move(Operand));
    Operand = std::move(Neg);
  }
  return Operand;
}

ast::Expr ASTBuilder::primary(P::PrimaryContext *Ctx) {
  llvm::SMRange R = range(Ctx);
  if (auto *C = dynamic_cast<P::ConstantPrimaryContext *>(Ctx))
    return constant(C->constant());
  if (auto *N = dynamic_cast<P::NamePrimaryContext *>(Ctx))
    return nameValue(N->name());
  ast::Expr E;
  E.Range = R;
  if (auto *Call = dynamic_cast<P::CallPrimaryContext *>(Ctx)) {
    E.TheKind = ast::Expr::Kind::Call;
    E.Text = Call->name()->getText();
    for (P::ExprContext *A : Call->expr())
      E.Operands.push_back(exprChain(A));
    return E;
  }
  if (auto *Paren = dynamic_cast<P::ParenPrimaryContext *>(Ctx)) {
    E.TheKind = ast::Expr::Kind::Paren;
    E.Operands.push_back(exprChain(Paren->expr()));
    return E;
  }
  auto *List = static_cast<P::ListPrimaryContext *>(Ctx);
  E.TheKind = ast::Expr::Kind::List;
  for (P::ExprContext *A : List->expr())
    E.Operands.push_back(exprChain(A));
  return E;
}
