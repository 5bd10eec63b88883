//===- BuildMigrations.cpp - Migration headers and operations -------------===//
#include "ASTBuilder.h"
#include "llvm/Support/ErrorHandling.h"

using namespace strata;
using namespace strata::parse;

ast::MigrationDecl ASTBuilder::migration(P::MigrationDeclContext *Ctx) {
  ast::MigrationDecl M;
  M.Name = ident(Ctx->migrationName());
  M.Range = range(Ctx);
  for (P::MigrationItemContext *Item : Ctx->migrationItem()) {
    if (auto *D = as<P::DependsItemContext>(Item)) {
      for (P::MigrationNameContext *N : D->migrationName())
        M.Depends.push_back(ident(N));
    } else if (auto *R = as<P::ReplacesItemContext>(Item)) {
      for (P::MigrationNameContext *N : R->migrationName())
        M.Replaces.push_back(ident(N));
    } else {
      M.Operations.push_back(operation(static_cast<P::OperationItemContext *>(Item)->operation()));
    }
  }
  return M;
}

ast::IqlText ASTBuilder::iqlText(P::IqlBlockContext *Ctx) {
  ast::IqlText T;
  size_t Begin = Ctx->LBRACE()->getSymbol()->getStopIndex() + 1;
  size_t End = Ctx->RBRACE()->getSymbol()->getStartIndex(); // exclusive
  T.Range = {Pos.loc(Begin), Pos.loc(End)};
  if (End > Begin)
    T.Text = Input.getText(antlr4::misc::Interval(Begin, End - 1));
  IqlRanges.push_back(T.Range);
  return T;
}

namespace {
std::optional<ast::ColumnPosition> position(ASTBuilder &B, P::ColumnPositionContext *Ctx) {
  if (!Ctx)
    return std::nullopt;
  ast::ColumnPosition Pos;
  Pos.Range = B.range(Ctx);
  Pos.First = Ctx->FIRST() != nullptr;
  if (!Pos.First)
    Pos.After = B.ident(Ctx->name());
  return Pos;
}

std::optional<ast::CastExpr> castFor(ASTBuilder &B, P::RetypeColumnContext *Ctx, bool Reverse) {
  std::optional<ast::CastExpr> Found;
  P::CastClauseContext *First = nullptr;
  for (P::CastClauseContext *C : Ctx->castClause()) {
    if ((C->REVERSE() != nullptr) != Reverse)
      continue;
    const char *Keyword = Reverse ? "reverse" : "using";
    if (First) {
      B.diags()
          .reportAt(DiagKind::DuplicateCastClause, B.range(C), Keyword)
          .note(DiagKind::NoteFirstCastHere, B.range(First).Start, Keyword);
      continue;
    }
    First = C;
    Found = ast::CastExpr{B.ident(C->name()), B.expr(C->expr())};
  }
  return Found;
}
} // namespace

ast::Operation ASTBuilder::operation(P::OperationContext *Ctx) {
  ast::Operation Op;
  Op.Range = range(Ctx);
#define OPERATION(K, Name, Keyword, Marker, Tag)                                                   \
  if (auto *C = as<P::K##Context>(Ctx)) {                                                          \
    Op.Body = op(C);                                                                               \
    return Op;                                                                                     \
  }
#include "strata/AST/Operations.def"
  // Every alternative of the grammar's `operation` rule is a kind.
  llvm_unreachable("operation alternative not in Operations.def");
}

// ---- Relations

ast::CreateRelationOp ASTBuilder::op(P::CreateRelationContext *C) {
  ast::CreateRelationOp O{ident(C->name()), {}, false};
  O.Columns = columns(C->columns(), O.BlockForm);
  return O;
}

ast::DropRelationOp ASTBuilder::op(P::DropRelationContext *C) {
  ast::DropRelationOp O{ident(C->name()), {}, false};
  O.Columns = columns(C->columns(), O.BlockForm);
  return O;
}

ast::RenameRelationOp ASTBuilder::op(P::RenameRelationContext *C) {
  return ast::RenameRelationOp{ident(C->name(0)), ident(C->name(1))};
}

// ---- Columns

ast::AddColumnOp ASTBuilder::op(P::AddColumnContext *C) {
  ast::AddColumnOp O;
  O.Relation = ident(C->qualifiedName()->name(0));
  O.Column = ident(C->qualifiedName()->name(1));
  O.Type = type(C->typeExpr());
  if (auto *F = C->fillValue())
    O.Fill = literal(F->literal());
  O.Position = position(*this, C->columnPosition());
  return O;
}

ast::DropColumnOp ASTBuilder::op(P::DropColumnContext *C) {
  ast::DropColumnOp O;
  O.Relation = ident(C->qualifiedName()->name(0));
  O.Column = ident(C->qualifiedName()->name(1));
  O.Type = type(C->typeExpr());
  if (auto *F = C->fillValue())
    O.Fill = literal(F->literal());
  O.Position = position(*this, C->columnPosition());
  return O;
}

ast::RenameColumnOp ASTBuilder::op(P::RenameColumnContext *C) {
  return ast::RenameColumnOp{ident(C->qualifiedName()->name(0)), ident(C->qualifiedName()->name(1)),
                             ident(C->name())};
}

ast::RetypeColumnOp ASTBuilder::op(P::RetypeColumnContext *C) {
  ast::RetypeColumnOp O;
  O.Relation = ident(C->qualifiedName()->name(0));
  O.Column = ident(C->qualifiedName()->name(1));
  O.From = type(C->typeExpr(0));
  O.To = type(C->typeExpr(1));
  O.Using = castFor(*this, C, /*Reverse=*/false);
  O.Reverse = castFor(*this, C, /*Reverse=*/true);
  return O;
}

// ---- Rules

ast::CreateRuleOp ASTBuilder::op(P::CreateRuleContext *C) {
  return ast::CreateRuleOp{ident(C->name()), columnList(C->columnList()), ruleBody(C->ruleBody())};
}

ast::DropRuleOp ASTBuilder::op(P::DropRuleContext *C) {
  return ast::DropRuleOp{ident(C->name()), columnList(C->columnList()), ruleBody(C->ruleBody())};
}

ast::ReplaceRuleOp ASTBuilder::op(P::ReplaceRuleContext *C) {
  ast::ReplaceRuleOp O{ident(C->name()), ruleBody(C->ruleBody(0)), std::nullopt};
  if (C->WAS())
    O.OldClauses = ruleBody(C->ruleBody(1));
  return O;
}

ast::RenameRuleOp ASTBuilder::op(P::RenameRuleContext *C) {
  return ast::RenameRuleOp{ident(C->name(0)), ident(C->name(1))};
}

// ---- Indexes

ast::CreateIndexOp ASTBuilder::op(P::CreateIndexContext *C) {
  return ast::CreateIndexOp{index(C->indexSpec())};
}

ast::DropIndexOp ASTBuilder::op(P::DropIndexContext *C) {
  return ast::DropIndexOp{index(C->indexSpec())};
}

ast::AlterIndexOp ASTBuilder::op(P::AlterIndexContext *C) {
  ast::AlterIndexOp O{ident(C->name()), indexOptions(C->indexOptions(0)), std::nullopt};
  if (C->WAS())
    O.OldOptions = indexOptions(C->indexOptions(1));
  return O;
}

// ---- Raw IQL

ast::RunIqlOp ASTBuilder::op(P::RunIqlContext *C) {
  ast::RunIqlOp O{iqlText(C->iqlBlock(0)), std::nullopt};
  if (C->BACKWARD())
    O.Backward = iqlText(C->iqlBlock(1));
  return O;
}
