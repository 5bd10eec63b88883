//===- RDDecls.cpp - Recursive descent: files, declarations, types --------===//
//
// Each function follows the grammar rule it is named after
// (grammar/Strata.g4) and builds what ASTBuilder (BuildDecls.cpp,
// BuildFile.cpp) builds from that rule's context.
//
//===----------------------------------------------------------------------===//
#include "RDParser.h"
#include "StrataParser.h"
#include "Values.h"

using namespace strata;
using namespace strata::parse;
using P = strata_antlr::StrataParser;

/// relationDecl : RELATION name renamedFrom? columns ;
/// columns : columnList | columnBlock ;
ast::RelationDecl RDParser::relationDecl() {
  ast::RelationDecl D;
  llvm::SMLoc Start = Toks.start(Toks.take());
  D.Name = name();
  D.RenamedFrom = renamedFrom();
  D.BlockForm = Toks.type() == P::LBRACE;
  D.Columns = D.BlockForm ? columnBlock() : columnList();
  D.Range = Toks.rangeFrom(Start);
  return D;
}

/// derivedDecl : DERIVED name renamedFrom? columnList ruleBody ;
ast::DerivedDecl RDParser::derivedDecl() {
  ast::DerivedDecl D;
  llvm::SMLoc Start = Toks.start(Toks.take());
  D.Name = name();
  D.RenamedFrom = renamedFrom();
  D.Columns = columnList();
  D.Clauses = ruleBody();
  D.Range = Toks.rangeFrom(Start);
  return D;
}

/// indexSpec : INDEX name ON name LPAREN name RPAREN HNSW indexOptions? ;
ast::IndexDecl RDParser::indexDecl() {
  ast::IndexDecl D;
  llvm::SMLoc Start = Toks.start(Toks.take());
  D.Name = name();
  expect(P::ON);
  D.Relation = name();
  expect(P::LPAREN);
  D.Column = name();
  expect(P::RPAREN);
  expect(P::HNSW);
  if (Toks.type() == P::LPAREN) {
    D.HasOptionList = true;
    D.Options = indexOptions();
  }
  D.Range = Toks.rangeFrom(Start);
  return D;
}

/// renamedFrom : RENAMED_FROM name ; (optional wherever it appears)
std::optional<ast::Ident> RDParser::renamedFrom() {
  // `renamed_from :` in a column block starts the next column instead.
  if (Toks.type() != P::RENAMED_FROM || !atName(1))
    return std::nullopt;
  Toks.take();
  return name();
}

/// indexOptions : LPAREN (indexOption (COMMA indexOption)* COMMA?)? RPAREN ;
/// indexOption : name COLON optionValue ;
/// optionValue : name | INT | FLOAT ;
std::vector<ast::IndexOption> RDParser::indexOptions() {
  std::vector<ast::IndexOption> Options;
  expect(P::LPAREN);
  while (Toks.type() != P::RPAREN) {
    ast::IndexOption Opt;
    Opt.Key = name();
    expect(P::COLON);
    size_t Type = Toks.type();
    if (Type != P::INT && Type != P::FLOAT && !isName(Type))
      throw GiveUp();
    RawToken V = Toks.take();
    Opt.Value = Toks.text(V).str();
    Opt.ValueRange = Toks.range(V);
    Opt.ValueKind = Type == P::INT     ? ast::IndexOption::Kind::Int
                    : Type == P::FLOAT ? ast::IndexOption::Kind::Float
                                       : ast::IndexOption::Kind::Word;
    Options.push_back(std::move(Opt));
    if (Toks.type() != P::COMMA)
      break;
    Toks.take();
  }
  expect(P::RPAREN);
  return Options;
}

/// columnList : LPAREN (column (COMMA column)* COMMA?)? RPAREN ;
std::vector<ast::Column> RDParser::columnList() {
  llvm::SmallVector<ast::Column, 8> Columns;
  expect(P::LPAREN);
  while (Toks.type() != P::RPAREN) {
    column(Columns.emplace_back());
    if (Toks.type() != P::COMMA)
      break;
    Toks.take();
  }
  expect(P::RPAREN);
  return exactVector(Columns);
}

/// columnBlock : LBRACE (column COMMA?)* RBRACE ;
std::vector<ast::Column> RDParser::columnBlock() {
  llvm::SmallVector<ast::Column, 8> Columns;
  expect(P::LBRACE);
  while (Toks.type() != P::RBRACE) {
    column(Columns.emplace_back());
    if (Toks.type() == P::COMMA)
      Toks.take();
  }
  expect(P::RBRACE);
  return exactVector(Columns);
}

/// column : name COLON typeExpr fillValue? renamedFrom? ;
/// fillValue : ASSIGN literal ;
void RDParser::column(ast::Column &C) {
  llvm::SMLoc Start = Toks.start(Toks.peek());
  C.Name = name();
  expect(P::COLON);
  C.Type = typeExpr();
  if (Toks.type() == P::ASSIGN) {
    Toks.take();
    C.Fill = literal();
  }
  C.RenamedFrom = renamedFrom();
  C.Range = Toks.rangeFrom(Start);
}

/// typeExpr : name (LPAREN INT RPAREN)?             # namedType
///          | name LBRACK (typeExpr | INT) RBRACK   # bracketType
///          | recordType ;
ast::TypeExpr RDParser::typeExpr() {
  if (Toks.type() == P::LBRACE)
    return recordType();
  ast::TypeExpr T;
  llvm::SMLoc Start = Toks.start(Toks.peek());
  T.Name = name();
  if (Toks.type() == P::LPAREN) {
    Toks.take();
    T.TheForm = ast::TypeExpr::Form::Sized;
    T.Size = sizeValue(Toks.text(expect(P::INT)));
    expect(P::RPAREN);
  } else if (Toks.type() == P::LBRACK) {
    Toks.take();
    if (Toks.type() == P::INT) {
      T.TheForm = ast::TypeExpr::Form::BracketSized;
      T.Size = sizeValue(Toks.text(Toks.take()));
    } else {
      T.TheForm = ast::TypeExpr::Form::Bracketed;
      T.Element.push_back(typeExpr());
    }
    expect(P::RBRACK);
  }
  T.Range = Toks.rangeFrom(Start);
  return T;
}

/// recordType : LBRACE (field (COMMA field)* COMMA?)? RBRACE ;
/// field : name COLON typeExpr ;
ast::TypeExpr RDParser::recordType() {
  ast::TypeExpr T;
  T.TheForm = ast::TypeExpr::Form::Record;
  llvm::SMLoc Start = Toks.start(expect(P::LBRACE));
  llvm::SmallVector<ast::TypeField, 4> Fields;
  while (Toks.type() != P::RBRACE) {
    ast::Ident Name = name();
    expect(P::COLON);
    Fields.push_back({std::move(Name), typeExpr()});
    if (Toks.type() != P::COMMA)
      break;
    Toks.take();
  }
  expect(P::RBRACE);
  T.Fields = exactVector(Fields);
  T.Range = Toks.rangeFrom(Start);
  return T;
}

/// literal : constant | MINUS (INT | FLOAT)
///         | LBRACK (literal (COMMA literal)* COMMA?)? RBRACK | name ;
ast::Expr RDParser::literal() {
  size_t Type = Toks.type();
  if (Type == P::INT || Type == P::FLOAT || Type == P::STRING) {
    ConstantKind Kind = Type == P::INT     ? ConstantKind::Int
                        : Type == P::FLOAT ? ConstantKind::Float
                                           : ConstantKind::String;
    return constantValue(Kind, Toks.range(Toks.take()), *Diags);
  }
  if (Type == P::MINUS) {
    llvm::SMLoc Start = Toks.start(Toks.take());
    size_t NumType = Toks.type();
    if (NumType != P::INT && NumType != P::FLOAT)
      throw GiveUp();
    RawToken Num = Toks.take();
    return negativeLiteral(NumType == P::FLOAT, Toks.text(Num), Toks.rangeFrom(Start), *Diags);
  }
  if (Type == P::LBRACK) {
    ast::Expr E;
    E.TheKind = ast::Expr::Kind::List;
    llvm::SMLoc Start = Toks.start(Toks.take());
    while (Toks.type() != P::RBRACK) {
      E.Operands.push_back(literal());
      if (Toks.type() != P::COMMA)
        break;
      Toks.take();
    }
    expect(P::RBRACK);
    E.Range = Toks.rangeFrom(Start);
    return E;
  }
  if (!isName(Type))
    throw GiveUp();
  return wordLiteral(Toks.range(Toks.take()), *Diags);
}
