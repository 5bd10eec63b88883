//===- Printer.h - IQL trees back to text ----------------------*- C++ -*-===//
//
// Printing in the server's style (`.rule def`): binary arithmetic without
// spaces (`X*2`), comparisons and rule arrows with (`X < 2`, ` <- `), list
// items after `, `. What the engine shows its clients is printed here.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_IQL_PRINTER_H
#define STRATA_IQL_PRINTER_H

#include "strata/IQL/Syntax.h"
#include <string>

namespace strata::iql {

std::string printExpr(const Expr &E);
std::string printAtom(const Atom &A);
std::string printLiteral(const Literal &L);
/// `head <- body`, without the `+` of a persistent rule.
std::string printClause(const Clause &C);

/// How printStatement spells a statement.
enum class PrintStyle {
  /// Parsing the text gives a tree sameTree() as S (for any S the parser
  /// produced), however S was spelt. One space after commas, around
  /// comparisons and `<-`; no trailing period; the server's style elsewhere.
  Canonical,
  /// What lib/CodeGen emits: Strata's own spelling of the rules a `.mig`
  /// file holds. Binary operators with a space each side (`X * 2`), a unary
  /// minus as `-X`, parentheses only where written (Expr::Parens), numbers
  /// and lists as spelt (Expr::Text, when set), records `{a: int}`. Also
  /// reads back to the same tree for the trees the lowering builds (their
  /// parentheses are the ones the author's parse needed).
  Lowering,
};

/// A whole statement, of any kind, as text in Style.
std::string printStatement(const Statement &S, PrintStyle Style = PrintStyle::Canonical);

} // namespace strata::iql

#endif
