//===- RDRules.cpp - Recursive descent: clauses, atoms, expressions -------===//
//
// Each function follows the grammar rule it is named after
// (grammar/Strata.g4) and builds what ASTBuilder (BuildRules.cpp) builds
// from that rule's context, reporting in the same order.
//
//===----------------------------------------------------------------------===//
#include "RDParser.h"
#include "StrataParser.h"
#include "Values.h"

using namespace strata;
using namespace strata::parse;
using P = strata_antlr::StrataParser;

/// ruleBody : LBRACE clause* RBRACE ;
std::vector<ast::Clause> RDParser::ruleBody() {
  llvm::SmallVector<ast::Clause, 4> Clauses;
  expect(P::LBRACE);
  while (Toks.type() != P::RBRACE)
    clause(Clauses.emplace_back());
  expect(P::RBRACE);
  return exactVector(Clauses);
}

/// clause : head ruleArrow bodyLiteral (COMMA bodyLiteral)* DOT? ;
/// head : name LPAREN (headArg (COMMA headArg)*)? RPAREN ;
/// `:-` and the final `.` are reported, so go to the ANTLR path.
void RDParser::clause(ast::Clause &C) {
  llvm::SMLoc Start = Toks.start(Toks.peek());
  C.Head = name();
  expect(P::LPAREN);
  llvm::SmallVector<ast::HeadArg, 4> HeadArgs;
  while (Toks.type() != P::RPAREN) {
    headArg(HeadArgs.emplace_back());
    if (Toks.type() != P::COMMA)
      break;
    Toks.take();
    if (Toks.type() == P::RPAREN) // no trailing comma here
      throw GiveUp();
  }
  expect(P::RPAREN);
  C.HeadArgs = exactVector(HeadArgs);
  C.HeadRange = Toks.rangeFrom(Start);
  expect(P::ARROW_LEFT);
  llvm::SmallVector<ast::BodyLiteral, 4> Body;
  bodyLiteral(Body.emplace_back());
  while (Toks.type() == P::COMMA) {
    Toks.take();
    bodyLiteral(Body.emplace_back());
  }
  C.Body = exactVector(Body);
  if (Toks.type() == P::DOT)
    throw GiveUp();
  C.Range = Toks.rangeFrom(Start);
}

/// headArg : name LT aggregateArg (COMMA aggregateArg)* GT  # aggregateHeadArg
///         | expr                                           # plainHeadArg
/// aggregateArg : expr (COLON name)? ;
void RDParser::headArg(ast::HeadArg &Arg) {
  llvm::SMLoc Start = Toks.start(Toks.peek());
  if (atName() && Toks.type(1) == P::LT) {
    Arg.IsAggregate = true;
    Arg.Aggregate = name();
    Toks.take();
    do {
      ast::AggregateArg AA{expr(), std::nullopt};
      if (Toks.type() == P::COLON) {
        Toks.take();
        AA.Order = name();
      }
      Arg.AggArgs.push_back(std::move(AA));
    } while (Toks.type() == P::COMMA && (Toks.take(), true));
    expect(P::GT);
  } else {
    Arg.Value = expr();
  }
  Arg.Range = Toks.rangeFrom(Start);
}

namespace {
bool isCompareOp(size_t Type) {
  return Type == P::ASSIGN || Type == P::EQEQ || Type == P::NEQ || Type == P::LT || Type == P::LE ||
         Type == P::GT || Type == P::GE;
}

bool isBinaryOp(size_t Type) {
  return Type == P::PLUS || Type == P::MINUS || Type == P::STAR || Type == P::SLASH ||
         Type == P::PERCENT;
}

ast::CompareOp compareOp(size_t Type) {
  switch (Type) {
  case P::NEQ:
    return ast::CompareOp::Ne;
  case P::LT:
    return ast::CompareOp::Lt;
  case P::LE:
    return ast::CompareOp::Le;
  case P::GT:
    return ast::CompareOp::Gt;
  case P::GE:
    return ast::CompareOp::Ge;
  default:
    return ast::CompareOp::Eq;
  }
}
} // namespace

/// bodyLiteral : BANG atom | atom | expr compareOp expr ;
/// `==` is reported, so goes to the ANTLR path.
void RDParser::bodyLiteral(ast::BodyLiteral &L) {
  llvm::SMLoc Start = Toks.start(Toks.peek());
  if (Toks.type() == P::BANG) {
    Toks.take();
    L.TheKind = ast::BodyLiteral::Kind::Negated;
    L.TheAtom = atom();
  } else if (atName() && Toks.type(1) == P::LBRACE) {
    L.TheKind = ast::BodyLiteral::Kind::Positive;
    L.TheAtom = atom();
  } else if (atName() && Toks.type(1) == P::LPAREN) {
    // An atom, or a call starting a comparison: the two read alike up to
    // the `)`, and an operator after it makes the call.
    L.TheAtom = atom();
    if (!isCompareOp(Toks.type()) && !isBinaryOp(Toks.type())) {
      L.TheKind = ast::BodyLiteral::Kind::Positive;
    } else {
      ast::Expr Call = callOfAtom(std::move(L.TheAtom));
      L.TheAtom = ast::Atom();
      comparison(L, &Call);
    }
  } else {
    comparison(L, nullptr);
  }
  L.Range = Toks.rangeFrom(Start);
}

/// expr compareOp expr, the first operand of the left side already parsed
/// when First is set.
void RDParser::comparison(ast::BodyLiteral &L, ast::Expr *First) {
  L.TheKind = ast::BodyLiteral::Kind::Comparison;
  if (First) {
    OperatorsInExpr = AtomArgOperators; // a call's arguments count in its expression
    if (OperatorsInExpr > Limits.MaxOperators)
      throw GiveUp();
    L.Lhs = exprChainFrom(std::move(*First));
  } else {
    L.Lhs = expr();
  }
  size_t Op = Toks.type();
  if (!isCompareOp(Op) || Op == P::EQEQ)
    throw GiveUp();
  Toks.take();
  L.Op = compareOp(Op);
  L.Rhs = expr();
}

ast::Expr RDParser::callOfAtom(ast::Atom &&A) {
  ast::Expr E;
  E.TheKind = ast::Expr::Kind::Call;
  E.Text = std::move(A.Relation.Name);
  E.Operands = std::move(A.Args);
  E.Range = A.Range;
  return E;
}

/// atom : name LPAREN (expr (COMMA expr)*)? RPAREN                 # positionalAtom
///      | name LBRACE (namedArg (COMMA namedArg)* COMMA?)? RBRACE  # namedAtom
/// namedArg : name COLON expr ;
ast::Atom RDParser::atom() {
  ast::Atom A;
  llvm::SMLoc Start = Toks.start(Toks.peek());
  A.Relation = name();
  if (Toks.type() == P::LPAREN) {
    Toks.take();
    llvm::SmallVector<ast::Expr, 8> Args;
    AtomArgOperators = 0;
    if (Toks.type() != P::RPAREN) {
      Args.push_back(expr());
      AtomArgOperators += OperatorsInExpr;
      while (Toks.type() == P::COMMA) {
        Toks.take();
        Args.push_back(expr());
        AtomArgOperators += OperatorsInExpr;
      }
    }
    expect(P::RPAREN);
    A.Args = exactVector(Args);
  } else {
    A.IsNamed = true;
    expect(P::LBRACE);
    llvm::SmallVector<ast::NamedArg, 4> NamedArgs;
    while (Toks.type() != P::RBRACE) {
      ast::Ident Column = name();
      expect(P::COLON);
      NamedArgs.push_back({std::move(Column), expr()});
      if (Toks.type() != P::COMMA)
        break;
      Toks.take();
    }
    expect(P::RBRACE);
    A.NamedArgs = exactVector(NamedArgs);
  }
  A.Range = Toks.rangeFrom(Start);
  return A;
}

// ---- expressions

ast::Expr RDParser::expr() {
  OperatorsInExpr = 0;
  return exprChain();
}

void RDParser::countOperator() {
  // Past the limit the ANTLR path reports ExpressionTooLong.
  if (++OperatorsInExpr > Limits.MaxOperators)
    throw GiveUp();
}

/// expr : MINUS* primary ((PLUS | MINUS | STAR | SLASH | PERCENT) MINUS* primary)* ;
ast::Expr RDParser::exprChain() { return exprChainFrom(operand()); }

ast::Expr RDParser::exprChainFrom(ast::Expr First) {
  if (!isBinaryOp(Toks.type()))
    return First; // most expressions: no vectors to fill
  llvm::SmallVector<ast::Expr, 4> Operands;
  llvm::SmallVector<ast::BinaryOp, 4> Ops;
  Operands.push_back(std::move(First));
  while (isBinaryOp(Toks.type())) {
    countOperator();
    Ops.push_back(binaryOpOfToken(Toks.take().Type));
    Operands.push_back(operand());
  }
  return applyPrecedence(Operands, Ops);
}

/// MINUS* primary, one operand of an expr.
ast::Expr RDParser::operand() {
  llvm::SmallVector<llvm::SMLoc, 2> PendingMinus;
  while (Toks.type() == P::MINUS) {
    countOperator();
    PendingMinus.push_back(Toks.start(Toks.take()));
  }
  ast::Expr Operand = primary(PendingMinus);
  if (PendingMinus.empty())
    return Operand;
  return negate(std::move(Operand), PendingMinus);
}

/// primary : constant | name LPAREN (expr (COMMA expr)*)? RPAREN | name
///         | LPAREN expr RPAREN | LBRACK (expr (COMMA expr)*)? RBRACK ;
/// The innermost minus of `-9223372036854775808` is taken from
/// PendingMinus and folded here.
ast::Expr RDParser::primary(llvm::SmallVectorImpl<llvm::SMLoc> &PendingMinus) {
  size_t Type = Toks.type();
  if (Type == P::INT && !PendingMinus.empty() && isMinIntMagnitude(Toks.text(Toks.peek()))) {
    llvm::SMLoc Minus = PendingMinus.pop_back_val();
    return minIntValue(Minus, Toks.end(Toks.take()));
  }
  if (Type == P::INT || Type == P::FLOAT || Type == P::STRING) {
    ConstantKind Kind = Type == P::INT     ? ConstantKind::Int
                        : Type == P::FLOAT ? ConstantKind::Float
                                           : ConstantKind::String;
    return constantValue(Kind, Toks.range(Toks.take()), *Diags);
  }
  llvm::SMLoc Start = Toks.start(Toks.peek());
  ast::Expr E;
  if (isName(Type)) {
    if (Toks.type(1) != P::LPAREN)
      return nameValue(Toks.range(Toks.take()));
    E.TheKind = ast::Expr::Kind::Call;
    E.Text = Toks.text(Toks.take()).str();
    Toks.take();
    E.Operands = exprList(P::RPAREN);
  } else if (Type == P::LPAREN) {
    Toks.take();
    E.TheKind = ast::Expr::Kind::Paren;
    E.Operands.push_back(exprChain());
    expect(P::RPAREN);
  } else if (Type == P::LBRACK) {
    Toks.take();
    E.TheKind = ast::Expr::Kind::List;
    E.Operands = exprList(P::RBRACK);
  } else {
    throw GiveUp();
  }
  E.Range = Toks.rangeFrom(Start);
  return E;
}

/// (expr (COMMA expr)*)? Close, inside one top-level expression.
std::vector<ast::Expr> RDParser::exprList(size_t Close) {
  llvm::SmallVector<ast::Expr, 4> Out;
  if (Toks.type() != Close) {
    Out.push_back(exprChain());
    while (Toks.type() == P::COMMA) {
      Toks.take();
      Out.push_back(exprChain());
    }
  }
  expect(Close);
  return exactVector(Out);
}
