//===- RecursiveDescent.cpp - The fast path's entry, files and items ------===//
//
// The driver of the recursive-descent parser: RDDecls.cpp parses each
// schema item, RDRules.cpp the rules inside, RDMigrations.cpp a migration
// file, RDTokens.cpp reads the tokens.
//
//===----------------------------------------------------------------------===//
#include "RecursiveDescent.h"
#include "RDParser.h"
#include "StrataParser.h"
#include <algorithm>

using namespace strata;
using namespace strata::parse;
using P = strata_antlr::StrataParser;

bool parse::parseWithoutAntlr(llvm::StringRef Text, ast::SourceFile &File, DiagnosticEngine &Diags,
                              const ParseLimits &Limits) {
  // Files of 2 GB or more (32-bit offsets) take the ANTLR path.
  if (Text.size() >= (uint64_t(1) << 31))
    return false;
  // What the parse reports waits here until the whole file has parsed:
  // a file that gives up part-way reports only on the ANTLR path.
  DiagnosticEngine Scratch(Diags.sourceMgr());
  Scratch.setWarningsAsErrors(Diags.warningsAsErrors());
  try {
    RDParser(Text, File, Scratch, Limits).file();
  } catch (const GiveUp &) {
    File.Items.clear();
    File.Comments.clear();
    return false;
  }
  Diags.append(std::move(Scratch));
  return true;
}

// ---- files and items

void RDParser::file() {
  if (File.Kind == ast::FileKind::Migration)
    return migrationFile();
  while (Toks.type() != Scanner::EofType) {
    Toks.dropTaken();
    item();
  }
  moveItemsToFile();
}

void RDParser::addItem(ast::Item I) {
  // Chunks grow with the file up to a few hundred items: small files stay
  // small, large ones make few allocations.
  constexpr size_t SmallestChunk = 16, LargestChunk = 256;
  if (ItemChunks.empty() || ItemChunks.back().size() == ItemChunks.back().capacity())
    ItemChunks.emplace_back().reserve(std::clamp(ItemCount, SmallestChunk, LargestChunk));
  ItemChunks.back().push_back(std::move(I));
  ++ItemCount;
}

void RDParser::moveItemsToFile() {
  File.Items.reserve(File.Items.size() + ItemCount);
  for (std::vector<ast::Item> &Chunk : ItemChunks) {
    for (ast::Item &I : Chunk)
      File.Items.push_back(std::move(I));
    std::vector<ast::Item>().swap(Chunk);
  }
  ItemChunks.clear();
  ItemCount = 0;
}

/// item : relationDecl | derivedDecl | indexDecl | migrationDecl ;
/// (a schema file: a migration in it goes to the ANTLR path, which reports
/// it)
void RDParser::item() {
  switch (Toks.type()) {
  case P::RELATION:
    addItem(relationDecl());
    return;
  case P::DERIVED:
    addItem(derivedDecl());
    return;
  case P::INDEX:
    addItem(indexDecl());
    return;
  default:
    throw GiveUp();
  }
}
