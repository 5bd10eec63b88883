//===- Syntax.cpp - Tree questions, column types, meta statements ---------===//
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

strata::iql::Statement strata::iql::metaStatement(MetaCommandId Id, std::vector<std::string> Args) {
  const MetaCommandForm &Form = metaFormInfo(Id);
  Statement S;
  S.K = Statement::Kind::Meta;
  S.Command = Id;
  S.Words.push_back(Form.Command);
  if (*Form.Sub)
    S.Words.push_back(Form.Sub);
  S.Words.insert(S.Words.end(), std::make_move_iterator(Args.begin()),
                 std::make_move_iterator(Args.end()));
  return S;
}
