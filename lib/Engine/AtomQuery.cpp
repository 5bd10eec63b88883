//===- AtomQuery.cpp - A query of one atom: its columns and its matches ---===//
#include "AtomQuery.h"
#include "Evaluator.h"

using namespace strata;
using namespace strata::engine;

std::string engine::columnName(const Expr &Arg) {
  if (Arg.K == Expr::Kind::Wildcard)
    return "_";
  if (Arg.K == Expr::Kind::Constant && Arg.Constant.kind() == Value::Kind::String)
    return Arg.Constant.asString();
  return Arg.Text;
}

llvm::Expected<AtomQuery> AtomQuery::make(const Graph &G, const Atom &A, bool Why) {
  AtomQuery Q;
  auto R = G.Relations.find(A.Relation);
  bool Named =
      R != G.Relations.end() && R->second.Columns && R->second.Columns->size() == A.Args.size();
  for (size_t I = 0; I < A.Args.size(); ++I) {
    Q.Columns.push_back(Named                         ? (*R->second.Columns)[I].Name
                        : Why && A.Args[I].isGround() ? "_c" + std::to_string(I)
                                                      : columnName(A.Args[I]));
    Q.ColumnVars.push_back(A.Args[I].isVariable() ? A.Args[I].Name : "");
  }
  // The constant arguments, evaluated once (an unknown function in one is
  // an error, as in any body).
  Q.Ground.resize(A.Args.size());
  Q.FirstOf.resize(A.Args.size());
  for (size_t I = 0; I < A.Args.size(); ++I) {
    const Expr &E = A.Args[I];
    Q.FirstOf[I] = I;
    if (E.K == Expr::Kind::Variable) {
      for (size_t J = 0; J < I; ++J)
        if (A.Args[J].K == Expr::Kind::Variable && A.Args[J].Name == E.Name) {
          Q.FirstOf[I] = J;
          break;
        }
    } else if (E.K != Expr::Kind::Wildcard) {
      llvm::Expected<Value> V = evaluateGround(E);
      if (!V)
        return V.takeError();
      Q.Ground[I] = std::move(*V);
    }
  }
  return Q;
}

bool AtomQuery::matches(const Tuple &T) const {
  if (T.size() != Ground.size())
    return false;
  for (size_t I = 0; I < T.size(); ++I) {
    if (Ground[I] ? !(*Ground[I] == T[I]) : FirstOf[I] != I && !(T[FirstOf[I]] == T[I]))
      return false;
  }
  return true;
}
