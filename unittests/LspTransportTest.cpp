//===- LspTransportTest.cpp - JSON-RPC framing and UTF-16 positions -------===//
#include "strata/LSP/Positions.h"
#include "strata/LSP/Transport.h"
#include "gtest/gtest.h"

using namespace strata::lsp;

namespace {
std::vector<ReadResult> readAll(llvm::StringRef Bytes, TransportLimits Limits = {}) {
  StringSource Source(Bytes);
  MessageReader Reader(Source, Limits);
  std::vector<ReadResult> Out;
  while (true) {
    ReadResult R = Reader.next();
    Out.push_back(R);
    if (R.TheKind == ReadResult::Kind::End)
      return Out;
  }
}

TEST(LspTransport, ReadsFramedMessages) {
  auto Rs = readAll("Content-Length: 2\r\n\r\n{}content-length:3\r\nContent-Type: x\r\n\r\n[1]");
  ASSERT_EQ(Rs.size(), 3u);
  EXPECT_EQ(Rs[0].TheKind, ReadResult::Kind::Message);
  EXPECT_EQ(Rs[0].Body, "{}");
  EXPECT_EQ(Rs[1].Body, "[1]");
  EXPECT_EQ(Rs[2].TheKind, ReadResult::Kind::End);
}

TEST(LspTransport, AcceptsBareLineFeeds) {
  auto Rs = readAll("\n\nContent-Length: 1\n\nx");
  ASSERT_EQ(Rs.size(), 2u);
  EXPECT_EQ(Rs[0].Body, "x");
}

TEST(LspTransport, ReportsMalformedHeadersAndGoesOn) {
  auto Rs = readAll("Content-Length: -1\r\n\r\nno-colon\r\n\r\nContent-Length: 1\r\n"
                    "Content-Length: 1\r\n\r\nX-Other: 2\r\n\r\nContent-Length: 1\r\n\r\nz");
  ASSERT_EQ(Rs.size(), 6u);
  for (int I = 0; I < 4; ++I)
    EXPECT_EQ(Rs[I].TheKind, ReadResult::Kind::Malformed) << I;
  EXPECT_EQ(Rs[3].Problem, "message header without Content-Length");
  EXPECT_EQ(Rs[4].Body, "z");
}

TEST(LspTransport, BoundsHeaderLinesHeaderCountAndBodies) {
  TransportLimits L;
  L.MaxHeaderLine = 20;
  L.MaxHeaders = 2;
  L.MaxBody = 4;
  auto Rs = readAll("X-Much-Too-Long-Line: 1\r\n\r\n" // 23 > 20
                    "A: 1\r\nB: 2\r\nC: 3\r\n\r\n"    // 3 headers > 2
                    "Content-Length: 5\r\n\r\n12345"  // body > 4: skipped
                    "Content-Length: 4\r\n\r\n1234",
                    L);
  ASSERT_EQ(Rs.size(), 5u);
  EXPECT_EQ(Rs[0].TheKind, ReadResult::Kind::Malformed);
  EXPECT_EQ(Rs[1].TheKind, ReadResult::Kind::Malformed);
  EXPECT_EQ(Rs[2].TheKind, ReadResult::Kind::Malformed);
  EXPECT_EQ(Rs[3].Body, "1234");
}

TEST(LspTransport, EndsInsideAMessage) {
  auto Rs = readAll("Content-Length: 10\r\n\r\nabc");
  ASSERT_EQ(Rs.size(), 1u);
  EXPECT_EQ(Rs[0].TheKind, ReadResult::Kind::End);
  EXPECT_EQ(readAll("Content-Len").size(), 1u);
  EXPECT_EQ(readAll("Content-Length: 99999999999999999999999\r\n\r\n")[0].TheKind,
            ReadResult::Kind::Malformed);
}

TEST(LspTransport, WritesFramedMessages) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeMessage(OS, llvm::json::Object{{"a", "é"}});
  EXPECT_EQ(S, "Content-Length: 10\r\n\r\n{\"a\":\"é\"}");
}

TEST(LspPositions, CountsUtf16Units) {
  llvm::StringRef Text = "aé😀b\nx";
  LineIndex L(Text);
  EXPECT_EQ(L.offset({0, 1}), 1u);  // after a
  EXPECT_EQ(L.offset({0, 2}), 3u);  // after é (2 bytes)
  EXPECT_EQ(L.offset({0, 3}), 3u);  // inside the emoji's pair: before it
  EXPECT_EQ(L.offset({0, 4}), 7u);  // after the emoji (4 bytes)
  EXPECT_EQ(L.offset({0, 99}), 8u); // clamped to the line's end
  EXPECT_EQ(L.offset({1, 1}), 10u);
  EXPECT_EQ(L.offset({7, 0}), Text.size());
  EXPECT_EQ(L.position(7).Character, 4u);
  EXPECT_EQ(L.position(9).Line, 1u);
  EXPECT_EQ(utf16Length("é😀"), 3u);
}
} // namespace
