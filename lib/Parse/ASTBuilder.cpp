//===- ASTBuilder.cpp - Files, items and locations ------------------------===//
#include "ASTBuilder.h"
#include <algorithm>

using namespace strata;
using namespace strata::parse;

llvm::SMRange ASTBuilder::range(antlr4::Token *Tok) const {
  llvm::SMLoc Start = Pos.loc(Tok->getStartIndex());
  if (Tok->getType() == antlr4::Token::EOF)
    return {Start, Start};
  return {Start, Pos.locAfter(Tok->getStopIndex())};
}

llvm::SMRange ASTBuilder::range(antlr4::ParserRuleContext *Ctx) const {
  if (!Ctx || !Ctx->start)
    return {};
  llvm::SMLoc Start = Pos.loc(Ctx->start->getStartIndex());
  antlr4::Token *Stop = Ctx->stop;
  if (!Stop || Stop->getTokenIndex() < Ctx->start->getTokenIndex() ||
      Stop->getType() == antlr4::Token::EOF)
    return {Start, Start};
  return {Start, Pos.locAfter(Stop->getStopIndex())};
}

ast::Ident ASTBuilder::ident(antlr4::ParserRuleContext *Ctx) const {
  if (!Ctx || !Ctx->start)
    return {};
  llvm::SMRange R = range(Ctx);
  return {text(R).str(), R};
}

ast::Ident ASTBuilder::ident(P::NameContext *Ctx) const {
  return ident(static_cast<antlr4::ParserRuleContext *>(Ctx));
}

namespace {
/// The name an item declares, when it parsed far enough to have one.
std::string itemName(P::ItemContext *Item) {
  P::NameContext *Name = nullptr;
  if (auto *R = Item->relationDecl())
    Name = R->name();
  else if (auto *D = Item->derivedDecl())
    Name = D->name();
  else if (auto *I = Item->indexDecl())
    Name = I->indexSpec() && !I->indexSpec()->name().empty()
               ? I->indexSpec()->name(0)
               : nullptr;
  return Name && Name->start ? Name->start->getText() : std::string();
}
} // namespace

void ASTBuilder::buildFile(P::FileContext *Tree, ast::SourceFile &File,
                           bool (*HasError)(antlr4::tree::ParseTree *)) {
  const ast::MigrationDecl *FirstMigration = nullptr;
  for (P::ItemContext *Item : Tree->item()) {
    if (HasError && HasError(Item)) {
      std::string Name = itemName(Item);
      if (!Name.empty())
        File.InvalidNames.push_back(std::move(Name));
      continue;
    }
    if (auto *M = Item->migrationDecl()) {
      ast::MigrationDecl Decl = migration(M);
      if (File.Kind == ast::FileKind::Schema) {
        Diags.reportAt(DiagKind::MigrationInSchemaFile, Decl.Name.Range, Decl.Name.Name);
        continue;
      }
      if (FirstMigration) {
        Diags.reportAt(DiagKind::ExtraMigrationInFile, Decl.Name.Range, Decl.Name.Name)
            .note(DiagKind::NoteFirstMigrationHere, FirstMigration->Name.loc());
        continue;
      }
      File.Items.push_back(std::move(Decl));
      FirstMigration = &std::get<ast::MigrationDecl>(File.Items.back());
      continue;
    }

    ast::Item Built = Item->relationDecl()  ? ast::Item(relation(Item->relationDecl()))
                      : Item->derivedDecl() ? ast::Item(derived(Item->derivedDecl()))
                                            : ast::Item(index(Item->indexDecl()->indexSpec()));
    if (File.Kind == ast::FileKind::Migration) {
      const char *What = Item->relationDecl()  ? "relation"
                         : Item->derivedDecl() ? "derived relation"
                                               : "index";
      const ast::Ident &Name = ast::declaredName(Built);
      Diags.reportAt(DiagKind::SchemaItemInMigrationFile, Name.Range, What, Name.Name);
      continue;
    }
    File.Items.push_back(std::move(Built));
  }

  // Comments inside raw IQL are kept verbatim in the IQL text; listing them
  // again as file comments would duplicate them.
  if (!IqlRanges.empty()) {
    auto InIql = [&](const ast::Comment &C) {
      return std::any_of(IqlRanges.begin(), IqlRanges.end(), [&](llvm::SMRange R) {
        return C.Range.Start.getPointer() >= R.Start.getPointer() &&
               C.Range.Start.getPointer() < R.End.getPointer();
      });
    };
    File.Comments.erase(std::remove_if(File.Comments.begin(), File.Comments.end(), InIql),
                        File.Comments.end());
  }

  if (File.Kind == ast::FileKind::Migration && !FirstMigration && !HasError) {
    const char *Start = Diags.sourceMgr().getMemoryBuffer(File.BufferID)->getBufferStart();
    Diags.report(DiagKind::NoMigrationInFile, llvm::SMLoc::getFromPointer(Start));
  }
}
