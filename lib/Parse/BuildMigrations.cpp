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
      M.Operations.push_back(
          operation(static_cast<P::OperationItemContext *>(Item)->operation()));
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

std::optional<ast::CastExpr> castFor(ASTBuilder &B, P::RetypeColumnContext *Ctx,
                                     bool Reverse) {
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
  if (auto *C = as<P::CreateRelationContext>(Ctx)) {
    ast::CreateRelationOp O{ident(C->name()), {}, false};
    O.Columns = columns(C->columns(), O.BlockForm);
    Op.Body = std::move(O);
  } else if (auto *C = as<P::DropRelationContext>(Ctx)) {
    ast::DropRelationOp O{ident(C->name()), {}, false};
    O.Columns = columns(C->columns(), O.BlockForm);
    Op.Body = std::move(O);
  } else if (auto *C = as<P::RenameRelationContext>(Ctx)) {
    Op.Body = ast::RenameRelationOp{ident(C->name(0)), ident(C->name(1))};
  } else if (auto *C = as<P::AddColumnContext>(Ctx)) {
    ast::AddColumnOp O;
    O.Relation = ident(C->qualifiedName()->name(0));
    O.Column = ident(C->qualifiedName()->name(1));
    O.Type = type(C->typeExpr());
    if (auto *F = C->fillValue())
      O.Fill = literal(F->literal());
    O.Position = position(*this, C->columnPosition());
    Op.Body = std::move(O);
  } else if (auto *C = as<P::DropColumnContext>(Ctx)) {
    ast::DropColumnOp O;
    O.Relation = ident(C->qualifiedName()->name(0));
    O.Column = ident(C->qualifiedName()->name(1));
    O.Type = type(C->typeExpr());
    if (auto *F = C->fillValue())
      O.Fill = literal(F->literal());
    O.Position = position(*this, C->columnPosition());
    Op.Body = std::move(O);
  } else if (auto *C = as<P::RenameColumnContext>(Ctx)) {
    Op.Body = ast::RenameColumnOp{ident(C->qualifiedName()->name(0)),
                                  ident(C->qualifiedName()->name(1)),
                                  ident(C->name())};
  } else if (auto *C = as<P::RetypeColumnContext>(Ctx)) {
    ast::RetypeColumnOp O;
    O.Relation = ident(C->qualifiedName()->name(0));
    O.Column = ident(C->qualifiedName()->name(1));
    O.From = type(C->typeExpr(0));
    O.To = type(C->typeExpr(1));
    O.Using = castFor(*this, C, /*Reverse=*/false);
    O.Reverse = castFor(*this, C, /*Reverse=*/true);
    Op.Body = std::move(O);
  } else if (auto *C = as<P::CreateRuleContext>(Ctx)) {
    Op.Body = ast::CreateRuleOp{ident(C->name()), columnList(C->columnList()),
                                ruleBody(C->ruleBody())};
  } else if (auto *C = as<P::DropRuleContext>(Ctx)) {
    Op.Body = ast::DropRuleOp{ident(C->name()), columnList(C->columnList()),
                              ruleBody(C->ruleBody())};
  } else if (auto *C = as<P::ReplaceRuleContext>(Ctx)) {
    ast::ReplaceRuleOp O{ident(C->name()), ruleBody(C->ruleBody(0)), std::nullopt};
    if (C->WAS())
      O.OldClauses = ruleBody(C->ruleBody(1));
    Op.Body = std::move(O);
  } else if (auto *C = as<P::RenameRuleContext>(Ctx)) {
    Op.Body = ast::RenameRuleOp{ident(C->name(0)), ident(C->name(1))};
  } else if (auto *C = as<P::CreateIndexContext>(Ctx)) {
    Op.Body = ast::CreateIndexOp{index(C->indexSpec())};
  } else if (auto *C = as<P::DropIndexContext>(Ctx)) {
    Op.Body = ast::DropIndexOp{index(C->indexSpec())};
  } else if (auto *C = as<P::AlterIndexContext>(Ctx)) {
    ast::AlterIndexOp O{ident(C->name()), indexOptions(C->indexOptions(0)), std::nullopt};
    if (C->WAS())
      O.OldOptions = indexOptions(C->indexOptions(1));
    Op.Body = std::move(O);
  } else if (auto *Run = as<P::RunIqlContext>(Ctx)) {
    ast::RunIqlOp O{iqlText(Run->iqlBlock(0)), std::nullopt};
    if (Run->BACKWARD())
      O.Backward = iqlText(Run->iqlBlock(1));
    Op.Body = std::move(O);
  } else {
    // Every alternative of the grammar's `operation` rule has a branch here.
    llvm_unreachable("operation alternative with no AST builder");
  }
  return Op;
}
