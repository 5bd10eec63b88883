//===- RDMigrations.cpp - Recursive descent: migration files --------------===//
//
// A migration file as the recursive-descent parser takes it: exactly one
// migration and nothing else. A file with none, with a second one or with
// a schema item gets a diagnostic of its own (BuildFile.cpp), so it goes to
// the ANTLR path. Builds what ASTBuilder (BuildMigrations.cpp) builds.
//
//===----------------------------------------------------------------------===//
#include "IqlComments.h"
#include "RDParser.h"
#include "StrataParser.h"

using namespace strata;
using namespace strata::parse;
using P = strata_antlr::StrataParser;

/// file : item* EOF ; for a migration file: one migrationDecl.
void RDParser::migrationFile() {
  if (Toks.type() != P::MIGRATION)
    throw GiveUp();
  File.Items.push_back(migrationDecl());
  if (Toks.type() != Scanner::EofType)
    throw GiveUp();
  dropCommentsInsideIql(File.Comments, IqlRanges);
}

/// migrationDecl : MIGRATION migrationName LBRACE migrationItem* RBRACE ;
ast::MigrationDecl RDParser::migrationDecl() {
  ast::MigrationDecl M;
  llvm::SMLoc Start = Toks.start(Toks.take());
  M.Name = migrationName();
  expect(P::LBRACE);
  while (Toks.type() != P::RBRACE) {
    // A migration is the whole file: forget its finished operations'
    // tokens as a schema file forgets its finished items'.
    Toks.dropTaken();
    migrationItem(M);
  }
  expect(P::RBRACE);
  M.Range = Toks.rangeFrom(Start);
  return M;
}

/// migrationName : MIGRATION_NAME | name ;
ast::Ident RDParser::migrationName() {
  if (Toks.type() != P::MIGRATION_NAME)
    return name();
  RawToken T = Toks.take();
  return {Toks.text(T).str(), Toks.range(T)};
}

/// migrationItem : DEPENDS migrationName (COMMA migrationName)*
///               | REPLACES migrationName (COMMA migrationName)*
///               | operation ;
void RDParser::migrationItem(ast::MigrationDecl &M) {
  size_t Type = Toks.type();
  if (Type != P::DEPENDS && Type != P::REPLACES) {
    operation(M.Operations.emplace_back());
    return;
  }
  std::vector<ast::Ident> &Names = Type == P::DEPENDS ? M.Depends : M.Replaces;
  Toks.take();
  Names.push_back(migrationName());
  while (accept(P::COMMA))
    Names.push_back(migrationName());
}
