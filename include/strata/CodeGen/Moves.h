//===- Moves.h - Atomic-update moves between relations ----------*- C++ -*-===//
//
// `-from(C0, C1), +to(C0, 1, C2) <- from(C0, C1), C2 = to_float(C1)`: every
// fact of one relation deleted and re-inserted, reshaped, into another, in
// one atomic update. Variables are fresh; the statement is a typed tree.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_CODEGEN_MOVES_H
#define STRATA_CODEGEN_MOVES_H

#include "strata/AST/Expr.h"
#include "strata/CodeGen/IqlText.h"
#include "strata/Migrate/Operation.h"
#include <string>
#include <vector>

namespace strata::codegen {

/// Where one column of the target gets its value.
struct MoveArg {
  enum class Kind { Old, Fill } TheKind = Kind::Old;
  /// Old: the source column.
  size_t OldIndex = 0;
  /// Old: converts the value on the way (`using` / `reverse`), if set.
  const Cast *Convert = nullptr;
  /// Fill: the constant every moved fact gets.
  const ast::Expr *Value = nullptr;

  static MoveArg old(size_t I, const Cast *Convert = nullptr) {
    return {Kind::Old, I, Convert, nullptr};
  }
  static MoveArg fill(const ast::Expr &E) { return {Kind::Fill, 0, nullptr, &E}; }
};

/// The variables a cast body uses other than its own parameter, so fresh
/// names can avoid them.
void collectVariables(const ast::Expr &E, std::vector<std::string> &Out);

/// `-from(V...), +to(args) <- from(V...)[, N = cast]`, From having FromArity
/// columns.
iql::Statement moveStatement(llvm::StringRef From, size_t FromArity, llvm::StringRef To,
                             const std::vector<MoveArg> &Args, FreshVars &Vars);

} // namespace strata::codegen

#endif
