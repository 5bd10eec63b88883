//===- CheckFill.cpp - A fill value must be a value of its column's type -===//
#include "strata/AST/Printer.h"
#include "strata/Sema/Sema.h"

using namespace strata;

namespace {
/// The kind of literal E is, as a word for messages, and whether it fits
/// T. An int literal fits a float column (it is a whole float).
bool literalFits(const ast::Expr &E, const Type &T, std::string &Word) {
  switch (E.TheKind) {
  case ast::Expr::Kind::Negate:
    return !E.Operands.empty() && literalFits(E.Operands.front(), T, Word);
  case ast::Expr::Kind::Paren:
    return !E.Operands.empty() && literalFits(E.Operands.front(), T, Word);
  case ast::Expr::Kind::Int:
    Word = "an int";
    return T.isNumeric();
  case ast::Expr::Kind::Float:
    Word = "a float";
    return T.kind() == Type::Kind::Float;
  case ast::Expr::Kind::String:
    Word = "a string";
    return T.kind() == Type::Kind::String;
  case ast::Expr::Kind::Bool:
    Word = "a bool";
    return T.kind() == Type::Kind::Bool;
  case ast::Expr::Kind::List: {
    Word = "a list";
    if (T.kind() == Type::Kind::Vector) {
      std::string Element;
      for (const ast::Expr &O : E.Operands)
        if (!literalFits(O, Type::floatTy(), Element))
          return false;
      return T.vectorDim() == 0 || T.vectorDim() == E.Operands.size();
    }
    if (T.kind() != Type::Kind::List)
      return false;
    std::string Element;
    for (const ast::Expr &O : E.Operands)
      if (!literalFits(O, T.element(), Element))
        return false;
    return true;
  }
  default:
    Word = "not a literal";
    return false;
  }
}
} // namespace

bool strata::checkFillValue(const ast::Expr &Fill, const Type &ColumnType, llvm::StringRef Column,
                            DiagnosticEngine &Diags) {
  // A literal the parser refused (out of range) was reported there.
  if (Fill.TheKind == ast::Expr::Kind::Error)
    return false;
  std::string Word;
  if (literalFits(Fill, ColumnType, Word))
    return true;
  Diags.reportAt(DiagKind::FillTypeMismatch, Fill.Range, ast::toString(Fill), Word, Column,
                 ColumnType.str());
  return false;
}
