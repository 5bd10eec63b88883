//===- LowerClauseAtoms.cpp - A clause's atoms as the server reads them ---===//
//
// The rewriting every clause goes through before it becomes IQL: named
// atoms become positional with the columns of the moment, and a unary
// minus of a non-literal becomes `(0 - X)`. Code generation emits the
// result; Sema compares results to find clauses the server keeps as one.
//
//===----------------------------------------------------------------------===//
#include "strata/Sema/ServerClause.h"

using namespace strata;

namespace {
void lowerExpr(ast::Expr &E) {
  for (ast::Expr &Sub : E.Operands)
    lowerExpr(Sub);
  if (E.TheKind != ast::Expr::Kind::Negate || E.Operands.size() != 1)
    return;
  const ast::Expr &Inner = E.Operands[0].stripParens();
  if (Inner.TheKind == ast::Expr::Kind::Int || Inner.TheKind == ast::Expr::Kind::Float)
    return; // `-5` is a literal to the server
  // -X  ->  (0 - X)
  ast::Expr Zero;
  Zero.TheKind = ast::Expr::Kind::Int;
  Zero.IntValue = 0;
  Zero.Text = "0";
  ast::Expr Sub;
  Sub.TheKind = ast::Expr::Kind::Binary;
  Sub.Op = ast::BinaryOp::Sub;
  Sub.Operands = {std::move(Zero), std::move(E.Operands[0])};
  ast::Expr Paren;
  Paren.TheKind = ast::Expr::Kind::Paren;
  Paren.Range = E.Range;
  Paren.Operands.push_back(std::move(Sub));
  E = std::move(Paren);
}

llvm::Error lowerAtom(ast::Atom &A, const ColumnLookup &Lookup) {
  for (ast::Expr &E : A.Args)
    lowerExpr(E);
  for (ast::NamedArg &N : A.NamedArgs)
    lowerExpr(N.Value);
  if (!A.IsNamed)
    return llvm::Error::success();
  const ColumnList *Columns = Lookup(A.Relation.Name);
  if (!Columns)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "`" + A.Relation.Name +
                                       "` has no columns at this point of the history");
  ast::Expr Wild;
  Wild.TheKind = ast::Expr::Kind::Wildcard;
  std::vector<ast::Expr> Args(Columns->size(), Wild);
  for (ast::NamedArg &N : A.NamedArgs) {
    std::optional<size_t> Pos = Columns->find(N.Column.Name);
    if (!Pos)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "`" + A.Relation.Name + "` has no column `" + N.Column.Name +
                                         "` at this point of the history");
    Args[*Pos] = std::move(N.Value);
  }
  A.IsNamed = false;
  A.NamedArgs.clear();
  A.Args = std::move(Args);
  return llvm::Error::success();
}
} // namespace

llvm::Error strata::lowerClauseAtoms(ast::Clause &C, const ColumnLookup &Lookup) {
  for (ast::HeadArg &H : C.HeadArgs) {
    lowerExpr(H.Value);
    for (ast::AggregateArg &A : H.AggArgs)
      lowerExpr(A.Value);
  }
  for (ast::BodyLiteral &L : C.Body) {
    if (L.TheKind == ast::BodyLiteral::Kind::Comparison) {
      lowerExpr(L.Lhs);
      lowerExpr(L.Rhs);
    } else if (llvm::Error E = lowerAtom(L.TheAtom, Lookup)) {
      return E;
    }
  }
  return llvm::Error::success();
}
