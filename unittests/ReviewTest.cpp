//===- ReviewTest.cpp - Pieces of `strata review` that goldens test badly -===//
#include "strata/Review/Review.h"
#include "strata/Review/Render.h"
#include "gtest/gtest.h"

using namespace strata;
using namespace strata::review;

namespace {
std::string signs(const std::vector<DiffLine> &Lines) {
  std::string Out;
  for (const DiffLine &L : Lines)
    Out += std::string(1, L.Sign) + L.Text + ";";
  return Out;
}
} // namespace

TEST(ReviewDiff, KeepsCommonLinesAndPutsRemovalsFirst) {
  EXPECT_EQ(signs(diffLines({"a", "b", "c"}, {"a", "x", "c"})), " a;-b;+x; c;");
  EXPECT_EQ(signs(diffLines({}, {"a", "b"})), "+a;+b;");
  EXPECT_EQ(signs(diffLines({"a", "b"}, {})), "-a;-b;");
  EXPECT_EQ(signs(diffLines({"a", "b"}, {"a", "b"})), " a; b;");
  // A move is a removal and an addition, the common rest kept.
  EXPECT_EQ(signs(diffLines({"a", "b", "c"}, {"b", "c", "a"})), "-a; b; c;+a;");
}

TEST(ReviewHtml, EscapesMarkupAndQuotes) {
  EXPECT_EQ(escapeHtml("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(proseHtml("drops `a<b>` and `c`"), "drops <code>a&lt;b&gt;</code> and <code>c</code>");
  EXPECT_EQ(proseHtml("an odd ` quote"), "an odd ` quote");
}

TEST(ReviewHtml, HighlightsIqlByTokenKind) {
  EXPECT_EQ(highlightIql("?e(X, 1, \"s\")"),
            "<span class=\"p\">?</span><span class=\"k\">e</span><span class=\"p\">(</span>"
            "<span class=\"v\">X</span><span class=\"p\">,</span> <span class=\"n\">1</span>"
            "<span class=\"p\">,</span> <span class=\"s\">&quot;s&quot;</span>"
            "<span class=\"p\">)</span>");
  // After a malformed token the rest is text, escaped.
  std::string Bad = highlightIql("+a(\"open <b>");
  EXPECT_NE(Bad.find("&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(Bad.find("<b>"), std::string::npos);
}
