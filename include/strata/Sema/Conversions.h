//===- Conversions.h - The server's conversions between column types -*- C++ -*-===//
//
// Which of the server's built-in functions (Functions.def) converts a value
// of one column type to another: what `strata makemigrations` writes as a
// retype's `using` and `reverse` casts, and what safety lint S007 reads to
// say which values a written conversion cannot carry. The function names
// come from Functions.def; this table only pairs types with function ids.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_SEMA_CONVERSIONS_H
#define STRATA_SEMA_CONVERSIONS_H

#include "strata/AST/Expr.h"
#include "strata/IQL/Builtins.h"
#include "strata/Sema/Type.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace strata {

/// One conversion: a call of Function on the old value.
struct Conversion {
  iql::FunctionId Function;
  /// What the function does to values it cannot carry faithfully, after
  /// `which` (S007's message); empty when every value converts exactly.
  llvm::StringRef Loss;
};

/// The server's conversion from From to To; nullopt when it has none
/// (or the types are equal).
std::optional<Conversion> serverConversion(const Type &From, const Type &To);

/// The call converting variable Var: `to_int(X)`; a function taking more
/// arguments gets `""` for the rest (`concat(X, "", "")`, which joins
/// exactly three values on the server).
ast::Expr conversionCall(const Conversion &C, llvm::StringRef Var);

/// The server's conversion from From to To when Body is exactly its call
/// on Var (what makemigrations writes); nullopt for any other cast.
std::optional<Conversion> writtenConversion(llvm::StringRef Var, const ast::Expr &Body,
                                            const Type &From, const Type &To);

} // namespace strata

#endif
