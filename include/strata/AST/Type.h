//===- Type.h - Column types as written -------------------------*- C++ -*-===//
//
// The syntactic form of a column type. Sema resolves it to a semantic type
// and rejects what the server does not accept (`timestamp`, `vector[N]`).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_AST_TYPE_H
#define STRATA_AST_TYPE_H

#include "strata/AST/Ident.h"
#include <cstdint>
#include <vector>

namespace strata::ast {

struct TypeField;

struct TypeExpr {
  enum class Form {
    Named,        // int, string, vector
    Sized,        // vector(384)
    BracketSized, // vector[384]  (rejected by Sema, with a fix-it)
    Bracketed,    // list[int]
    Record,       // { name: string, age: int }
  };

  Form TheForm = Form::Named;
  Ident Name;                    // empty for records
  int64_t Size = 0;              // Sized, BracketSized
  std::vector<TypeExpr> Element; // Bracketed: exactly one
  std::vector<TypeField> Fields; // Record
  llvm::SMRange Range;
};

struct TypeField {
  Ident Name;
  TypeExpr Type;
};

} // namespace strata::ast

#endif
