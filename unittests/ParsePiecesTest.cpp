//===- ParsePiecesTest.cpp - Reparsing an edited file from its pieces -----===//
//
// reparseFromPieces must give what parsing the whole new text gives: the
// same items at the same places (compared through the AST dump, whose
// positions are read from the new buffer), the same comments, and pieces
// equal to those cut from the whole parse, so that edits can follow edits.
// ReparseTest.cpp checks the plan behind it over random edits.
//
//===----------------------------------------------------------------------===//
#include "strata/Serialize/ParsePieces.h"
#include "strata/AST/ASTDumper.h"
#include "strata/Parse/Parser.h"
#include "strata/Support/SourceFiles.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {

const char *const Base = "// the people\n"
                         "relation person(id: int, name: string)\n"
                         "relation team(id: int, lead: int)\n"
                         "/* who leads */\n"
                         "derived leads(name: string) {\n"
                         "  leads(N) <- person(I, N), team(_, I)\n"
                         "}\n"
                         "index team_lead on team(lead) hnsw\n";

/// One text in its own SourceMgr.
struct Text {
  explicit Text(const std::string &S) {
    std::optional<unsigned> Loaded = addSourceText(S, "t.strata", Diags);
    EXPECT_TRUE(Loaded);
    ID = Loaded.value_or(0);
  }
  llvm::StringRef text() const { return SM.getMemoryBuffer(ID)->getBuffer(); }
  ast::SourceFile parseWhole() { return parseBuffer(ID, ast::FileKind::Schema, Diags); }
  std::string dump(const ast::SourceFile &F) const {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    dumpAST(F, SM, OS);
    for (const ast::Comment &C : F.Comments)
      OS << "comment " << C.Text << " @" << (C.Range.Start.getPointer() - text().data()) << '-'
         << (C.Range.End.getPointer() - text().data()) << '\n';
    return OS.str();
  }

  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  unsigned ID = 0;
};

ParsePieces piecesOf(const std::string &S) {
  Text Old(S);
  ast::SourceFile F = Old.parseWhole();
  EXPECT_EQ(Old.Diags.size(), 0u) << S;
  return cutPieces(F, Old.text());
}

bool sameSpans(const std::vector<ItemSpan> &A, const std::vector<ItemSpan> &B) {
  return std::equal(A.begin(), A.end(), B.begin(), B.end(),
                    [](ItemSpan X, ItemSpan Y) { return X.Begin == Y.Begin && X.End == Y.End; });
}

/// Reparses NewText from the pieces of OldText, checks the result against
/// the whole parse of NewText, and returns it.
Reparsed reparseMatches(const std::string &OldText, const std::string &NewText) {
  ParsePieces Old = piecesOf(OldText);
  Text New(NewText);
  std::optional<Reparsed> R = reparseFromPieces(Old, New.SM, New.ID);
  EXPECT_TRUE(R) << NewText;
  if (!R)
    return {};
  EXPECT_EQ(New.Diags.size(), 0u);
  ast::SourceFile Whole = New.parseWhole();
  EXPECT_EQ(New.Diags.size(), 0u) << NewText;
  EXPECT_EQ(New.dump(R->File), New.dump(Whole));
  EXPECT_EQ(R->File.BufferID, New.ID);
  ParsePieces Expected = cutPieces(Whole, New.text());
  EXPECT_EQ(R->Pieces.Text, NewText);
  EXPECT_TRUE(sameSpans(R->Pieces.Items, Expected.Items));
  EXPECT_TRUE(sameSpans(R->Pieces.Comments, Expected.Comments));
  EXPECT_EQ(R->Pieces.ItemTrees, Expected.ItemTrees);
  EXPECT_EQ(R->Pieces.CommentTrees, Expected.CommentTrees);
  EXPECT_EQ(R->ItemsKept + R->ItemsParsed, Whole.Items.size());
  return std::move(*R);
}

std::string replaced(std::string S, llvm::StringRef From, llvm::StringRef To) {
  size_t At = S.find(From.str());
  EXPECT_NE(At, std::string::npos) << From.str();
  return S.replace(At, From.size(), To.str());
}

TEST(ParsePieces, UnchangedTextKeepsEveryItem) {
  Reparsed R = reparseMatches(Base, Base);
  EXPECT_EQ(R.ItemsKept, 4u);
  EXPECT_EQ(R.ItemsParsed, 0u);
}

TEST(ParsePieces, EditAtTheStart) {
  // The first item grows a column; the others move and are kept.
  Reparsed R = reparseMatches(Base, replaced(Base, "name: string)", "name: string, age: int)"));
  EXPECT_EQ(R.ItemsKept, 3u);
  EXPECT_EQ(R.ItemsParsed, 1u);
  // A new first item, before the leading comment.
  R = reparseMatches(Base, "relation first(x: int)\n" + std::string(Base));
  EXPECT_EQ(R.ItemsParsed, 1u);
  EXPECT_EQ(R.ItemsKept, 4u);
}

TEST(ParsePieces, EditInTheMiddle) {
  // Inside the rule: only the derived relation is parsed again.
  Reparsed R = reparseMatches(Base, replaced(Base, "team(_, I)", "team(_, I), I > 0"));
  EXPECT_EQ(R.ItemsKept, 3u);
  EXPECT_EQ(R.ItemsParsed, 1u);
  // A whole item removed from the middle, and the comment before it kept.
  R = reparseMatches(Base, replaced(Base, "relation team(id: int, lead: int)\n", ""));
  EXPECT_EQ(R.ItemsParsed, 0u);
}

TEST(ParsePieces, EditAtTheEnd) {
  Reparsed R = reparseMatches(Base, std::string(Base) + "relation last(x: int) // trailing\n");
  EXPECT_EQ(R.ItemsKept, 4u);
  EXPECT_EQ(R.ItemsParsed, 1u);
  // The last item changed (its options added).
  R = reparseMatches(Base, replaced(Base, "hnsw\n", "hnsw(m: 16)\n"));
  EXPECT_EQ(R.ItemsParsed, 1u);
}

TEST(ParsePieces, EditAcrossItemBoundaries) {
  // From inside `person` to inside `team`: the two become one relation.
  Reparsed R = reparseMatches(Base, replaced(Base, "name: string)\nrelation team(id: int, ", ""));
  EXPECT_EQ(R.ItemsParsed, 1u);
  EXPECT_EQ(R.ItemsKept, 2u);
  // From the end of `team` to inside the rule, comment included.
  R = reparseMatches(Base, replaced(Base, "lead: int)\n/* who leads */\nderived leads",
                                    "lead: int, size: int)\nderived leading"));
  EXPECT_EQ(R.File.Comments.size(), 1u);
}

TEST(ParsePieces, EditsFollowEdits) {
  // The pieces a reparse returns serve the next one.
  ParsePieces P = piecesOf(Base);
  std::string Current = Base;
  for (const char *Added : {"relation a(x: int)\n", "relation b(y: string)\n"}) {
    Current = replaced(Current, "/* who leads */\n", std::string(Added) + "/* who leads */\n");
    Text New(Current);
    std::optional<Reparsed> R = reparseFromPieces(P, New.SM, New.ID);
    ASSERT_TRUE(R);
    ast::SourceFile Whole = New.parseWhole();
    EXPECT_EQ(New.dump(R->File), New.dump(Whole));
    P = std::move(R->Pieces);
  }
  EXPECT_EQ(P.Items.size(), 6u);
}

TEST(ParsePieces, SyntaxErrorNeedsTheWholeParse) {
  // The changed text alone does not parse: no result, and nothing reported
  // (the caller's whole parse reports the error).
  ParsePieces Old = piecesOf(Base);
  Text New(replaced(Base, "lead: int)", "lead: int"));
  EXPECT_FALSE(reparseFromPieces(Old, New.SM, New.ID));
  EXPECT_EQ(New.Diags.size(), 0u);
  New.parseWhole();
  EXPECT_NE(New.Diags.size(), 0u);
  // An unclosed block comment would swallow the kept items after it.
  Text Open(replaced(Base, "// the people", "/* the people"));
  EXPECT_FALSE(reparseFromPieces(Old, Open.SM, Open.ID));
}

TEST(ParsePieces, PiecesThatDoNotMatchAreRefused) {
  ParsePieces Old = piecesOf(Base);
  Old.ItemTrees.pop_back();
  Text New(Base);
  EXPECT_FALSE(reparseFromPieces(Old, New.SM, New.ID));
  Old = piecesOf(Base);
  Old.ItemTrees[1] = "not a tree";
  Text Edited(replaced(Base, "name: string)", "name: string, age: int)"));
  EXPECT_FALSE(reparseFromPieces(Old, Edited.SM, Edited.ID));
}

} // namespace
