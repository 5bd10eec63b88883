//===- JsonFuzzer.cpp - libFuzzer target for the protocol's JSON frames ---===//
//
// The client's side of the InputLayer protocol, fed what a hostile or broken
// server could send. Each line of the input is one frame, read with
// parseJson (bounded nesting) and then:
//  - written with frameText and read again: the text must parse, and
//    writing it again must give the same text (frameText is canonical);
//  - read as a reply (replyFromJson, cells from the line's text), printed as
//    the client prints it, and written back with replyFrame: the second
//    reading must equal the first, every cell of the same kind (`-1.0`
//    stays a double, `-1` an integer);
//  - searched for a repeated top-level key: one found must be a key of the
//    parsed object, and frameText's text (whose keys are unique) has none;
//  - fed, in order, to a ReplyStream as the frames of one request (a new
//    stream after each reply or protocol error), so streamed results with
//    chunks out of order, bad counts, wrong ids and notices are exercised.
// Every reply a stream completes is cut into frames by replyFrames (with
// small limits, so it streams) and read back through a fresh ReplyStream:
// the reply must come back unchanged. A violated property traps.
//
//===----------------------------------------------------------------------===//
#include "ReplyStream.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/Support/Json.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>

using namespace strata;
using namespace strata::exec;

namespace {
[[noreturn]] void violation(llvm::StringRef What, llvm::StringRef Detail) {
  llvm::errs() << What << "\n  " << Detail << "\n";
  __builtin_trap();
}

bool sameReply(const Reply &A, const Reply &B) {
  if (A.IsError != B.IsError || A.ErrorMessage != B.ErrorMessage || A.Columns != B.Columns ||
      A.Rows != B.Rows || A.ValidationErrors.size() != B.ValidationErrors.size())
    return false;
  for (size_t I = 0; I < A.ValidationErrors.size(); ++I) {
    const ValidationError &X = A.ValidationErrors[I], &Y = B.ValidationErrors[I];
    if (X.Line != Y.Line || X.StatementIndex != Y.StatementIndex || X.Message != Y.Message)
      return false;
  }
  return true;
}

void checkCanonicalText(const llvm::json::Value &V) {
  std::string First = frameText(V);
  llvm::Expected<llvm::json::Value> Again = parseJson(First);
  if (!Again)
    violation("frameText wrote text that does not parse: " + llvm::toString(Again.takeError()),
              First);
  std::string Second = frameText(*Again);
  if (First != Second)
    violation("frameText is not canonical", First + "\n  " + Second);
}

void checkRepeatedKeys(const llvm::json::Value &V, llvm::StringRef Text) {
  if (llvm::Optional<std::string> Key = repeatedTopLevelKey(Text))
    if (!V.getAsObject() || !V.getAsObject()->get(*Key))
      violation("repeatedTopLevelKey named a key the object lacks: " + *Key, Text);
  std::string Canonical = frameText(V);
  if (llvm::Optional<std::string> Key = repeatedTopLevelKey(Canonical))
    violation("repeatedTopLevelKey found a repeat in unique keys: " + *Key, Canonical);
}

void checkReplyJson(const llvm::json::Value &V, llvm::StringRef Text) {
  llvm::Expected<Reply> R = replyFromJson(V, Text);
  if (!R) {
    llvm::consumeError(R.takeError());
    return;
  }
  printReply(*R, llvm::nulls());
  exampleRows(*R);
  std::string Written = replyFrame(*R);
  llvm::Expected<llvm::json::Value> Reread = parseJson(Written);
  if (!Reread)
    violation("replyFrame wrote text that does not parse: " + llvm::toString(Reread.takeError()),
              Written);
  llvm::Expected<Reply> Back = replyFromJson(*Reread, Written);
  if (!Back)
    violation("replyFrame wrote a frame replyFromJson refuses: " + llvm::toString(Back.takeError()),
              frameText(V));
  if (!sameReply(*R, *Back))
    violation("a reply changed through replyFrame", frameText(V));
}

/// R, cut into frames as the server would send it, must read back as R.
void checkFramesRoundTrip(const Reply &R) {
  FrameLimits Small;
  Small.FrameBudget = 256;
  Small.ChunkRows = 3;
  Small.MaxFrame = 4096;
  std::vector<std::string> Frames = replyFrames(R, "q1", {}, Small);
  ReplyStream Stream("q1");
  for (size_t I = 0; I < Frames.size(); ++I) {
    llvm::Expected<llvm::json::Value> V = parseJson(Frames[I]);
    if (!V)
      violation("replyFrames wrote a frame that does not parse: " + llvm::toString(V.takeError()),
                Frames[I]);
    llvm::Expected<llvm::Optional<Reply>> Got = Stream.feed(*V, Frames[I]);
    if (!Got)
      violation("a ReplyStream refused replyFrames' frames: " + llvm::toString(Got.takeError()),
                Frames[I]);
    if (!*Got)
      continue;
    if (I + 1 != Frames.size())
      violation("a reply ended before its last frame", Frames[I]);
    // An error too large for one frame is cut (ending in `...`), and a
    // row too large for any frame turns the reply into an error saying so.
    llvm::StringRef Message = (*Got)->ErrorMessage;
    bool Replaced = (*Got)->IsError && Frames.size() == 1 &&
                    (Message.endswith("...") || Message.contains("-byte message limit"));
    if (!Replaced && !sameReply(R, **Got))
      violation("a reply changed through replyFrames", Frames.front());
    return;
  }
  violation("replyFrames' frames did not complete a reply", Frames.back());
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  auto Stream = std::make_unique<ReplyStream>("");
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    llvm::Expected<llvm::json::Value> V = parseJson(Line);
    if (!V) {
      llvm::consumeError(V.takeError());
      continue;
    }
    checkCanonicalText(*V);
    checkRepeatedKeys(*V, Line);
    checkReplyJson(*V, Line);
    llvm::Expected<llvm::Optional<Reply>> Got = Stream->feed(*V, Line);
    if (!Got) {
      llvm::consumeError(Got.takeError());
      Stream = std::make_unique<ReplyStream>("");
      continue;
    }
    if (*Got) {
      checkFramesRoundTrip(**Got);
      Stream = std::make_unique<ReplyStream>("");
    }
  }
  return 0;
}
