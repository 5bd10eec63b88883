//===- Syntax.cpp - Printing statements back, and column types -------------===//
#include "strata/IQL/Syntax.h"

using namespace strata::iql;

bool Expr::isGround() const {
  if (K == Kind::Variable || K == Kind::Wildcard || K == Kind::Aggregate)
    return false;
  for (const Expr &A : Args)
    if (!A.isGround())
      return false;
  return true;
}

bool Clause::hasAggregate() const {
  for (const Expr &A : Head.Args)
    if (A.K == Expr::Kind::Aggregate)
      return true;
  return false;
}

static int precedence(char Op) { return Op == '+' || Op == '-' ? 1 : 2; }

std::string strata::iql::printExpr(const Expr &E) {
  switch (E.K) {
  case Expr::Kind::Variable:
    return E.Name;
  case Expr::Kind::Wildcard:
    return "_";
  case Expr::Kind::Constant:
    return E.Constant.literal();
  case Expr::Kind::Binary: {
    auto Side = [&](const Expr &S, bool Right) {
      std::string T = printExpr(S);
      if (S.K == Expr::Kind::Binary &&
          (precedence(S.Op) < precedence(E.Op) ||
           (Right && precedence(S.Op) == precedence(E.Op))))
        return "(" + T + ")";
      return T;
    };
    return Side(E.Args[0], false) + E.Op + Side(E.Args[1], true);
  }
  case Expr::Kind::Call:
  case Expr::Kind::Aggregate: {
    std::string S = E.Name + (E.K == Expr::Kind::Call ? "(" : "<");
    for (size_t I = 0; I < E.Args.size(); ++I) {
      const Expr &A = E.Args[I];
      // An aggregate's word argument (`desc`) reads back only unquoted.
      bool Word = E.K == Expr::Kind::Aggregate && A.K == Expr::Kind::Constant &&
                  A.Constant.kind() == Value::Kind::String;
      S += (I ? ", " : "") + (Word ? A.Constant.asString() : printExpr(A));
      if (!A.Order.empty())
        S += ":" + A.Order;
    }
    return S + (E.K == Expr::Kind::Call ? ")" : ">");
  }
  }
  return "";
}

std::string strata::iql::printAtom(const Atom &A) {
  std::string S = A.Relation + "(";
  for (size_t I = 0; I < A.Args.size(); ++I)
    S += (I ? ", " : "") + printExpr(A.Args[I]);
  return S + ")";
}

std::string strata::iql::printLiteral(const Literal &L) {
  switch (L.K) {
  case Literal::Kind::Positive:
    return printAtom(L.A);
  case Literal::Kind::Negative:
    return "!" + printAtom(L.A);
  case Literal::Kind::Compare:
    return printExpr(L.Lhs) + " " + L.CmpOp + " " + printExpr(L.Rhs);
  }
  return "";
}

std::string strata::iql::printClause(const Clause &C) {
  std::string S = printAtom(C.Head) + " <- ";
  for (size_t I = 0; I < C.Body.size(); ++I)
    S += (I ? ", " : "") + printLiteral(C.Body[I]);
  return S;
}

std::string ColumnType::text() const {
  switch (K) {
  case Kind::Int:
    return "int";
  case Kind::Float:
    return "float";
  case Kind::String:
    return "string";
  case Kind::Bool:
    return "bool";
  case Kind::Vector:
    return Dimension ? "vector(" + std::to_string(Dimension) + ")" : "vector";
  case Kind::List:
    return "list[" + (Element.empty() ? std::string("int") : Element[0].text()) + "]";
  case Kind::Record: {
    std::string S = "{ ";
    for (size_t I = 0; I < Fields.size(); ++I)
      S += (I ? ", " : "") + Fields[I].first + ": " + Fields[I].second.text();
    return S + " }";
  }
  case Kind::Named:
    return Name;
  }
  return "";
}

bool ColumnType::accepts(const Value &V) const {
  switch (K) {
  case Kind::Int:
    return V.kind() == Value::Kind::Int;
  case Kind::Float:
    return V.isNumber();
  case Kind::String:
    return V.kind() == Value::Kind::String;
  case Kind::Bool:
    return V.kind() == Value::Kind::Bool;
  case Kind::Vector:
    if (V.kind() != Value::Kind::List)
      return false;
    if (Dimension && V.asList().size() != Dimension)
      return false;
    for (const Value &E : V.asList())
      if (!E.isNumber())
        return false;
    return true;
  case Kind::List:
    if (V.kind() != Value::Kind::List)
      return false;
    for (const Value &E : V.asList())
      if (!Element.empty() && !Element[0].accepts(E))
        return false;
    return true;
  case Kind::Record:
  case Kind::Named:
    return true; // records are not stored as values; named types are opaque
  }
  return false;
}

std::string IndexSpec::text() const {
  return ".index create " + Name + " on " + Relation + "(" + Column + ") type " + Type +
         " metric " + Metric + " m " + std::to_string(M) + " ef_construction " +
         std::to_string(EfConstruction) + " ef_search " + std::to_string(EfSearch);
}
