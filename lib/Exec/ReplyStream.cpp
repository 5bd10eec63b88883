//===- ReplyStream.cpp - One reply out of the server's frames -------------===//
#include "ReplyStream.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/Support/Json.h"
#include <fmt/format.h>

using namespace strata;
using namespace strata::exec;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace {
llvm::Error violation(const std::string &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "protocol error: " + What);
}

bool isClosingNotice(const Object &O) {
  llvm::StringRef Code = O.getString("code").getValueOr("");
  return Code != "notifications_missed" && Code != "replay_gap";
}

/// Frames the server pushes on its own; they never answer a request.
bool isUnsolicited(llvm::StringRef Type) {
  return Type == "persistent_update" || Type == "rule_change" || Type == "kg_change" ||
         Type == "schema_change" || Type == "notification" || Type == "pong" ||
         Type == "authenticated" || Type.startswith("subscription_");
}
} // namespace

void exec::foldStatementErrors(const Object &Result, Reply &R) {
  const Array *Errors = Result.getArray("errors");
  if (!Errors || Errors->empty() || R.IsError)
    return;
  std::vector<std::string> Lines;
  for (const Value &E : *Errors) {
    const Object *EO = E.getAsObject();
    if (!EO)
      continue;
    std::string Message = EO->getString("message").getValueOr("failed").str();
    // Indexes count from 0; one that is not a count (negative) is left
    // out, and the largest one must not overflow when counted from 1.
    if (llvm::Optional<int64_t> Index = jsonInteger(*EO, "index"); Index && *Index >= 0)
      Lines.push_back(fmt::format("Error: statement {}: {}", uint64_t(*Index) + 1, Message));
    else
      Lines.push_back("Error: " + Message);
  }
  if (Lines.empty())
    return;
  if (R.isMessage()) {
    for (std::string &L : Lines)
      R.Rows.push_back({Cell(std::move(L))});
    return;
  }
  std::string Joined;
  for (const std::string &L : Lines)
    Joined += (Joined.empty() ? "" : "; ") + L;
  R = Reply::error(Joined);
}

llvm::Expected<llvm::Optional<Reply>> ReplyStream::feed(const Value &Frame, llvm::StringRef Text) {
  const Object *O = Frame.getAsObject();
  if (!O)
    return violation("a frame is not a JSON object");
  llvm::Optional<llvm::StringRef> Type = O->getString("type");
  if (!Type)
    return violation("a frame has no `type`");
  llvm::Optional<llvm::StringRef> Id = O->getString("id");
  if (*Type == "notice") {
    if (!isClosingNotice(*O))
      return llvm::None;
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        fmt::format("the server is closing the connection: {} ({})",
                    O->getString("message").getValueOr("no reason given").str(),
                    O->getString("code").getValueOr("notice").str()));
  }
  if (isUnsolicited(*Type))
    return llvm::None;
  if (Id && *Id != RequestId)
    return violation(fmt::format("a `{}` frame for request `{}` arrived while waiting for "
                                 "request `{}`",
                                 Type->str(), Id->str(), RequestId));
  if (*Type == "auth_error") {
    AuthRefused = true;
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        fmt::format("the server requires authentication ({}): use --user with "
                    "--password-file, STRATA_USER with STRATA_PASSWORD, or STRATA_API_KEY "
                    "(docs/targets.md)",
                    O->getString("message").getValueOr("no reason given").str()));
  }
  if (*Type == "error") {
    // Also ends a stream in progress: its rows are discarded.
    Streaming = false;
    llvm::Expected<Reply> R = replyFromJson(Frame, Text);
    if (!R)
      return violation(llvm::toString(R.takeError()));
    return llvm::Optional<Reply>(std::move(*R));
  }
  if (*Type == "result") {
    if (Streaming)
      return violation("a `result` frame arrived inside a streamed result");
    llvm::Expected<Reply> R = replyFromJson(Frame, Text);
    if (!R)
      return violation(llvm::toString(R.takeError()));
    foldStatementErrors(*O, *R);
    return llvm::Optional<Reply>(std::move(*R));
  }
  if (Type->startswith("result_"))
    return feedStreamed(*Type, Text, *O);
  return violation(fmt::format("unexpected `{}` frame in reply to `execute`", Type->str()));
}

llvm::Expected<llvm::Optional<Reply>>
ReplyStream::feedStreamed(llvm::StringRef Type, llvm::StringRef Text, const Object &O) {
  if (Type == "result_start") {
    if (Streaming)
      return violation("a second `result_start` arrived before `result_end`");
    const Array *Columns = O.getArray("columns");
    if (!Columns)
      return violation("`result_start` has no `columns`");
    Partial = Reply();
    for (const Value &C : *Columns) {
      llvm::Optional<llvm::StringRef> S = C.getAsString();
      if (!S)
        return violation("a column name in `result_start` is not a string");
      Partial.Columns.push_back(S->str());
    }
    StartFields = Object();
    if (const Value *Errors = O.get("errors"))
      StartFields["errors"] = *Errors;
    Streaming = true;
    ChunksSeen = 0;
    return llvm::None;
  }
  if (!Streaming)
    return violation(fmt::format("`{}` arrived without `result_start`", Type.str()));
  if (Type == "result_chunk") {
    llvm::Optional<int64_t> Index = jsonInteger(O, "chunk_index");
    if (!Index || *Index != int64_t(ChunksSeen))
      return violation(fmt::format("result chunk {} arrived where chunk {} was expected",
                                   Index ? std::to_string(*Index) : "without an index",
                                   ChunksSeen));
    const Array *Rows = O.getArray("rows");
    if (!Rows)
      return violation("a `result_chunk` has no `rows`");
    for (const Value &Row : *Rows) {
      const Array *Cells = Row.getAsArray();
      if (!Cells || Cells->size() != Partial.Columns.size())
        return violation(
            fmt::format("a streamed row does not have {} cells", Partial.Columns.size()));
    }
    llvm::Expected<std::vector<std::vector<Cell>>> Cells = rowCells(O, Text);
    if (!Cells)
      return violation(llvm::toString(Cells.takeError()));
    for (std::vector<Cell> &Row : *Cells)
      Partial.Rows.push_back(std::move(Row));
    ++ChunksSeen;
    return llvm::None;
  }
  if (Type == "result_end") {
    Streaming = false;
    llvm::Optional<int64_t> Chunks = jsonInteger(O, "chunk_count");
    llvm::Optional<int64_t> Rows = jsonInteger(O, "row_count");
    if (Chunks && *Chunks != int64_t(ChunksSeen))
      return violation(
          fmt::format("`result_end` counts {} chunks but {} arrived", *Chunks, ChunksSeen));
    if (Rows && *Rows != int64_t(Partial.Rows.size()))
      return violation(
          fmt::format("`result_end` counts {} rows but {} arrived", *Rows, Partial.Rows.size()));
    foldStatementErrors(StartFields, Partial);
    return llvm::Optional<Reply>(std::move(Partial));
  }
  return violation(fmt::format("unexpected `{}` frame", Type.str()));
}

namespace {
std::string jsonText(llvm::json::Value V) { return frameText(V); }

void addId(Object &O, llvm::StringRef Id) {
  if (!Id.empty())
    O["id"] = Id.str();
}

std::string errorFrame(const std::string &Message, llvm::StringRef Id, const Object &Extra = {}) {
  Object O{{"type", "error"}, {"message", Message}, {"validation_errors", Array()}};
  for (const auto &[Key, V] : Extra)
    O.try_emplace(Key, V);
  addId(O, Id);
  return jsonText(std::move(O));
}

Array labels(llvm::StringRef Label, size_t Count) {
  Array Out;
  for (size_t I = 0; I < Count; ++I)
    Out.push_back(Label);
  return Out;
}
} // namespace

std::vector<std::string> exec::replyFrames(const Reply &R, llvm::StringRef Id, const Object &Extra,
                                           const FrameLimits &Limits,
                                           llvm::StringRef RowProvenance) {
  Object WholeExtra = Extra;
  addId(WholeExtra, Id);
  if (!R.IsError && !RowProvenance.empty())
    WholeExtra["row_provenance"] = labels(RowProvenance, R.Rows.size());
  std::string Text = replyFrame(R, WholeExtra);
  if (Text.size() <= Limits.FrameBudget)
    return {std::move(Text)};
  if (R.IsError) // an error this large is all message: cut it down
    return {errorFrame(R.ErrorMessage.substr(0, Limits.FrameBudget / 2) + "...", Id, Extra)};

  // Plan the chunks from each row's size before building any frame, so a
  // row no frame can carry is reported instead of half a stream.
  const size_t Overhead = 96 + Id.size();
  std::vector<std::string> RowTexts;
  RowTexts.reserve(R.Rows.size());
  for (size_t I = 0; I < R.Rows.size(); ++I) {
    RowTexts.push_back(rowJson(R.Rows[I]));
    if (Overhead + RowTexts.back().size() + 1 > Limits.MaxFrame)
      return {errorFrame(fmt::format("The result has a row of {} bytes, over the {}-byte "
                                     "message limit",
                                     RowTexts.back().size(), Limits.MaxFrame),
                         Id)};
  }
  std::vector<std::string> Frames;
  Object Start{{"type", "result_start"}, {"total_count", int64_t(R.Rows.size())}};
  Array Columns;
  for (const std::string &C : R.Columns)
    Columns.push_back(C);
  Start["columns"] = std::move(Columns);
  for (const auto &[Key, V] : Extra)
    Start.try_emplace(Key, V);
  addId(Start, Id);
  Frames.push_back(jsonText(std::move(Start)));

  // Each row's label (`"persistent",`) counts towards its chunk's size.
  const size_t LabelBytes = RowProvenance.empty() ? 0 : RowProvenance.size() + 3;
  size_t ChunkIndex = 0, Next = 0;
  while (Next < RowTexts.size()) {
    size_t Bytes = Overhead, Count = 0;
    std::string Rows = "[";
    while (Next < RowTexts.size() && Count < Limits.ChunkRows &&
           (Count == 0 || Bytes + RowTexts[Next].size() + 1 + LabelBytes <= Limits.FrameBudget)) {
      if (Count)
        Rows += ',';
      Rows += RowTexts[Next];
      Bytes += RowTexts[Next].size() + 1 + LabelBytes;
      ++Count;
      ++Next;
    }
    Rows += ']';
    // Rows are already JSON text: splice them in rather than re-parse.
    std::string IdField = Id.empty() ? "" : ",\"id\":" + jsonText(Id.str());
    std::string Provenance = RowProvenance.empty()
                                 ? ""
                                 : ",\"row_provenance\":" + jsonText(labels(RowProvenance, Count));
    Frames.push_back(fmt::format("{{\"type\":\"result_chunk\"{},\"chunk_index\":{},\"rows\":{}{}}}",
                                 IdField, ChunkIndex++, Rows, Provenance));
  }
  Object End{{"type", "result_end"},
             {"row_count", int64_t(R.Rows.size())},
             {"chunk_count", int64_t(ChunkIndex)}};
  addId(End, Id);
  Frames.push_back(jsonText(std::move(End)));
  return Frames;
}
