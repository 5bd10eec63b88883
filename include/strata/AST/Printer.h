//===- Printer.h - Canonical text of AST fragments --------------*- C++ -*-===//
//
// One spelling for every construct, shared by the AST dump, the formatter
// and code generation: expressions and clauses print as IQL.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_AST_PRINTER_H
#define STRATA_AST_PRINTER_H

#include "strata/AST/Decl.h"
#include "strata/AST/Rule.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace strata::ast {

/// A double-quoted IQL string literal for Value, escaping `"`, `\` and
/// line breaks so the value cannot end its statement.
std::string quoteString(llvm::StringRef Value);

void print(const Expr &E, llvm::raw_ostream &OS);
void print(const TypeExpr &T, llvm::raw_ostream &OS);
void print(const Atom &A, llvm::raw_ostream &OS);
void print(const BodyLiteral &L, llvm::raw_ostream &OS);
void print(const HeadArg &A, llvm::raw_ostream &OS);
/// `head(Args) <- lit, lit` on one line.
void print(const Clause &C, llvm::raw_ostream &OS);
/// `name: type = fill renamed_from old`
void print(const Column &C, llvm::raw_ostream &OS);
void print(const IndexOption &O, llvm::raw_ostream &OS);

/// Convenience: the printed text of any printable fragment.
template <typename T> std::string toString(const T &Node) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  print(Node, OS);
  return OS.str();
}

} // namespace strata::ast

#endif
