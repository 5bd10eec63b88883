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

/// A whole statement, of any kind, as canonical text: parsing it gives a
/// tree sameTree() as S (for any S the parser produced), however S was
/// spelt. One space after commas, around comparisons and `<-`; no trailing
/// period; the server's style elsewhere.
std::string printStatement(const Statement &S);

} // namespace strata::iql

#endif
