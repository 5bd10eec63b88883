//===- Ident.h - A name and where it was written ----------------*- C++ -*-===//
#ifndef STRATA_AST_IDENT_H
#define STRATA_AST_IDENT_H

#include "llvm/Support/SMLoc.h"
#include <string>

namespace strata::ast {

struct Ident {
  std::string Name;
  llvm::SMRange Range;

  bool empty() const { return Name.empty(); }
  llvm::SMLoc loc() const { return Range.Start; }
};

} // namespace strata::ast

#endif
