//===- BuildDecls.cpp - Relations, derived relations, indexes, types ------===//
#include "ASTBuilder.h"
#include "Values.h"

using namespace strata;
using namespace strata::parse;

ast::RelationDecl ASTBuilder::relation(P::RelationDeclContext *Ctx) {
  ast::RelationDecl D;
  D.Name = ident(Ctx->name());
  if (auto *R = Ctx->renamedFrom())
    D.RenamedFrom = ident(R->name());
  D.Columns = columns(Ctx->columns(), D.BlockForm);
  D.Range = range(Ctx);
  return D;
}

ast::DerivedDecl ASTBuilder::derived(P::DerivedDeclContext *Ctx) {
  ast::DerivedDecl D;
  D.Name = ident(Ctx->name());
  if (auto *R = Ctx->renamedFrom())
    D.RenamedFrom = ident(R->name());
  D.Columns = columnList(Ctx->columnList());
  D.Clauses = ruleBody(Ctx->ruleBody());
  D.Range = range(Ctx);
  return D;
}

ast::IndexDecl ASTBuilder::index(P::IndexSpecContext *Ctx) {
  ast::IndexDecl D;
  D.Name = ident(Ctx->name(0));
  D.Relation = ident(Ctx->name(1));
  D.Column = ident(Ctx->name(2));
  if (auto *Opts = Ctx->indexOptions()) {
    D.HasOptionList = true;
    D.Options = indexOptions(Opts);
  }
  D.Range = range(Ctx);
  return D;
}

std::vector<ast::IndexOption> ASTBuilder::indexOptions(P::IndexOptionsContext *Ctx) {
  std::vector<ast::IndexOption> Options;
  for (P::IndexOptionContext *O : Ctx->indexOption()) {
    ast::IndexOption Opt;
    Opt.Key = ident(O->name());
    P::OptionValueContext *V = O->optionValue();
    Opt.Value = text(range(V)).str();
    Opt.ValueRange = range(V);
    Opt.ValueKind = V->INT()     ? ast::IndexOption::Kind::Int
                    : V->FLOAT() ? ast::IndexOption::Kind::Float
                                 : ast::IndexOption::Kind::Word;
    Options.push_back(std::move(Opt));
  }
  return Options;
}

std::vector<ast::Column> ASTBuilder::columns(P::ColumnsContext *Ctx, bool &BlockForm) {
  if (auto *List = Ctx->columnList()) {
    BlockForm = false;
    return columnList(List);
  }
  BlockForm = true;
  std::vector<ast::Column> Columns;
  for (P::ColumnContext *C : ruleChildren<P::ColumnContext>(Ctx->columnBlock()))
    Columns.push_back(column(C));
  return Columns;
}

std::vector<ast::Column> ASTBuilder::columnList(P::ColumnListContext *Ctx) {
  std::vector<ast::Column> Columns;
  for (P::ColumnContext *C : ruleChildren<P::ColumnContext>(Ctx))
    Columns.push_back(column(C));
  return Columns;
}

ast::Column ASTBuilder::column(P::ColumnContext *Ctx) {
  // Children: name `:` typeExpr fillValue? renamedFrom?
  llvm::SmallVector<antlr4::ParserRuleContext *, 8> Parts =
      ruleChildren<antlr4::ParserRuleContext>(Ctx);
  ast::Column C;
  C.Name = ident(Parts[0]);
  C.Type = type(static_cast<P::TypeExprContext *>(Parts[1]));
  for (size_t I = 2; I < Parts.size(); ++I) {
    if (Parts[I]->getRuleIndex() == P::RuleFillValue)
      C.Fill = literal(static_cast<P::FillValueContext *>(Parts[I])->literal());
    else
      C.RenamedFrom = ident(static_cast<P::RenamedFromContext *>(Parts[I])->name());
  }
  C.Range = range(Ctx);
  return C;
}

ast::TypeExpr ASTBuilder::type(P::TypeExprContext *Ctx) {
  ast::TypeExpr T;
  T.Range = range(Ctx);
  if (auto *Named = as<P::NamedTypeContext>(Ctx)) {
    T.Name = ident(Named->name());
    if (auto *Int = Named->INT()) {
      T.TheForm = ast::TypeExpr::Form::Sized;
      T.Size = sizeValue(Int->getText());
    }
    return T;
  }
  if (auto *Bracket = as<P::BracketTypeContext>(Ctx)) {
    T.Name = ident(Bracket->name());
    if (auto *Int = Bracket->INT()) {
      T.TheForm = ast::TypeExpr::Form::BracketSized;
      T.Size = sizeValue(Int->getText());
    } else {
      T.TheForm = ast::TypeExpr::Form::Bracketed;
      T.Element.push_back(type(Bracket->typeExpr()));
    }
    return T;
  }
  auto *Record = static_cast<P::RecordTypeContext *>(Ctx);
  T.TheForm = ast::TypeExpr::Form::Record;
  for (P::FieldContext *F : Record->field())
    T.Fields.push_back({ident(F->name()), type(F->typeExpr())});
  return T;
}
