//===- Printer.cpp - Statements back to IQL text ---------------------------===//
#include "strata/IQL/Printer.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata::iql;

namespace {
int precedence(char Op) { return Op == '+' || Op == '-' ? 1 : 2; }

/// Prints trees. The server's style (Canonical off) is what the engine
/// shows; the canonical form differs only where that style would not read
/// back: a query may not contain `<-` even inside a string, so canonical
/// strings write it `<\-` (an escaped `-` stands for itself).
class TreePrinter {
public:
  explicit TreePrinter(bool Canonical) : Canonical(Canonical) {}

  std::string constant(const Value &V) const;
  std::string expr(const Expr &E) const;
  std::string exprList(const std::vector<Expr> &Es) const;
  std::string atom(const Atom &A) const { return A.Relation + "(" + exprList(A.Args) + ")"; }
  std::string literal(const Literal &L) const;
  std::string body(const std::vector<Literal> &Body) const;
  std::string clause(const Clause &C) const { return atom(C.Head) + " <- " + body(C.Body); }
  std::string statement(const Statement &S) const;

private:
  std::string rows(const Statement &S) const;
  std::string schema(const Statement &S) const;
  std::string updateTargets(const Statement &S) const;

  bool Canonical;
};
} // namespace

std::string TreePrinter::constant(const Value &V) const {
  if (!Canonical)
    return V.literal();
  if (V.kind() == Value::Kind::List) {
    std::string S = "[";
    for (const Value &E : V.asList())
      S += (S.size() > 1 ? ", " : "") + constant(E);
    return S + "]";
  }
  std::string S = V.literal();
  if (V.kind() == Value::Kind::String)
    for (size_t At = S.find("<-"); At != std::string::npos; At = S.find("<-", At + 3))
      S.insert(At + 1, "\\");
  return S;
}

std::string TreePrinter::expr(const Expr &E) const {
  switch (E.K) {
  case Expr::Kind::Variable:
    return E.Name;
  case Expr::Kind::Wildcard:
    return "_";
  case Expr::Kind::Constant:
    return constant(E.Constant);
  case Expr::Kind::Binary: {
    auto Side = [&](const Expr &S, bool Right) {
      std::string T = expr(S);
      if (S.K == Expr::Kind::Binary &&
          (precedence(S.Op) < precedence(E.Op) ||
           (Right && precedence(S.Op) == precedence(E.Op))))
        return "(" + T + ")";
      return T;
    };
    return Side(E.Args[0], false) + E.Op + Side(E.Args[1], true);
  }
  case Expr::Kind::Call:
    return E.Name + "(" + exprList(E.Args) + ")";
  case Expr::Kind::Aggregate: {
    std::string S = E.Name + "<";
    for (size_t I = 0; I < E.Args.size(); ++I) {
      const Expr &A = E.Args[I];
      // An aggregate's word argument (`desc`) reads back only unquoted.
      bool Word = A.K == Expr::Kind::Constant && A.Constant.kind() == Value::Kind::String;
      S += (I ? ", " : "") + (Word ? A.Constant.asString() : expr(A));
    }
    return S + ">";
  }
  }
  return "";
}

std::string TreePrinter::exprList(const std::vector<Expr> &Es) const {
  std::string S;
  for (size_t I = 0; I < Es.size(); ++I)
    S += (I ? ", " : "") + expr(Es[I]);
  return S;
}

std::string TreePrinter::literal(const Literal &L) const {
  switch (L.K) {
  case Literal::Kind::Positive:
    return atom(L.A);
  case Literal::Kind::Negative:
    return "!" + atom(L.A);
  case Literal::Kind::Compare:
    return expr(L.Lhs) + " " + L.CmpOp + " " + expr(L.Rhs);
  }
  return "";
}

std::string TreePrinter::body(const std::vector<Literal> &Body) const {
  std::string S;
  for (size_t I = 0; I < Body.size(); ++I)
    S += (I ? ", " : "") + literal(Body[I]);
  return S;
}

/// `(...)` for one fact, `[(...), ...]` for the bulk form.
std::string TreePrinter::rows(const Statement &S) const {
  if (!S.Bulk && S.Rows.size() == 1)
    return "(" + exprList(S.Rows[0]) + ")";
  std::string Out = "[";
  for (size_t I = 0; I < S.Rows.size(); ++I)
    Out += (I ? ", (" : "(") + exprList(S.Rows[I]) + ")";
  return Out + "]";
}

std::string TreePrinter::schema(const Statement &S) const {
  std::string Out = "+" + S.Relation + "(";
  for (size_t I = 0; I < S.Columns.size(); ++I)
    Out += (I ? ", " : "") + S.Columns[I].Name + ": " + S.Columns[I].Type.text();
  return Out + ")";
}

std::string TreePrinter::updateTargets(const Statement &S) const {
  std::string Out;
  for (size_t I = 0; I < S.Targets.size(); ++I)
    Out += (I ? ", " : "") + std::string(S.Targets[I].first ? "+" : "-") +
           atom(S.Targets[I].second);
  return Out;
}

std::string TreePrinter::statement(const Statement &S) const {
  using K = Statement::Kind;
  switch (S.K) {
  case K::Meta:
    return "." + llvm::join(S.Words, " ");
  case K::Query:
    return "?" + body(S.Body);
  case K::SchemaDecl:
    return schema(S);
  case K::Insert:
    return "+" + S.Relation + rows(S);
  case K::Delete:
    return "-" + S.Relation + rows(S);
  case K::DropRule:
    return "-" + S.Relation;
  case K::ConditionalDelete:
    return "-" + clause(S.Rule);
  case K::Update:
    return updateTargets(S) + " <- " + body(S.Body);
  case K::PersistentRule:
    return "+" + clause(S.Rule);
  case K::SessionRule:
    return clause(S.Rule);
  case K::SessionFact:
    return atom(S.Rule.Head);
  case K::TypeDecl:
    return "type " + S.Relation + ": " + S.Type.text();
  }
  return "";
}

std::string strata::iql::printExpr(const Expr &E) { return TreePrinter(false).expr(E); }
std::string strata::iql::printAtom(const Atom &A) { return TreePrinter(false).atom(A); }
std::string strata::iql::printLiteral(const Literal &L) { return TreePrinter(false).literal(L); }
std::string strata::iql::printClause(const Clause &C) { return TreePrinter(false).clause(C); }
std::string strata::iql::printStatement(const Statement &S) {
  return TreePrinter(true).statement(S);
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

std::string IndexSpec::text() const {
  return ".index create " + Name + " on " + Relation + "(" + Column + ") type " + Type +
         " metric " + Metric + " m " + std::to_string(M) + " ef_construction " +
         std::to_string(EfConstruction) + " ef_search " + std::to_string(EfSearch);
}
