//===- ASTBoxedTest.cpp - Heap-held parts of AST nodes --------------------===//
//
// Boxed and BoxedOptional (strata/AST/Boxed.h) must behave as the inline
// values they replaced: reads of an unset part, deep copies, moves, and
// std::optional's assignments.
//
//===----------------------------------------------------------------------===//
#include "strata/AST/SourceFile.h"
#include <gtest/gtest.h>

using namespace strata;
using namespace strata::ast;

namespace {
Expr variable(const char *Name) {
  Expr E;
  E.TheKind = Expr::Kind::Variable;
  E.Text = Name;
  return E;
}
} // namespace

TEST(ASTBoxed, UnsetReadsAsADefaultValue) {
  const Boxed<Expr> B;
  EXPECT_EQ(B->TheKind, Expr::Kind::Error);
  EXPECT_TRUE(B->Text.empty());
  EXPECT_TRUE(static_cast<const Expr &>(B).Operands.empty());
}

TEST(ASTBoxed, CopiesAreDeepAndMovesLeaveItUnset) {
  Boxed<Expr> A = variable("X");
  Boxed<Expr> B = A;
  B->Text = "Y";
  EXPECT_EQ(A->Text, "X");
  EXPECT_EQ(B->Text, "Y");
  A = B;
  EXPECT_EQ(A->Text, "Y");
  Boxed<Expr> C = std::move(A);
  EXPECT_EQ(C->Text, "Y");
  A = variable("Z"); // a moved-from box can be set again
  EXPECT_EQ(A->Text, "Z");
}

TEST(ASTBoxed, PassesAsAReference) {
  Boxed<Expr> B;
  Expr &E = B; // the first non-const use allocates it
  E.Text = "W";
  const Boxed<Expr> &Const = B;
  EXPECT_EQ(static_cast<const Expr &>(Const).Text, "W");
}

TEST(ASTBoxed, OptionalAssignsAndReadsLikeStdOptional) {
  BoxedOptional<Ident> O;
  EXPECT_FALSE(O);
  EXPECT_FALSE(O.has_value());
  O = Ident{"old", {}};
  ASSERT_TRUE(O);
  EXPECT_EQ(O->Name, "old");
  std::optional<Ident> Std = O;
  ASSERT_TRUE(Std);
  EXPECT_EQ(Std->Name, "old");
  O = std::nullopt;
  EXPECT_FALSE(O);
  O = std::optional<Ident>(Ident{"again", {}});
  EXPECT_EQ((*O).Name, "again");
  O = std::optional<Ident>();
  EXPECT_FALSE(O);
  O.emplace(Ident{"placed", {}});
  EXPECT_EQ(O.value().Name, "placed");
  O.reset();
  EXPECT_FALSE(O.has_value());
}

TEST(ASTBoxed, OptionalCopiesAreDeep) {
  Column A;
  A.Fill = variable("F");
  Column B = A;
  B.Fill->Text = "G";
  EXPECT_EQ(A.Fill->Text, "F");
  EXPECT_FALSE(B.RenamedFrom);
  Column C = std::move(B);
  EXPECT_EQ(C.Fill->Text, "G");
}

// The point of the boxes: what the frequent nodes cost (docs/performance.md,
// "Memory of the AST"). Bounds, not exact sizes, so a smaller standard
// library passes too.
TEST(ASTBoxed, FrequentNodesStaySmall) {
  EXPECT_EQ(sizeof(Boxed<Expr>), sizeof(void *));
  EXPECT_EQ(sizeof(BoxedOptional<Expr>), sizeof(void *));
  EXPECT_LE(sizeof(Expr), 96u);
  EXPECT_LE(sizeof(BodyLiteral), 160u);
  EXPECT_LE(sizeof(Column), 208u);
}
