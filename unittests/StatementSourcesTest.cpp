//===- StatementSourcesTest.cpp - Every statement's source in one pass -----===//
#include "strata/IQL/Parser.h"
#include <gtest/gtest.h>

using namespace strata;

namespace {
/// statementSources agrees with statementSource, statement by statement.
void expectSameAsOneByOne(llvm::StringRef Program) {
  std::vector<iql::SourceStatement> Split = iql::splitProgram(Program);
  std::vector<llvm::StringRef> All = iql::statementSources(Program, Split);
  ASSERT_EQ(All.size(), Split.size());
  for (size_t I = 0; I < Split.size(); ++I)
    EXPECT_EQ(All[I].str(), iql::statementSource(Program, Split[I]).str()) << Program.str();
}

TEST(StatementSources, MatchStatementSource) {
  expectSameAsOneByOne("+a(x: int)\n+a[(1)]\n?a(X)");
  expectSameAsOneByOne("+a(x: int)\r\n\r\n// note\n+b(X) <- a(X),\n    X > 1\r\n?b(X)\n");
  expectSameAsOneByOne("/* block\ncomment */ +a(x: int)\n\n\n?a(X) // trailing\n");
  expectSameAsOneByOne("");
  expectSameAsOneByOne("\n\n?a(X)\n   \n");
}

TEST(StatementSources, KeepsContinuationLines) {
  llvm::StringRef Program = "+b(X) <- a(X),\n    X > 1\n?b(X)";
  std::vector<llvm::StringRef> All = iql::statementSources(Program, iql::splitProgram(Program));
  ASSERT_EQ(All.size(), 2u);
  EXPECT_EQ(All[0], "+b(X) <- a(X),\n    X > 1");
  EXPECT_EQ(All[1], "?b(X)");
}
} // namespace
