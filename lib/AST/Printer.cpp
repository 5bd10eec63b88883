//===- Printer.cpp - Canonical IQL spelling of AST fragments --------------===//
#include "strata/AST/Printer.h"

using namespace strata::ast;

std::string strata::ast::quoteString(llvm::StringRef Value) {
  std::string Out = "\"";
  for (char C : Value) {
    switch (C) {
    case '"':
      Out += "\\\"";
      break;
    case '\\':
      Out += "\\\\";
      break;
    case '\n':
      Out += "\\n";
      break;
    case '\r':
      Out += "\\r";
      break;
    case '\t':
      Out += "\\t";
      break;
    default:
      Out += C;
    }
  }
  return Out + "\"";
}

namespace {
template <typename Range, typename Fn>
void commaSeparated(const Range &Items, llvm::raw_ostream &OS, Fn &&Each) {
  bool First = true;
  for (const auto &Item : Items) {
    if (!First)
      OS << ", ";
    First = false;
    Each(Item);
  }
}
} // namespace

void strata::ast::print(const Expr &E, llvm::raw_ostream &OS) {
  switch (E.TheKind) {
  case Expr::Kind::Variable:
  case Expr::Kind::Word:
  case Expr::Kind::Float:
    OS << E.Text;
    return;
  case Expr::Kind::Int:
    OS << E.IntValue;
    return;
  case Expr::Kind::Wildcard:
    OS << '_';
    return;
  case Expr::Kind::String:
    OS << quoteString(E.Text);
    return;
  case Expr::Kind::Bool:
    OS << (E.BoolValue ? "true" : "false");
    return;
  case Expr::Kind::List:
    OS << '[';
    commaSeparated(E.Operands, OS, [&](const Expr &X) { print(X, OS); });
    OS << ']';
    return;
  case Expr::Kind::Negate:
    OS << '-';
    print(E.Operands[0], OS);
    return;
  case Expr::Kind::Binary:
    print(E.Operands[0], OS);
    OS << ' ' << spelling(E.Op) << ' ';
    print(E.Operands[1], OS);
    return;
  case Expr::Kind::Call:
    OS << E.Text << '(';
    commaSeparated(E.Operands, OS, [&](const Expr &X) { print(X, OS); });
    OS << ')';
    return;
  case Expr::Kind::Paren:
    OS << '(';
    print(E.Operands[0], OS);
    OS << ')';
    return;
  case Expr::Kind::Error:
    OS << "<error>";
    return;
  }
}

void strata::ast::print(const TypeExpr &T, llvm::raw_ostream &OS) {
  switch (T.TheForm) {
  case TypeExpr::Form::Named:
    OS << T.Name.Name;
    return;
  case TypeExpr::Form::Sized:
    OS << T.Name.Name << '(' << T.Size << ')';
    return;
  case TypeExpr::Form::BracketSized:
    OS << T.Name.Name << '[' << T.Size << ']';
    return;
  case TypeExpr::Form::Bracketed:
    OS << T.Name.Name << '[';
    if (!T.Element.empty())
      print(T.Element.front(), OS);
    OS << ']';
    return;
  case TypeExpr::Form::Record:
    OS << '{';
    commaSeparated(T.Fields, OS, [&](const TypeField &F) {
      OS << F.Name.Name << ": ";
      print(F.Type, OS);
    });
    OS << '}';
    return;
  }
}

void strata::ast::print(const Atom &A, llvm::raw_ostream &OS) {
  OS << A.Relation.Name;
  if (!A.IsNamed) {
    OS << '(';
    commaSeparated(A.Args, OS, [&](const Expr &X) { print(X, OS); });
    OS << ')';
    return;
  }
  OS << '{';
  commaSeparated(A.NamedArgs, OS, [&](const NamedArg &N) {
    OS << N.Column.Name << ": ";
    print(N.Value, OS);
  });
  OS << '}';
}

void strata::ast::print(const BodyLiteral &L, llvm::raw_ostream &OS) {
  switch (L.TheKind) {
  case BodyLiteral::Kind::Negated:
    OS << '!';
    [[fallthrough]];
  case BodyLiteral::Kind::Positive:
    print(L.TheAtom, OS);
    return;
  case BodyLiteral::Kind::Comparison:
    print(L.Lhs, OS);
    OS << ' ' << spelling(L.Op) << ' ';
    print(L.Rhs, OS);
    return;
  }
}

void strata::ast::print(const HeadArg &A, llvm::raw_ostream &OS) {
  if (!A.IsAggregate) {
    print(A.Value, OS);
    return;
  }
  OS << A.Aggregate.Name << '<';
  commaSeparated(A.AggArgs, OS, [&](const AggregateArg &P) {
    print(P.Value, OS);
    if (P.Order)
      OS << ':' << P.Order->Name;
  });
  OS << '>';
}

void strata::ast::print(const Clause &C, llvm::raw_ostream &OS) {
  OS << C.Head.Name << '(';
  commaSeparated(C.HeadArgs, OS, [&](const HeadArg &A) { print(A, OS); });
  OS << ") <- ";
  commaSeparated(C.Body, OS, [&](const BodyLiteral &L) { print(L, OS); });
}

void strata::ast::print(const Column &C, llvm::raw_ostream &OS) {
  OS << C.Name.Name << ": ";
  print(C.Type, OS);
  if (C.Fill) {
    OS << " = ";
    print(*C.Fill, OS);
  }
  if (C.RenamedFrom)
    OS << " renamed_from " << C.RenamedFrom->Name;
}

void strata::ast::print(const IndexOption &O, llvm::raw_ostream &OS) {
  OS << O.Key.Name << ": " << O.Value;
}
