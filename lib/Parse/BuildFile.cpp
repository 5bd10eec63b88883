//===- BuildFile.cpp - Files and items ------------------------------------===//
//
// The driver: each item of a file goes to the Build*.cpp file of its area,
// and what a file of its kind may not hold is reported here. The areas call
// the locations and names of ASTBuilder.cpp and each other, never this.
//
//===----------------------------------------------------------------------===//
#include "ASTBuilder.h"
#include "IqlComments.h"

using namespace strata;
using namespace strata::parse;

namespace {
/// The name an item declares, when it parsed far enough to have one.
std::string itemName(P::ItemContext *Item) {
  P::NameContext *Name = nullptr;
  if (auto *R = Item->relationDecl())
    Name = R->name();
  else if (auto *D = Item->derivedDecl())
    Name = D->name();
  else if (auto *I = Item->indexDecl())
    Name = I->indexSpec() && !I->indexSpec()->name().empty() ? I->indexSpec()->name(0) : nullptr;
  return Name && Name->start ? Name->start->getText() : std::string();
}
} // namespace

void ASTBuilder::buildFile(P::FileContext *Tree, ast::SourceFile &File,
                           bool (*HasError)(antlr4::tree::ParseTree *)) {
  for (P::ItemContext *Item : Tree->item())
    buildItem(Item, File, HasError);
  finishFile(File, HasError != nullptr);
}

void ASTBuilder::buildItem(P::ItemContext *Item, ast::SourceFile &File,
                           bool (*HasError)(antlr4::tree::ParseTree *)) {
  if (HasError && HasError(Item)) {
    std::string Name = itemName(Item);
    if (!Name.empty())
      File.InvalidNames.push_back(std::move(Name));
    return;
  }
  if (auto *M = Item->migrationDecl()) {
    ast::MigrationDecl Decl = migration(M);
    if (File.Kind == ast::FileKind::Schema) {
      Diags.reportAt(DiagKind::MigrationInSchemaFile, Decl.Name.Range, Decl.Name.Name);
      return;
    }
    if (FirstMigration) {
      Diags.reportAt(DiagKind::ExtraMigrationInFile, Decl.Name.Range, Decl.Name.Name)
          .note(DiagKind::NoteFirstMigrationHere,
                std::get<ast::MigrationDecl>(File.Items[*FirstMigration]).Name.loc());
      return;
    }
    FirstMigration = File.Items.size();
    File.Items.push_back(std::move(Decl));
    return;
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
    return;
  }
  File.Items.push_back(std::move(Built));
}

void ASTBuilder::finishFile(ast::SourceFile &File, bool SyntaxErrors) {
  dropCommentsInsideIql(File.Comments, IqlRanges);

  if (File.Kind == ast::FileKind::Migration && !FirstMigration && !SyntaxErrors) {
    const char *Start = Diags.sourceMgr().getMemoryBuffer(File.BufferID)->getBufferStart();
    Diags.report(DiagKind::NoMigrationInFile, llvm::SMLoc::getFromPointer(Start));
  }
}
