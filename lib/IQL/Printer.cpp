//===- Printer.cpp - Statements back to IQL text ---------------------------===//
#include "strata/IQL/Printer.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>
#include <map>

using namespace strata::iql;

namespace {
int precedence(char Op) { return Op == '+' || Op == '-' ? 1 : 2; }

/// Where an expression is printed, from loosest to tightest: what it may
/// be there without parentheses.
enum class Slot {
  Any,          // a whole expression: an argument, a comparison side, left of + -
  Term,         // right of + -, left of * / %: a product or tighter
  Factor,       // right of * / %: a unary minus or a primary
  MinusOperand, // after a unary minus: a Factor, but not an unsigned number
};

/// `0 - R`, which is also how the parser reads a unary minus `-R`.
bool isNegation(const Expr &E) {
  return E.K == Expr::Kind::Binary && E.Op == '-' && E.Args[0].K == Expr::Kind::Constant &&
         E.Args[0].Constant.kind() == Value::Kind::Int && E.Args[0].Constant.asInt() == 0;
}

unsigned listNesting(const Value &V) {
  if (V.kind() != Value::Kind::List)
    return 0;
  unsigned Deepest = 0;
  for (const Value &E : V.asList())
    Deepest = std::max(Deepest, listNesting(E));
  return 1 + Deepest;
}

/// Prints trees. The server's style (Canonical off) is what the engine
/// shows. The canonical form must read back to the same tree, which that
/// style misses in two corners:
///  - a query may not contain `<-` even inside a string, so canonical
///    strings write it `<\-` (an escaped `-` stands for itself);
///  - `-X` reads as `0-X`, which the server's style prints with
///    parentheses wherever a product or tighter is needed: `(0-X)*Y`. Each
///    such pair adds to the nesting that Limits.h bounds, so a statement
///    just within the bound could print past it. Canonical printing writes
///    each negation the way that nests least (`-X*Y` or `0-X`).
///
/// The lowering style (Printer.h) is a third spelling: the one Strata's
/// emitted streams have always had, kept byte for byte.
/// A variable with the order a query or ranking aggregate gives it: `S:desc`.
std::string orderedVariable(const Expr &E) {
  return E.Order.empty() ? E.Name : E.Name + ":" + E.Order;
}

class TreePrinter {
public:
  explicit TreePrinter(bool Canonical, bool Lowering = false)
      : Canonical(Canonical), Lowering(Lowering) {}

  std::string constant(const Value &V) const;
  std::string expr(const Expr &E, Slot Where = Slot::Any) const;
  std::string exprList(const std::vector<Expr> &Es) const;
  std::string atom(const Atom &A) const { return A.Relation + "(" + exprList(A.Args) + ")"; }
  std::string literal(const Literal &L) const;
  std::string body(const std::vector<Literal> &Body) const;
  std::string clause(const Clause &C) const { return atom(C.Head) + " <- " + body(C.Body); }
  std::string statement(const Statement &S) const;

private:
  bool needsParens(const Expr &E, Slot Where) const;
  unsigned binaryNesting(const Expr &E, Slot Where) const;
  unsigned nesting(const Expr &E, Slot Where) const;
  bool printsAsUnaryMinus(const Expr &E, Slot Where) const;
  std::string aggregate(const Expr &E) const;
  std::string rows(const Statement &S) const;
  std::string schema(const Statement &S) const;
  std::string updateTargets(const Statement &S) const;
  std::string loweringExpr(const Expr &E) const;
  std::string typeText(const ColumnType &T) const;

  bool Canonical;
  bool Lowering;
  /// nesting() per node and slot, so that chains of negations stay linear.
  mutable std::map<std::pair<const Expr *, Slot>, unsigned> Nesting;
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

/// Whether E, printed in binary form (or as a constant), needs parentheses
/// in the slot.
bool TreePrinter::needsParens(const Expr &E, Slot Where) const {
  if (E.K == Expr::Kind::Binary)
    return !(Where == Slot::Any || (Where == Slot::Term && precedence(E.Op) == 2));
  // `-5` would read as the constant -5, not as `0-5`.
  return E.K == Expr::Kind::Constant && Where == Slot::MinusOperand && E.Constant.isNumber() &&
         E.Constant.literal()[0] != '-';
}

/// The parser's nesting depth (Limits.h: parentheses and calls count two,
/// a unary minus one) that printing E in binary form in the slot costs.
unsigned TreePrinter::binaryNesting(const Expr &E, Slot Where) const {
  bool Sum = precedence(E.Op) == 1;
  unsigned Inner = std::max(nesting(E.Args[0], Sum ? Slot::Any : Slot::Term),
                            nesting(E.Args[1], Sum ? Slot::Term : Slot::Factor));
  return Inner + (needsParens(E, Where) ? 2 : 0);
}

unsigned TreePrinter::nesting(const Expr &E, Slot Where) const {
  auto Key = std::make_pair(&E, Where);
  auto It = Nesting.find(Key);
  if (It != Nesting.end())
    return It->second;
  unsigned N = 0;
  if (E.K == Expr::Kind::Binary) {
    N = binaryNesting(E, Where);
    if (Canonical && isNegation(E))
      N = std::min(N, 1 + nesting(E.Args[1], Slot::MinusOperand));
  } else if (E.K == Expr::Kind::Call) {
    for (const Expr &A : E.Args)
      N = std::max(N, nesting(A, Slot::Any));
    N += 2;
  } else if (E.K == Expr::Kind::Constant) {
    N = 2 * listNesting(E.Constant) + (needsParens(E, Where) ? 2 : 0);
  }
  Nesting[Key] = N;
  return N;
}

bool TreePrinter::printsAsUnaryMinus(const Expr &E, Slot Where) const {
  return Canonical && isNegation(E) &&
         1 + nesting(E.Args[1], Slot::MinusOperand) <= binaryNesting(E, Where);
}

/// The lowering style: parentheses only where written, so the tree's shape
/// must already be what they say (the lowering builds it from a parse).
std::string TreePrinter::loweringExpr(const Expr &E) const {
  std::string S;
  if (E.K == Expr::Kind::Constant)
    S = E.Text.empty() ? E.Constant.literal() : E.Text;
  else if (E.K == Expr::Kind::Binary && isNegation(E) && E.Args[0].Text.empty())
    S = "-" + loweringExpr(E.Args[1]); // an implied zero: written `-X`
  else if (E.K == Expr::Kind::Binary)
    S = loweringExpr(E.Args[0]) + " " + E.Op + " " + loweringExpr(E.Args[1]);
  else if (E.K == Expr::Kind::Variable)
    S = orderedVariable(E);
  else if (E.K == Expr::Kind::Wildcard)
    S = "_";
  else if (E.K == Expr::Kind::Call)
    S = E.Name + "(" + exprList(E.Args) + ")";
  else
    S = aggregate(E);
  return std::string(E.Parens, '(') + S + std::string(E.Parens, ')');
}

std::string TreePrinter::expr(const Expr &E, Slot Where) const {
  if (Lowering)
    return loweringExpr(E);
  switch (E.K) {
  case Expr::Kind::Variable:
    return orderedVariable(E);
  case Expr::Kind::Wildcard:
    return "_";
  case Expr::Kind::Constant:
    return needsParens(E, Where) ? "(" + constant(E.Constant) + ")" : constant(E.Constant);
  case Expr::Kind::Binary: {
    if (printsAsUnaryMinus(E, Where))
      return "-" + expr(E.Args[1], Slot::MinusOperand);
    bool Sum = precedence(E.Op) == 1;
    std::string S = expr(E.Args[0], Sum ? Slot::Any : Slot::Term) + E.Op +
                    expr(E.Args[1], Sum ? Slot::Term : Slot::Factor);
    return needsParens(E, Where) ? "(" + S + ")" : S;
  }
  case Expr::Kind::Call:
    return E.Name + "(" + exprList(E.Args) + ")";
  case Expr::Kind::Aggregate:
    return aggregate(E);
  }
  return "";
}

std::string TreePrinter::aggregate(const Expr &E) const {
  std::string S = E.Name + "<";
  for (size_t I = 0; I < E.Args.size(); ++I) {
    const Expr &A = E.Args[I];
    // An aggregate's word argument (`desc`) reads back only unquoted.
    bool Word = A.K == Expr::Kind::Constant && A.Constant.kind() == Value::Kind::String;
    // The lowering style knows a word from a string by its spelling.
    if (Lowering)
      Word = Word && !A.Parens && A.Text.empty();
    S += (I ? ", " : "") + (Word ? A.Constant.asString() : expr(A));
  }
  return S + ">";
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
    Out += (I ? ", " : "") + S.Columns[I].Name + ": " + typeText(S.Columns[I].Type);
  return Out + ")";
}

std::string TreePrinter::typeText(const ColumnType &T) const {
  if (!Lowering || (T.K != ColumnType::Kind::Record && T.K != ColumnType::Kind::List))
    return T.text();
  if (T.K == ColumnType::Kind::List)
    return "list[" + (T.Element.empty() ? std::string("int") : typeText(T.Element[0])) + "]";
  std::string S = "{";
  for (size_t I = 0; I < T.Fields.size(); ++I)
    S += (I ? ", " : "") + T.Fields[I].first + ": " + typeText(T.Fields[I].second);
  return S + "}";
}

std::string TreePrinter::updateTargets(const Statement &S) const {
  std::string Out;
  for (size_t I = 0; I < S.Targets.size(); ++I)
    Out +=
        (I ? ", " : "") + std::string(S.Targets[I].first ? "+" : "-") + atom(S.Targets[I].second);
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
std::string strata::iql::printStatement(const Statement &S, PrintStyle Style) {
  if (Style == PrintStyle::Lowering)
    return TreePrinter(false, true).statement(S);
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
