//===- GraphTest.cpp - The history graph and its Graphviz rendering -------===//
#include "../lib/Render/GraphvizLoader.h"
#include "strata/Graph/HistoryGraph.h"
#include "strata/Render/Graphviz.h"
#include "gtest/gtest.h"

using namespace strata;

namespace {
TEST(GraphvizTest, RendersEveryNodeAndEdgeAsSvg) {
  llvm::Expected<std::string> Svg =
      render::renderSvg("digraph g { \"a\" -> \"b\"; \"a\" -> \"c\"; \"b\" -> \"c\"; }");
  ASSERT_TRUE(static_cast<bool>(Svg)) << llvm::toString(Svg.takeError());
  llvm::StringRef S = *Svg;
  EXPECT_TRUE(S.contains("<svg"));
  EXPECT_EQ(S.count("class=\"node\""), 3u);
  EXPECT_EQ(S.count("class=\"edge\""), 3u);
  EXPECT_TRUE(S.contains("<title>a&#45;&gt;c</title>"));
}

TEST(GraphvizTest, MalformedDotIsAnErrorWithGraphvizsMessage) {
  llvm::Expected<std::string> Svg = render::renderSvg("digraph g { a -> ; }");
  ASSERT_FALSE(static_cast<bool>(Svg));
  std::string Message = llvm::toString(Svg.takeError());
  EXPECT_NE(Message.find("Graphviz could not read the graph"), std::string::npos) << Message;
  EXPECT_NE(Message.find("syntax error"), std::string::npos) << Message;
  // The next call starts afresh: no message of the failed one is left.
  llvm::Expected<std::string> Ok = render::renderSvg("digraph g { a; }");
  ASSERT_TRUE(static_cast<bool>(Ok)) << llvm::toString(Ok.takeError());
}

// Graphviz is opened on demand (lib/Render/GraphvizLoader.h): a library
// that is missing, or lacks a symbol, is an error naming the file and
// dlerror()'s reason, never a crash.
TEST(GraphvizTest, AMissingLibraryIsAnErrorNamingIt) {
  llvm::Expected<void *> Library = render::openGraphvizLibrary("/nonexistent/libgvc.so.6");
  ASSERT_FALSE(static_cast<bool>(Library));
  std::string Message = llvm::toString(Library.takeError());
  EXPECT_EQ(Message.rfind("Graphviz is not available: /nonexistent/libgvc.so.6: ", 0), 0u)
      << Message;
  EXPECT_NE(Message.find("cannot open shared object file"), std::string::npos) << Message;
}

TEST(GraphvizTest, AMissingSymbolIsAnErrorNamingIt) {
  // The C library is loaded already; opening it again only counts a use.
  llvm::Expected<void *> Library = render::openGraphvizLibrary("libc.so.6");
  ASSERT_TRUE(static_cast<bool>(Library)) << llvm::toString(Library.takeError());
  llvm::Expected<void *> Symbol =
      render::findGraphvizSymbol(*Library, "libc.so.6", "gvplugin_core_LTX_library");
  ASSERT_FALSE(static_cast<bool>(Symbol));
  std::string Message = llvm::toString(Symbol.takeError());
  EXPECT_EQ(Message.rfind("Graphviz is not available: ", 0), 0u) << Message;
  EXPECT_NE(Message.find("libc.so.6"), std::string::npos) << Message;
  EXPECT_NE(Message.find("undefined symbol: gvplugin_core_LTX_library"), std::string::npos)
      << Message;
}

TEST(HistoryGraphTest, DotQuotesWhatTheTargetNameHolds) {
  graph::HistoryGraph H;
  H.TargetName = "file:a \"b\" \\c";
  graph::HistoryNode N;
  N.Name = "0001_initial";
  N.State = graph::NodeState::Applied;
  H.Nodes.push_back(N);
  std::string Dot;
  llvm::raw_string_ostream OS(Dot);
  graph::writeDot(H, OS);
  OS.flush();
  EXPECT_NE(Dot.find("label=\"on file:a \\\"b\\\" \\\\c\""), std::string::npos) << Dot;
  // A node without a file is drawn dashed; its state still reads in words.
  EXPECT_NE(Dot.find("\"0001_initial\" [label=\"0001_initial\\napplied\", "
                     "style=\"rounded,filled,dashed\", fillcolor=\"#d9ead3\"];"),
            std::string::npos)
      << Dot;
  // What Graphviz reads back is the same graph.
  llvm::Expected<std::string> Svg = render::renderSvg(Dot);
  ASSERT_TRUE(static_cast<bool>(Svg)) << llvm::toString(Svg.takeError());
  EXPECT_EQ(llvm::StringRef(*Svg).count("class=\"node\""), 1u);
}
} // namespace
