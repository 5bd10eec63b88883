//===- BuildRules.cpp - Clauses, body literals, atoms, expressions --------===//
#include "ASTBuilder.h"
#include "Values.h"

using namespace strata;
using namespace strata::parse;

std::vector<ast::Clause> ASTBuilder::ruleBody(P::RuleBodyContext *Ctx) {
  std::vector<ast::Clause> Clauses;
  for (P::ClauseContext *C : ruleChildren<P::ClauseContext>(Ctx))
    Clauses.push_back(clause(C));
  return Clauses;
}

ast::Clause ASTBuilder::clause(P::ClauseContext *Ctx) {
  ast::Clause C;
  P::HeadContext *Head = Ctx->head();
  C.Head = ident(Head->name());
  C.HeadRange = range(Head);
  for (P::HeadArgContext *A : ruleChildren<P::HeadArgContext>(Head, /*Skip=*/1)) {
    ast::HeadArg Arg;
    Arg.Range = range(A);
    if (auto *Agg = as<P::AggregateHeadArgContext>(A)) {
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
  for (P::BodyLiteralContext *L : ruleChildren<P::BodyLiteralContext>(Ctx, /*Skip=*/2))
    C.Body.push_back(bodyLiteral(L));
  P::RuleArrowContext *Arrow = Ctx->ruleArrow();
  if (Arrow->COLON()) {
    llvm::SMRange R = range(Arrow);
    Diags.reportAt(DiagKind::PrologRuleArrow, R).fixIt(R, "<-");
  }
  if (antlr4::tree::TerminalNode *Dot = Ctx->DOT()) {
    llvm::SMRange R = range(Dot);
    Diags.reportAt(DiagKind::ClauseEndsWithDot, R).fixIt(R, "");
  }
  C.Range = range(Ctx);
  return C;
}

namespace {
ast::CompareOp compareOp(P::CompareOpContext *Ctx) {
  if (Ctx->NEQ())
    return ast::CompareOp::Ne;
  if (Ctx->LT())
    return ast::CompareOp::Lt;
  if (Ctx->LE())
    return ast::CompareOp::Le;
  if (Ctx->GT())
    return ast::CompareOp::Gt;
  if (Ctx->GE())
    return ast::CompareOp::Ge;
  return ast::CompareOp::Eq;
}
} // namespace

ast::BodyLiteral ASTBuilder::bodyLiteral(P::BodyLiteralContext *Ctx) {
  ast::BodyLiteral L;
  L.Range = range(Ctx);
  if (auto *Neg = as<P::NegatedLiteralContext>(Ctx)) {
    L.TheKind = ast::BodyLiteral::Kind::Negated;
    L.TheAtom = atom(Neg->atom());
    return L;
  }
  if (auto *Pos = as<P::AtomLiteralContext>(Ctx)) {
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
  if (auto *Positional = as<P::PositionalAtomContext>(Ctx)) {
    A.Relation = ident(Positional->name());
    for (P::ExprContext *E : ruleChildren<P::ExprContext>(Positional, /*Skip=*/1))
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

ast::Expr ASTBuilder::exprChain(P::ExprContext *Ctx) {
  llvm::SMRange Whole = range(Ctx);
  // Children: MINUS* primary (op MINUS* primary)*.
  std::vector<ast::Expr> Operands;
  std::vector<ast::BinaryOp> Ops;
  llvm::SmallVector<antlr4::Token *, 2> PendingMinus;
  bool ExpectOperand = true;
  for (antlr4::tree::ParseTree *Child : Ctx->children) {
    // Items with syntax errors never reach the builder, so every child is
    // a terminal or a primary.
    if (!isTerminal(Child)) {
      auto *Primary = static_cast<P::PrimaryContext *>(Child);
      ast::Expr Operand;
      if (!PendingMinus.empty() && isMinusMinInt(Primary)) {
        Operand = minInt(PendingMinus.back(), Primary);
        PendingMinus.pop_back();
      } else {
        Operand = primary(Primary);
      }
      if (!PendingMinus.empty()) {
        Operand = negate(std::move(Operand), PendingMinus);
        PendingMinus.clear();
      }
      if (Operand.TheKind == ast::Expr::Kind::Error && ReportedTooLong)
        return errorExpr(Whole);
      Operands.push_back(std::move(Operand));
      ExpectOperand = false;
      continue;
    }
    antlr4::Token *Tok = dynamic_cast<antlr4::tree::TerminalNode *>(Child)->getSymbol();
    if (!countOperator(Whole))
      return errorExpr(Whole);
    if (ExpectOperand) {
      PendingMinus.push_back(Tok);
      continue;
    }
    Ops.push_back(binaryOpOfToken(Tok->getType()));
    ExpectOperand = true;
  }
  if (Operands.size() != Ops.size() + 1)
    return errorExpr(Whole);
  return applyPrecedence(Operands, Ops);
}

bool ASTBuilder::isMinusMinInt(P::PrimaryContext *Primary) const {
  auto *C = as<P::ConstantPrimaryContext>(Primary);
  return C && C->start->getType() == P::INT && isMinIntMagnitude(text(range(C)));
}

ast::Expr ASTBuilder::minInt(antlr4::Token *Minus, P::PrimaryContext *Primary) {
  return minIntValue(range(Minus).Start, range(Primary).End);
}

ast::Expr ASTBuilder::negate(ast::Expr Operand, llvm::ArrayRef<antlr4::Token *> Minus) {
  llvm::SmallVector<llvm::SMLoc, 2> Starts;
  for (antlr4::Token *M : Minus)
    Starts.push_back(range(M).Start);
  return parse::negate(std::move(Operand), Starts);
}

ast::Expr ASTBuilder::primary(P::PrimaryContext *Ctx) {
  llvm::SMRange R = range(Ctx);
  if (auto *C = as<P::ConstantPrimaryContext>(Ctx))
    return constant(C->constant());
  if (auto *N = as<P::NamePrimaryContext>(Ctx))
    return nameValue(N->name());
  ast::Expr E;
  E.Range = R;
  if (auto *Call = as<P::CallPrimaryContext>(Ctx)) {
    E.TheKind = ast::Expr::Kind::Call;
    E.Text = text(range(Call->name())).str();
    for (P::ExprContext *A : ruleChildren<P::ExprContext>(Call, /*Skip=*/1))
      E.Operands.push_back(exprChain(A));
    return E;
  }
  if (auto *Paren = as<P::ParenPrimaryContext>(Ctx)) {
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
