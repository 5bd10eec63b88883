//===- TypedIql.cpp - Lowered AST fragments and Sema types as IQL trees ---===//
//
// The lowering builds lib/IQL trees, never text: a clause written in a `.mig`
// file (its atoms already positional) becomes the tree the server's parser
// would build from its spelling, with the author's parentheses and number
// spellings kept so that the lowering print style spells it as before.
// It lives in Sema, below code generation, because Sema also asks which
// clauses the server would register as one (ServerClause.h).
//
//===----------------------------------------------------------------------===//
#include "strata/AST/Printer.h"
#include "strata/IQL/Printer.h"
#include "strata/Sema/ServerClause.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"

using namespace strata;

namespace {
iql::Expr constantExpr(iql::Value V, std::string Spelling = "") {
  iql::Expr E;
  E.K = iql::Expr::Kind::Constant;
  E.Constant = std::move(V);
  E.Text = std::move(Spelling);
  return E;
}

iql::Expr binary(char Op, iql::Expr L, iql::Expr R) {
  iql::Expr E;
  E.K = iql::Expr::Kind::Binary;
  E.Op = Op;
  E.Args.push_back(std::move(L));
  E.Args.push_back(std::move(R));
  return E;
}

/// A list literal: constants only (Sema refuses anything else in one).
iql::Value listValue(const ast::Expr &E) {
  std::vector<iql::Value> Elements;
  for (const ast::Expr &X : E.Operands)
    Elements.push_back(iqlExpr(X).Constant);
  return iql::Value::list(std::move(Elements));
}

/// `-X` the way the server's parser reads it: a negative literal when X is
/// a bare number, else `0 - X` with an implied (unspelt) zero.
iql::Expr negation(const ast::Expr &E) {
  const ast::Expr &X = E.Operands[0];
  if (X.TheKind == ast::Expr::Kind::Int)
    return constantExpr(iql::Value::integer(-X.IntValue), "-" + std::to_string(X.IntValue));
  if (X.TheKind == ast::Expr::Kind::Float)
    return constantExpr(iql::Value::real(-X.FloatValue), "-" + X.Text);
  return binary('-', constantExpr(iql::Value::integer(0)), iqlExpr(X));
}

char binaryOpChar(ast::BinaryOp Op) { return ast::spelling(Op)[0]; }
} // namespace

iql::Expr strata::iqlExpr(const ast::Expr &E) {
  using K = ast::Expr::Kind;
  switch (E.TheKind) {
  case K::Variable: {
    iql::Expr V;
    V.K = iql::Expr::Kind::Variable;
    V.Name = E.Text;
    return V;
  }
  case K::Wildcard: {
    iql::Expr W;
    W.K = iql::Expr::Kind::Wildcard;
    return W;
  }
  case K::Word: // `desc` in an aggregate: the parser keeps the word as a string
    return constantExpr(iql::Value::string(E.Text));
  case K::Int: // spelt, so that a written `0 - X` stays one (no implied zero)
    return constantExpr(iql::Value::integer(E.IntValue), std::to_string(E.IntValue));
  case K::Float:
    return constantExpr(iql::Value::real(E.FloatValue), E.Text);
  case K::String: // spelt, so that an aggregate prints it quoted (a word is not)
    return constantExpr(iql::Value::string(E.Text), ast::quoteString(E.Text));
  case K::Bool:
    return constantExpr(iql::Value::boolean(E.BoolValue));
  case K::List:
    return constantExpr(listValue(E), ast::toString(E));
  case K::Negate:
    return negation(E);
  case K::Binary:
    return binary(binaryOpChar(E.Op), iqlExpr(E.Operands[0]), iqlExpr(E.Operands[1]));
  case K::Call: {
    iql::Expr C;
    C.K = iql::Expr::Kind::Call;
    C.Name = E.Text;
    C.Function = iql::findFunction(E.Text);
    for (const ast::Expr &A : E.Operands)
      C.Args.push_back(iqlExpr(A));
    return C;
  }
  case K::Paren: {
    iql::Expr Inner = iqlExpr(E.Operands[0]);
    ++Inner.Parens;
    return Inner;
  }
  case K::Error:
    break;
  }
  // Sema accepts no migration with an error node in it.
  llvm::report_fatal_error("lowering an expression that failed to parse");
}

namespace {
iql::Expr headArg(const ast::HeadArg &A) {
  if (!A.IsAggregate)
    return iqlExpr(A.Value);
  iql::Expr Agg;
  Agg.K = iql::Expr::Kind::Aggregate;
  Agg.Name = A.Aggregate.Name;
  Agg.Aggregate = iql::findAggregate(A.Aggregate.Name);
  if (!Agg.Aggregate)
    llvm::report_fatal_error(llvm::Twine("lowering an unknown aggregate `") + A.Aggregate.Name +
                             "`");
  for (const ast::AggregateArg &P : A.AggArgs) {
    iql::Expr Arg = iqlExpr(P.Value);
    if (P.Order)
      Arg.Order = P.Order->Name;
    Agg.Args.push_back(std::move(Arg));
  }
  return Agg;
}

iql::Atom atom(const ast::Atom &A) {
  iql::Atom Out;
  Out.Relation = A.Relation.Name;
  for (const ast::Expr &E : A.Args)
    Out.Args.push_back(iqlExpr(E));
  return Out;
}

iql::Literal literal(const ast::BodyLiteral &L) {
  iql::Literal Out;
  switch (L.TheKind) {
  case ast::BodyLiteral::Kind::Positive:
  case ast::BodyLiteral::Kind::Negated:
    Out.K = L.TheKind == ast::BodyLiteral::Kind::Positive ? iql::Literal::Kind::Positive
                                                          : iql::Literal::Kind::Negative;
    Out.A = atom(L.TheAtom);
    return Out;
  case ast::BodyLiteral::Kind::Comparison:
    Out.K = iql::Literal::Kind::Compare;
    Out.CmpOp = ast::spelling(L.Op).str();
    Out.Lhs = iqlExpr(L.Lhs);
    Out.Rhs = iqlExpr(L.Rhs);
    return Out;
  }
  return Out;
}
} // namespace

iql::Clause strata::iqlClause(const ast::Clause &C) {
  iql::Clause Out;
  Out.Head.Relation = C.Head.Name;
  for (const ast::HeadArg &A : C.HeadArgs)
    Out.Head.Args.push_back(headArg(A));
  for (const ast::BodyLiteral &L : C.Body)
    Out.Body.push_back(literal(L));
  return Out;
}

iql::ColumnType strata::iqlType(const Type &T) {
  iql::ColumnType Out;
  using TK = Type::Kind;
  using CK = iql::ColumnType::Kind;
  switch (T.kind()) {
  case TK::Int:
    Out.K = CK::Int;
    break;
  case TK::Float:
    Out.K = CK::Float;
    break;
  case TK::String:
    Out.K = CK::String;
    break;
  case TK::Bool:
    Out.K = CK::Bool;
    break;
  case TK::Vector:
    Out.K = CK::Vector;
    Out.Dimension = T.vectorDim();
    break;
  case TK::List:
    Out.K = CK::List;
    Out.Element.push_back(iqlType(T.element()));
    break;
  case TK::Record:
    Out.K = CK::Record;
    for (const RecordField &F : T.fields())
      Out.Fields.emplace_back(F.Name, iqlType(F.Ty));
    break;
  }
  return Out;
}
