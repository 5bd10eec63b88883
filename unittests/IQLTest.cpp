//===- IQLTest.cpp - lib/IQL: the parser, the server's vocabulary ----------===//
#include "strata/IQL/Builtins.h"
#include "strata/IQL/Names.h"
#include "strata/IQL/Parser.h"
#include "strata/Support/DiagnosticRenderer.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::iql;

TEST(IQLVocabulary, FunctionsAndAggregatesAreFoundInAnyCase) {
  ASSERT_NE(findFunction("TO_FLOAT"), nullptr);
  EXPECT_EQ(findFunction("to_float")->Id, FunctionId::ToFloat);
  EXPECT_EQ(functionInfo(FunctionId::Concat).Arity, 3u);
  EXPECT_EQ(findFunction("to_string"), nullptr); // not a server function
  ASSERT_NE(findAggregate("countdistinct"), nullptr);
  EXPECT_EQ(findAggregate("countdistinct")->Kind, AggregateKind::CountDistinct);
  EXPECT_TRUE(findAggregate("Count")->isCount());
  EXPECT_EQ(findAggregate("median"), nullptr);
}

TEST(IQLVocabulary, EveryTableEntryIsFoundByItsName) {
  for (const BuiltinFunction &F : allFunctions())
    EXPECT_EQ(findFunction(F.Name), &F) << F.Name;
  for (const BuiltinAggregate &A : allAggregates())
    EXPECT_EQ(findAggregate(A.Name), &A) << A.Name;
}

TEST(IQLNames, TheServerRule) {
  EXPECT_EQ(checkName("employee_2"), NameProblem::None);
  EXPECT_EQ(checkName(""), NameProblem::Empty);
  EXPECT_EQ(checkName("__x"), NameProblem::InternalPrefix);
  EXPECT_EQ(checkName("Employee"), NameProblem::BadStart);
  EXPECT_EQ(checkName("a-b"), NameProblem::BadCharacter);
  EXPECT_EQ(checkName(std::string(MaxNameBytes + 1, 'a')), NameProblem::TooLong);
  EXPECT_EQ(checkName(std::string(MaxNameBytes, 'a')), NameProblem::None);
  EXPECT_TRUE(isReservedWord("count_distinct"));
  EXPECT_TRUE(isReservedWord("vector"));
  EXPECT_FALSE(isReservedWord("employee"));
}

TEST(IQLParser, ResolvesBuiltinsWhileParsing) {
  llvm::Expected<Statement> S =
      parseStatement("+n(G, countdistinct<I>) <- p(G, I), Y = to_float(I)");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  ASSERT_EQ(S->Rule.Head.Args.size(), 2u);
  const Expr &Agg = S->Rule.Head.Args[1];
  ASSERT_EQ(Agg.K, Expr::Kind::Aggregate);
  EXPECT_EQ(Agg.Aggregate->Id, AggregateId::CountDistinctAlias);
  const Literal &Cmp = S->Rule.Body[1];
  ASSERT_EQ(Cmp.Rhs.K, Expr::Kind::Call);
  ASSERT_NE(Cmp.Rhs.Function, nullptr);
  EXPECT_EQ(Cmp.Rhs.Function->Id, FunctionId::ToFloat);
}

TEST(IQLParser, UnknownFunctionIsLeftForTheEvaluator) {
  llvm::Expected<Statement> S = parseStatement("?p(X), Y = frobnicate(X)");
  ASSERT_TRUE(bool(S)) << llvm::toString(S.takeError());
  EXPECT_EQ(S->Body[1].Rhs.Function, nullptr);
}

TEST(IQLParser, ErrorsAreLocatedDiagnostics) {
  std::string Text = "+p(X) <- q(X), r(X, \"open";
  llvm::Expected<Statement> S = parseStatement(Text);
  ASSERT_FALSE(bool(S));
  Diagnostic D = takeDiagnostic(S.takeError(), DiagKind::IqlSyntax);
  EXPECT_EQ(D.Kind, DiagKind::IqlSyntax);
  EXPECT_EQ(D.Message, "Unterminated string literal");
  EXPECT_EQ(D.Loc.getPointer(), Text.data() + Text.find('"'));

  llvm::SourceMgr SM;
  SM.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(Text, "stmt.iql"), llvm::SMLoc());
  llvm::Expected<Statement> Again = parseStatement(SM.getMemoryBuffer(1)->getBuffer());
  ASSERT_FALSE(bool(Again));
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  DiagnosticEngine Rendered(SM);
  Diagnostic D2 = takeDiagnostic(Again.takeError(), DiagKind::IqlSyntax);
  Rendered.report(DiagKind::IqlSyntax, D2.Loc, D2.Message);
  renderDiagnostics(Rendered, OS, RenderOptions());
  EXPECT_NE(Out.find("stmt.iql:1:21: error: Unterminated string literal [IqlSyntax]"),
            std::string::npos)
      << Out;
}

TEST(IQLParser, UnknownAggregateIsASyntaxError) {
  llvm::Expected<Statement> S = parseStatement("+n(G, median<I>) <- p(G, I)");
  ASSERT_FALSE(bool(S));
  EXPECT_EQ(llvm::toString(S.takeError()), "Unknown aggregate 'median'");
}
