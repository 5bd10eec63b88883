//===- ClauseConversion.cpp - IQL clauses as Strata AST clauses -----------===//
#include "ClauseConversion.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::verify;

namespace {

ast::Expr leaf(ast::Expr::Kind K, std::string Text) {
  ast::Expr E;
  E.TheKind = K;
  E.Text = std::move(Text);
  return E;
}

ast::Expr node(ast::Expr::Kind K, std::vector<ast::Expr> Operands) {
  ast::Expr E;
  E.TheKind = K;
  E.Operands = std::move(Operands);
  return E;
}

ast::Expr constant(const iql::Value &V, const std::string &Text) {
  using VK = iql::Value::Kind;
  switch (V.kind()) {
  case VK::Int: {
    ast::Expr E = leaf(ast::Expr::Kind::Int, std::to_string(V.asInt()));
    E.IntValue = V.asInt();
    return E;
  }
  case VK::Float: {
    ast::Expr E = leaf(ast::Expr::Kind::Float, Text.empty() ? V.literal() : Text);
    E.FloatValue = V.asFloat();
    return E;
  }
  case VK::String:
    return leaf(ast::Expr::Kind::String, V.asString());
  case VK::Bool: {
    ast::Expr E = leaf(ast::Expr::Kind::Bool, V.asBool() ? "true" : "false");
    E.BoolValue = V.asBool();
    return E;
  }
  case VK::List: {
    std::vector<ast::Expr> Elements;
    for (const iql::Value &X : V.asList())
      Elements.push_back(constant(X, ""));
    return node(ast::Expr::Kind::List, std::move(Elements));
  }
  case VK::Null:
    break; // only the state file holds nulls
  }
  return leaf(ast::Expr::Kind::Error, "null");
}

ast::BinaryOp binaryOp(char Op) {
  switch (Op) {
  case '+':
    return ast::BinaryOp::Add;
  case '-':
    return ast::BinaryOp::Sub;
  case '*':
    return ast::BinaryOp::Mul;
  case '/':
    return ast::BinaryOp::Div;
  default:
    return ast::BinaryOp::Mod;
  }
}

/// The parser reads `-X` as `0 - X` with a zero that has no source text;
/// a `0` written in the statement always has its text.
bool isNegation(const iql::Expr &E) {
  const iql::Expr &L = E.Args[0];
  return E.Op == '-' && L.K == iql::Expr::Kind::Constant && L.Text.empty() &&
         L.Constant.kind() == iql::Value::Kind::Int && L.Constant.asInt() == 0;
}

ast::Expr expr(const iql::Expr &E) {
  using K = iql::Expr::Kind;
  switch (E.K) {
  case K::Variable:
    return leaf(ast::Expr::Kind::Variable, E.Name);
  case K::Wildcard:
    return leaf(ast::Expr::Kind::Wildcard, "_");
  case K::Constant:
    return constant(E.Constant, E.Text);
  case K::Binary: {
    if (isNegation(E))
      return node(ast::Expr::Kind::Negate, {expr(E.Args[1])});
    ast::Expr B = node(ast::Expr::Kind::Binary, {expr(E.Args[0]), expr(E.Args[1])});
    B.Op = binaryOp(E.Op);
    return B;
  }
  case K::Call: {
    ast::Expr C = leaf(ast::Expr::Kind::Call, E.Name);
    for (const iql::Expr &A : E.Args)
      C.Operands.push_back(expr(A));
    return C;
  }
  case K::Aggregate:
    break; // the parser allows aggregates only as head arguments
  }
  return leaf(ast::Expr::Kind::Error, E.Text);
}

ast::HeadArg headArg(const iql::Expr &E) {
  ast::HeadArg H;
  if (E.K != iql::Expr::Kind::Aggregate) {
    H.Value = expr(E);
    return H;
  }
  H.IsAggregate = true;
  H.Aggregate.Name = E.Name;
  for (const iql::Expr &A : E.Args) {
    ast::AggregateArg P;
    // `desc` in `top_k<3, N, S, desc>`: a word, which the parser keeps as
    // a string constant.
    bool Word = A.K == iql::Expr::Kind::Constant && A.Constant.kind() == iql::Value::Kind::String;
    P.Value = Word ? leaf(ast::Expr::Kind::Word, A.Constant.asString()) : expr(A);
    if (!A.Order.empty())
      P.Order = ast::Ident{A.Order, {}};
    H.AggArgs.push_back(std::move(P));
  }
  return H;
}

ast::Atom atom(const iql::Atom &A) {
  ast::Atom Out;
  Out.Relation.Name = A.Relation;
  for (const iql::Expr &E : A.Args)
    Out.Args.push_back(expr(E));
  return Out;
}

ast::CompareOp compareOp(const std::string &Op) {
  if (Op == "!=")
    return ast::CompareOp::Ne;
  if (Op == "<")
    return ast::CompareOp::Lt;
  if (Op == "<=")
    return ast::CompareOp::Le;
  if (Op == ">")
    return ast::CompareOp::Gt;
  if (Op == ">=")
    return ast::CompareOp::Ge;
  return ast::CompareOp::Eq;
}

ast::BodyLiteral literal(const iql::Literal &L) {
  ast::BodyLiteral Out;
  switch (L.K) {
  case iql::Literal::Kind::Positive:
    Out.TheAtom = atom(L.A);
    break;
  case iql::Literal::Kind::Negative:
    Out.TheKind = ast::BodyLiteral::Kind::Negated;
    Out.TheAtom = atom(L.A);
    break;
  case iql::Literal::Kind::Compare:
    Out.TheKind = ast::BodyLiteral::Kind::Comparison;
    Out.Op = compareOp(L.CmpOp);
    Out.Lhs = expr(L.Lhs);
    Out.Rhs = expr(L.Rhs);
    break;
  }
  return Out;
}

//===-- Canonical form ------------------------------------------------------===//

ast::Expr canonical(const ast::Expr &E);

/// The shortest spelling that reads back as D, still looking like a float.
std::string floatSpelling(double D) {
  std::string S = fmt::format("{}", D);
  if (S.find_first_of(".eEin") == std::string::npos)
    S += ".0";
  return S;
}

/// Operand of a Binary with operator Parent (or of a negation when
/// Parent is null), parenthesised when precedence needs it.
ast::Expr operand(const ast::Expr &E, const ast::BinaryOp *Parent, bool Right) {
  ast::Expr C = canonical(E);
  if (C.TheKind != ast::Expr::Kind::Binary)
    return C;
  bool Needs = !Parent || ast::precedence(C.Op) < ast::precedence(*Parent) ||
               (Right && ast::precedence(C.Op) == ast::precedence(*Parent));
  return Needs ? node(ast::Expr::Kind::Paren, {std::move(C)}) : C;
}

ast::Expr canonical(const ast::Expr &In) {
  const ast::Expr &E = In.stripParens();
  ast::Expr Out = E;
  switch (E.TheKind) {
  case ast::Expr::Kind::Float:
    Out.Text = floatSpelling(E.FloatValue);
    return Out;
  case ast::Expr::Kind::Negate:
    Out.Operands = {operand(E.Operands[0], nullptr, false)};
    return Out;
  case ast::Expr::Kind::Binary:
    Out.Operands = {operand(E.Operands[0], &E.Op, false), operand(E.Operands[1], &E.Op, true)};
    return Out;
  case ast::Expr::Kind::Call:
  case ast::Expr::Kind::List:
    for (ast::Expr &O : Out.Operands)
      O = canonical(O);
    return Out;
  default:
    return Out;
  }
}

void canonicalAtom(ast::Atom &A) {
  for (ast::Expr &E : A.Args)
    E = canonical(E);
  for (ast::NamedArg &N : A.NamedArgs)
    N.Value = canonical(N.Value);
}

} // namespace

ast::Clause verify::canonicalClause(const ast::Clause &C) {
  ast::Clause Out = C;
  for (ast::HeadArg &H : Out.HeadArgs) {
    H.Value = canonical(H.Value);
    for (ast::AggregateArg &A : H.AggArgs)
      A.Value = canonical(A.Value);
  }
  for (ast::BodyLiteral &L : Out.Body) {
    canonicalAtom(L.TheAtom);
    L.Lhs = canonical(L.Lhs);
    L.Rhs = canonical(L.Rhs);
  }
  return Out;
}

std::vector<ast::BodyLiteral> verify::toAstBody(const std::vector<iql::Literal> &Body) {
  ast::Clause C;
  for (const iql::Literal &L : Body)
    C.Body.push_back(literal(L));
  return canonicalClause(C).Body;
}

ast::Clause verify::toAstClause(const iql::Clause &C) {
  ast::Clause Out;
  Out.Head.Name = C.Head.Relation;
  for (const iql::Expr &E : C.Head.Args)
    Out.HeadArgs.push_back(headArg(E));
  for (const iql::Literal &L : C.Body)
    Out.Body.push_back(literal(L));
  return canonicalClause(Out);
}
