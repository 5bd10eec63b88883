//===- RecursiveDescent.cpp - The fast path's entry, files and items ------===//
//
// The driver of the recursive-descent parser: RDDecls.cpp parses each
// item, RDRules.cpp the rules inside, RDTokens.cpp reads the tokens.
//
//===----------------------------------------------------------------------===//
#include "RecursiveDescent.h"
#include "RDParser.h"
#include "StrataParser.h"

using namespace strata;
using namespace strata::parse;
using P = strata_antlr::StrataParser;

bool parse::parseWithoutAntlr(llvm::StringRef Text, ast::SourceFile &File, DiagnosticEngine &Diags,
                              const ParseLimits &Limits) {
  // Migration files and files of 2 GB or more (32-bit offsets) take the
  // ANTLR path.
  if (File.Kind != ast::FileKind::Schema || Text.size() >= (uint64_t(1) << 31))
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
  while (Toks.type() != Scanner::EofType) {
    Toks.dropTaken();
    item();
  }
  // The items are kept until the end: no spare capacity (up to half of
  // the vector after its last doubling).
  File.Items.shrink_to_fit();
}

/// item : relationDecl | derivedDecl | indexDecl | migrationDecl ;
/// (a schema file: a migration in it goes to the ANTLR path, which reports
/// it)
void RDParser::item() {
  switch (Toks.type()) {
  case P::RELATION:
    File.Items.push_back(relationDecl());
    return;
  case P::DERIVED:
    File.Items.push_back(derivedDecl());
    return;
  case P::INDEX:
    File.Items.push_back(indexDecl());
    return;
  default:
    throw GiveUp();
  }
}
