//===- DiagnosticsTest.cpp - Rendering details golden files test badly ----===//
#include "strata/Support/DiagnosticRenderer.h"
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/JSON.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {
struct Fixture {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  llvm::StringRef Text;

  explicit Fixture(llvm::StringRef Source) {
    unsigned ID = *addSourceText(Source, "t.strata", Diags);
    Text = SM.getMemoryBuffer(ID)->getBuffer();
  }
  llvm::SMLoc at(size_t Offset) const { return llvm::SMLoc::getFromPointer(Text.data() + Offset); }
  llvm::SMRange range(size_t Begin, size_t End) const { return {at(Begin), at(End)}; }
  std::string render(DiagnosticFormat Format = DiagnosticFormat::Text) {
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    RenderOptions Opts;
    Opts.Format = Format;
    renderDiagnostics(Diags, OS, Opts);
    return OS.str();
  }
};
} // namespace

TEST(Diagnostics, CaretRangeAndFixIt) {
  Fixture F("relation a(x: int)\nderived b(x: int) { b(X) <- emp(X) }\n");
  size_t Emp = F.Text.find("emp");
  F.Diags.reportAt(DiagKind::SyntaxError, F.range(Emp, Emp + 3), "unknown thing")
      .fixIt(F.range(Emp, Emp + 3), "a");
  EXPECT_EQ(F.render(), "t.strata:2:29: error: unknown thing [SyntaxError]\n"
                        "derived b(x: int) { b(X) <- emp(X) }\n"
                        "                            ^~~\n"
                        "                            a\n");
  EXPECT_EQ(F.Diags.errorCount(), 1u);
}

TEST(Diagnostics, TabsKeepCaretAligned) {
  Fixture F("\trelation $x\n");
  F.Diags.report(DiagKind::UnexpectedCharacter, F.at(10), "$");
  EXPECT_EQ(F.render(), "t.strata:1:11: error: unexpected character `$` [UnexpectedCharacter]\n"
                        "\trelation $x\n"
                        "\t         ^\n");
}

TEST(Diagnostics, ColumnsCountCharactersNotBytes) {
  Fixture F("// é\nrelation é\n");
  size_t Accent = F.Text.rfind("é");
  F.Diags.report(DiagKind::UnexpectedCharacter, F.at(Accent + 2), "x");
  // Line 2: "relation é" — the byte after é is character 11.
  EXPECT_NE(F.render().find("t.strata:2:11:"), std::string::npos);
}

TEST(Diagnostics, NotesFollowTheirError) {
  Fixture F("a\nb\n");
  F.Diags.report(DiagKind::ExtraMigrationInFile, F.at(2), "b")
      .note(DiagKind::NoteFirstMigrationHere, F.at(0));
  std::string Out = F.render();
  EXPECT_NE(Out.find("t.strata:2:1: error:"), std::string::npos);
  EXPECT_NE(Out.find("t.strata:1:1: note: first migration is here\n"), std::string::npos);
  EXPECT_LT(Out.find("error:"), Out.find("note:"));
}

TEST(Diagnostics, FileLevelDiagnosticNamesTheFile) {
  Fixture F("");
  F.Diags.reportFile(DiagKind::FileUnreadable, "missing.strata", "missing.strata",
                     "No such file or directory");
  EXPECT_EQ(F.render(), "missing.strata: error: cannot read `missing.strata`: "
                        "No such file or directory [FileUnreadable]\n");
}

TEST(Diagnostics, JsonIsOneDocumentWithPositions) {
  Fixture F("relation a(x: int)\n");
  F.Diags.reportAt(DiagKind::SyntaxError, F.range(9, 10), "bad").fixIt(F.range(9, 10), "b");
  llvm::Expected<llvm::json::Value> Doc = llvm::json::parse(F.render(DiagnosticFormat::Json));
  ASSERT_TRUE(bool(Doc));
  const llvm::json::Object *Root = Doc->getAsObject();
  ASSERT_NE(Root, nullptr);
  EXPECT_EQ(*Root->getInteger("version"), 1);
  EXPECT_EQ(*Root->getInteger("errors"), 1);
  const llvm::json::Object *D = (*Root->getArray("diagnostics"))[0].getAsObject();
  EXPECT_EQ(*D->getString("kind"), "SyntaxError");
  EXPECT_EQ(*D->getString("file"), "t.strata");
  EXPECT_EQ(*D->getInteger("line"), 1);
  EXPECT_EQ(*D->getInteger("column"), 10);
  const llvm::json::Object *Fix = (*D->getArray("fixits"))[0].getAsObject();
  EXPECT_EQ(*Fix->getString("replacement"), "b");
  EXPECT_EQ(*Fix->getInteger("end_column"), 11);
}

TEST(Diagnostics, EveryKindHasANameAndMessage) {
  for (DiagKind K : allDiagKinds()) {
    EXPECT_FALSE(diagKindName(K).empty());
    EXPECT_FALSE(diagKindFormat(K).empty());
  }
}

// The cursor gives exactly what lineColumn gives, for locations in reading
// order and out of it, on long lines, with multi-byte characters and a
// byte-order mark (issue 14, finding 9: `strata fmt` was quadratic in the
// length of a line because every node's column was counted from its
// line's start).
TEST(DiagnosticsLineColumn, CursorAgreesWithLineColumn) {
  std::string Text = "\xEF\xBB\xBF"
                     "relation a(x: int)\n";
  for (int I = 0; I < 300; ++I)
    Text += I % 7 ? "ab " : "\xC3\xA9\xE2\x82\xAC ";
  Text += "\r\nlast line\n";
  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(Text, "t.strata"), llvm::SMLoc());
  const char *Base = SM.getMemoryBuffer(1)->getBufferStart();
  std::vector<size_t> Offsets;
  for (size_t I = 3; I < Text.size(); I += 5)
    Offsets.push_back(I);
  for (size_t I = Text.size() - 1; I > 40; I -= 37)
    Offsets.push_back(I); // backwards too
  LineColumnCursor Cursor(SM);
  for (size_t Off : Offsets) {
    llvm::SMLoc Loc = llvm::SMLoc::getFromPointer(Base + Off);
    LineColumn Want = lineColumn(SM, Loc), Got = Cursor.at(Loc);
    EXPECT_EQ(Got.Line, Want.Line) << Off;
    EXPECT_EQ(Got.Column, Want.Column) << Off;
  }
}
