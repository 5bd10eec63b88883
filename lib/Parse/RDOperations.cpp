//===- RDOperations.cpp - Recursive descent: migration operations ---------===//
//
// Each function follows its alternative of the grammar's `operation` rule
// (grammar/Strata.g4) and fills the fields of the kind's ast::<Kind>Op
// (strata/AST/Migration.h) as ASTBuilder's FieldReader does
// (BuildMigrations.cpp), reporting in the same order. Kinds of the same
// shape (create and drop, the two renames) share a template.
//
//===----------------------------------------------------------------------===//
#include "RDParser.h"
#include "StrataParser.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace strata;
using namespace strata::parse;
using P = strata_antlr::StrataParser;

/// CREATE|DROP RELATION name columns, after RELATION.
template <typename Op> Op RDParser::relationOp() {
  Op O;
  O.Name = name();
  O.BlockForm = Toks.type() == P::LBRACE;
  O.Columns = O.BlockForm ? columnBlock() : columnList();
  return O;
}

/// CREATE|DROP RULE name columnList ruleBody, after RULE.
template <typename Op> Op RDParser::ruleOp() {
  Op O;
  O.Name = name();
  O.Columns = columnList();
  O.Clauses = ruleBody();
  return O;
}

/// RENAME RELATION|RULE name ARROW name, after RELATION or RULE.
template <typename Op> Op RDParser::renameOp() {
  Op O;
  O.From = name();
  expect(P::ARROW);
  O.To = name();
  return O;
}

/// ADD|DROP COLUMN qualifiedName COLON typeExpr fillValue? columnPosition?,
/// after COLUMN.
/// fillValue : ASSIGN literal ;
template <typename Op> Op RDParser::columnOp() {
  Op O;
  qualifiedName(O.Relation, O.Column);
  expect(P::COLON);
  O.Type = typeExpr();
  if (accept(P::ASSIGN))
    O.Fill = literal();
  O.Position = columnPosition();
  return O;
}

/// operation : one alternative per kind of Operations.def.
void RDParser::operation(ast::Operation &Op) {
  llvm::SMLoc Start = Toks.start(Toks.peek());
  Op.Body = operationBody();
  Op.Range = Toks.rangeFrom(Start);
}

ast::OperationBody RDParser::operationBody() {
  size_t Verb = Toks.take().Type;
  switch (Verb) {
  case P::CREATE:
    if (Toks.type() == P::INDEX) // the index's range starts at INDEX
      return ast::CreateIndexOp{indexDecl()};
    if (accept(P::RELATION))
      return relationOp<ast::CreateRelationOp>();
    if (accept(P::RULE))
      return ruleOp<ast::CreateRuleOp>();
    break;
  case P::DROP:
    if (Toks.type() == P::INDEX)
      return ast::DropIndexOp{indexDecl()};
    if (accept(P::RELATION))
      return relationOp<ast::DropRelationOp>();
    if (accept(P::COLUMN))
      return columnOp<ast::DropColumnOp>();
    if (accept(P::RULE))
      return ruleOp<ast::DropRuleOp>();
    break;
  case P::RENAME:
    if (accept(P::RELATION))
      return renameOp<ast::RenameRelationOp>();
    if (accept(P::COLUMN))
      return renameColumn();
    if (accept(P::RULE))
      return renameOp<ast::RenameRuleOp>();
    break;
  case P::ADD:
    if (accept(P::COLUMN))
      return columnOp<ast::AddColumnOp>();
    break;
  case P::RETYPE:
    if (accept(P::COLUMN))
      return retypeColumn();
    break;
  case P::REORDER:
    if (accept(P::COLUMNS))
      return reorderColumns();
    break;
  case P::REPLACE:
    if (accept(P::RULE))
      return replaceRule();
    break;
  case P::ALTER:
    if (accept(P::INDEX))
      return alterIndex();
    break;
  case P::RUN:
    if (accept(P::IQL))
      return runIql();
    break;
  default:
    break;
  }
  throw GiveUp();
}

/// qualifiedName : name DOT name ;
void RDParser::qualifiedName(ast::Ident &Relation, ast::Ident &Column) {
  Relation = name();
  expect(P::DOT);
  Column = name();
}

/// columnPosition : FIRST | AFTER name ; (optional wherever it appears)
std::optional<ast::ColumnPosition> RDParser::columnPosition() {
  size_t Type = Toks.type();
  if (Type != P::FIRST && Type != P::AFTER)
    return std::nullopt;
  ast::ColumnPosition Pos;
  llvm::SMLoc Start = Toks.start(Toks.take());
  Pos.First = Type == P::FIRST;
  if (!Pos.First)
    Pos.After = name();
  Pos.Range = Toks.rangeFrom(Start);
  return Pos;
}

/// RENAME COLUMN qualifiedName ARROW name, after COLUMN.
ast::RenameColumnOp RDParser::renameColumn() {
  ast::RenameColumnOp O;
  qualifiedName(O.Relation, O.Column);
  expect(P::ARROW);
  O.To = name();
  return O;
}

/// RETYPE COLUMN qualifiedName COLON typeExpr ARROW typeExpr castClause*,
/// after COLUMN.
/// castClause : (USING | REVERSE) name FAT_ARROW expr ;
/// A second clause of either kind is reported, so goes to the ANTLR path.
/// That path converts the `using` expression before the `reverse` one
/// whatever their order, so what the `reverse` one reports waits for the
/// rest of the operation.
ast::RetypeColumnOp RDParser::retypeColumn() {
  ast::RetypeColumnOp O;
  qualifiedName(O.Relation, O.Column);
  expect(P::COLON);
  O.From = typeExpr();
  expect(P::ARROW);
  O.To = typeExpr();
  std::optional<DiagnosticEngine> ReverseDiags;
  while (Toks.type() == P::USING || Toks.type() == P::REVERSE) {
    bool Using = Toks.take().Type == P::USING;
    std::optional<ast::CastExpr> &Cast = Using ? O.Using : O.Reverse;
    if (Cast)
      throw GiveUp();
    ast::Ident Var = name();
    expect(P::FAT_ARROW);
    if (Using) {
      Cast = ast::CastExpr{std::move(Var), expr()};
      continue;
    }
    ReverseDiags.emplace(Diags->sourceMgr());
    ReverseDiags->setWarningsAsErrors(Diags->warningsAsErrors());
    llvm::SaveAndRestore<DiagnosticEngine *> Deferred(Diags, &*ReverseDiags);
    Cast = ast::CastExpr{std::move(Var), expr()};
  }
  if (ReverseDiags)
    Diags->append(std::move(*ReverseDiags));
  return O;
}

/// REORDER COLUMNS name nameList ARROW nameList, after COLUMNS.
ast::ReorderColumnsOp RDParser::reorderColumns() {
  ast::ReorderColumnsOp O;
  O.Relation = name();
  O.From = nameList();
  expect(P::ARROW);
  O.To = nameList();
  return O;
}

/// nameList : LPAREN (name (COMMA name)* COMMA?)? RPAREN ;
std::vector<ast::Ident> RDParser::nameList() {
  llvm::SmallVector<ast::Ident, 8> Names;
  expect(P::LPAREN);
  while (Toks.type() != P::RPAREN) {
    Names.push_back(name());
    if (!accept(P::COMMA))
      break;
  }
  expect(P::RPAREN);
  return exactVector(Names);
}

/// REPLACE RULE name ruleBody (WAS ruleBody)?, after RULE.
ast::ReplaceRuleOp RDParser::replaceRule() {
  ast::ReplaceRuleOp O;
  O.Name = name();
  O.Clauses = ruleBody();
  if (accept(P::WAS))
    O.OldClauses = ruleBody();
  return O;
}

/// ALTER INDEX name HNSW indexOptions (WAS HNSW indexOptions)?, after INDEX.
ast::AlterIndexOp RDParser::alterIndex() {
  ast::AlterIndexOp O;
  O.Name = name();
  expect(P::HNSW);
  O.Options = indexOptions();
  if (accept(P::WAS)) {
    expect(P::HNSW);
    O.OldOptions = indexOptions();
  }
  return O;
}
