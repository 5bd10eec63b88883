//===- ASTBuilder.h - ANTLR parse tree to Strata AST ------------*- C++ -*-===//
//
// The only code that reads ANTLR contexts. Split by area: BuildFile.cpp (the
// driver), BuildDecls.cpp, BuildRules.cpp, BuildMigrations.cpp,
// BuildValues.cpp, and ASTBuilder.cpp for the locations and names they all
// use. Calls between these files go one way (scripts/check-layering.py).
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_PARSE_ASTBUILDER_H
#define STRATA_LIB_PARSE_ASTBUILDER_H

#include "SourcePositions.h"
#include "StrataParser.h"
#include "strata/AST/SourceFile.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace strata::parse {

using P = strata_antlr::StrataParser;

/// Whether a token type is one of the soft keywords (Keywords.cpp).
bool isKeywordToken(size_t Type);

/// Node as T when its dynamic type is exactly T. Labelled alternatives and
/// terminals are final classes, so this replaces dynamic_cast chains with
/// one type_info comparison.
template <typename T> T *as(antlr4::tree::ParseTree *Node) {
  return Node && typeid(*Node) == typeid(T) ? static_cast<T *>(Node) : nullptr;
}
template <typename T> T *as(antlr4::ParserRuleContext *Node) {
  return as<T>(static_cast<antlr4::tree::ParseTree *>(Node));
}
inline bool isTerminal(antlr4::tree::ParseTree *Node) {
  return typeid(*Node) == typeid(antlr4::tree::TerminalNodeImpl);
}

/// The rule-context children of Ctx after the first Skip of them, cast to
/// T. The generated accessors scan every child with dynamic_cast on each
/// call; hot paths walk the children once instead. Only for rules whose
/// sub-rule children are all of type T (after Skip).
template <typename T>
llvm::SmallVector<T *, 8> ruleChildren(antlr4::ParserRuleContext *Ctx, size_t Skip = 0) {
  llvm::SmallVector<T *, 8> Out;
  for (antlr4::tree::ParseTree *Child : Ctx->children) {
    if (isTerminal(Child))
      continue;
    if (Skip) {
      --Skip;
      continue;
    }
    Out.push_back(static_cast<T *>(Child));
  }
  return Out;
}

class ASTBuilder {
public:
  ASTBuilder(DiagnosticEngine &Diags, const SourcePositions &Pos, const ParseLimits &Limits)
      : Diags(Diags), Pos(Pos), Limits(Limits) {}

  /// Converts the items of Tree into File. Items for which HasError is true
  /// are left out (their names go to File.InvalidNames). (BuildFile.cpp)
  void buildFile(P::FileContext *Tree, ast::SourceFile &File,
                 bool (*HasError)(antlr4::tree::ParseTree *));
  /// buildFile in pieces, for a parse that goes one item at a time: each
  /// item in order, then finishFile once (SyntaxErrors: whether HasError
  /// was given, i.e. the parse recovered from an error).
  void buildItem(P::ItemContext *Item, ast::SourceFile &File,
                 bool (*HasError)(antlr4::tree::ParseTree *));
  void finishFile(ast::SourceFile &File, bool SyntaxErrors);

  // ---- locations and names (ASTBuilder.cpp)
  llvm::SMRange range(antlr4::ParserRuleContext *Ctx) const;
  llvm::SMRange range(antlr4::Token *Tok) const;
  llvm::SMRange range(antlr4::tree::TerminalNode *Node) const { return range(Node->getSymbol()); }
  ast::Ident ident(P::NameContext *Ctx) const;
  ast::Ident ident(antlr4::ParserRuleContext *Ctx) const;

  // ---- declarations (BuildDecls.cpp)
  ast::RelationDecl relation(P::RelationDeclContext *Ctx);
  ast::DerivedDecl derived(P::DerivedDeclContext *Ctx);
  ast::IndexDecl index(P::IndexSpecContext *Ctx);
  std::vector<ast::IndexOption> indexOptions(P::IndexOptionsContext *Ctx);
  std::vector<ast::Column> columns(P::ColumnsContext *Ctx, bool &BlockForm);
  std::vector<ast::Column> columnList(P::ColumnListContext *Ctx);
  ast::Column column(P::ColumnContext *Ctx);
  ast::TypeExpr type(P::TypeExprContext *Ctx);

  // ---- rules and expressions (BuildRules.cpp)
  std::vector<ast::Clause> ruleBody(P::RuleBodyContext *Ctx);
  ast::Clause clause(P::ClauseContext *Ctx);
  ast::BodyLiteral bodyLiteral(P::BodyLiteralContext *Ctx);
  ast::Atom atom(P::AtomContext *Ctx);
  /// Converts a top-level expression, enforcing the operator limit.
  ast::Expr expr(P::ExprContext *Ctx);

  // ---- values (BuildValues.cpp)
  ast::Expr literal(P::LiteralContext *Ctx);
  ast::Expr constant(P::ConstantContext *Ctx);
  ast::Expr nameValue(P::NameContext *Ctx);

  // ---- migrations (BuildMigrations.cpp)
  ast::MigrationDecl migration(P::MigrationDeclContext *Ctx);
  /// Any kind of strata/AST/Operations.def, from its alternative of the
  /// grammar's `operation` rule (labelled as the kind, in lowerCamelCase),
  /// whose parts fill the fields of the kind's ast::<Kind>Op in order.
  ast::Operation operation(P::OperationContext *Ctx);
  /// The text between the braces of a raw IQL block, verbatim.
  ast::IqlText iqlText(P::IqlBlockContext *Ctx);

  DiagnosticEngine &diags() { return Diags; }

private:
  ast::Expr exprChain(P::ExprContext *Ctx);
  ast::Expr primary(P::PrimaryContext *Ctx);
  bool isMinusMinInt(P::PrimaryContext *Primary) const;
  ast::Expr minInt(antlr4::Token *Minus, P::PrimaryContext *Primary);
  /// Applies N unary minuses to Operand (`-5` folds into a constant).
  ast::Expr negate(ast::Expr Operand, llvm::ArrayRef<antlr4::Token *> Minus);
  /// The exact source text of a token or rule, without conversions.
  llvm::StringRef text(llvm::SMRange R) const {
    return {R.Start.getPointer(), size_t(R.End.getPointer() - R.Start.getPointer())};
  }
  /// Counts one operator; reports once when the limit is passed.
  bool countOperator(llvm::SMRange Where);

  DiagnosticEngine &Diags;
  const SourcePositions &Pos;
  const ParseLimits &Limits;
  /// Raw IQL blocks seen; comments inside them are part of their text.
  std::vector<llvm::SMRange> IqlRanges;
  /// Index in File.Items of the file's first migration, once seen.
  std::optional<size_t> FirstMigration;
  unsigned OperatorsInExpr = 0;
  bool ReportedTooLong = false;
};

} // namespace strata::parse

#endif
