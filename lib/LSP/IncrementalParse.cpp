//===- IncrementalParse.cpp - Reparsing only what an edit changed ---------===//
#include "IncrementalParse.h"
#include "strata/Parse/Parser.h"
#include "strata/Serialize/Serialize.h"

using namespace strata;
using namespace strata::lsp;
using namespace strata::serialize;

namespace {
template <typename T, typename WriteFn>
std::string encode(const T &Value, llvm::StringRef Text, size_t Begin, WriteFn Write) {
  LocationEncoder L;
  L.addFile(Text.drop_front(Begin));
  BinaryWriter W;
  Write(Value, L, W);
  return W.take();
}

void addPieces(const ast::SourceFile &F, llvm::StringRef Text, ParsePieces &P) {
  for (const ast::Item &I : F.Items) {
    ItemSpan S = itemSpan(I, Text.data());
    P.Items.push_back(S);
    P.ItemTrees.push_back(encode(I, Text, S.Begin, writeItem));
  }
  for (const ast::Comment &C : F.Comments) {
    ItemSpan S{size_t(C.Range.Start.getPointer() - Text.data()),
               size_t(C.Range.End.getPointer() - Text.data())};
    P.Comments.push_back(S);
    P.CommentTrees.push_back(encode(C, Text, S.Begin, writeComment));
  }
}

/// Reads pieces [From, To) of Spans/Trees into Out, now Shift bytes from
/// where they were, and appends them (moved) to the new pieces.
template <typename T>
bool readBack(const std::vector<ItemSpan> &Spans, const std::vector<std::string> &Trees,
              size_t From, size_t To, int64_t Shift, llvm::StringRef NewText, std::vector<T> &Out,
              std::vector<ItemSpan> &NewSpans, std::vector<std::string> &NewTrees,
              bool (*Read)(BinaryReader &, const LocationDecoder &, T &)) {
  LocationDecoder L;
  for (size_t I = From; I < To; ++I) {
    L.setFile(0, NewText, int64_t(Spans[I].Begin) + Shift);
    BinaryReader R(Trees[I]);
    T Value;
    if (!Read(R, L, Value) || !R.atEnd())
      return false;
    Out.push_back(std::move(Value));
    NewSpans.push_back(
        {size_t(int64_t(Spans[I].Begin) + Shift), size_t(int64_t(Spans[I].End) + Shift)});
    NewTrees.push_back(Trees[I]);
  }
  return true;
}

/// The first comment at or after Offset.
size_t firstAtOrAfter(const std::vector<ItemSpan> &Spans, size_t Offset) {
  size_t I = 0;
  while (I < Spans.size() && Spans[I].Begin < Offset)
    ++I;
  return I;
}
} // namespace

ParsePieces strata::lsp::cutPieces(const ast::SourceFile &F, llvm::StringRef Text) {
  ParsePieces P;
  P.Text = Text.str();
  addPieces(F, Text, P);
  return P;
}

std::optional<ast::SourceFile> strata::lsp::reparse(ParsePieces &Old, llvm::SourceMgr &SM,
                                                    unsigned BufferID) {
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  std::optional<ReparsePlan> Plan = planReparse(Old.Text, Old.Items, Text);
  if (!Plan)
    return std::nullopt;
  DiagnosticEngine Scratch(SM);
  ast::SourceFile Middle =
      parseBufferRange(BufferID, Plan->Begin, Plan->End, ast::FileKind::Schema, Scratch);
  if (Scratch.size() != 0)
    return std::nullopt;

  ast::SourceFile F;
  F.Kind = ast::FileKind::Schema;
  F.BufferID = BufferID;
  F.Path = SM.getMemoryBuffer(BufferID)->getBufferIdentifier().str();
  ParsePieces New;
  New.Text = Text.str();
  size_t N = Old.Items.size();
  size_t FrontComments = firstAtOrAfter(Old.Comments, Plan->OldBegin);
  size_t BackComments = firstAtOrAfter(Old.Comments, Plan->OldEnd);
  ParsePieces MiddlePieces;
  addPieces(Middle, Text, MiddlePieces);
  auto Append = [](ParsePieces &To, ParsePieces &From) {
    llvm::append_range(To.Items, From.Items);
    llvm::append_range(To.ItemTrees, From.ItemTrees);
    llvm::append_range(To.Comments, From.Comments);
    llvm::append_range(To.CommentTrees, From.CommentTrees);
  };
  // Items: kept front, the middle's, kept back (moved); comments likewise.
  if (!readBack<ast::Item>(Old.Items, Old.ItemTrees, 0, Plan->KeepFront, 0, Text, F.Items,
                           New.Items, New.ItemTrees, readItem) ||
      !readBack<ast::Comment>(Old.Comments, Old.CommentTrees, 0, FrontComments, 0, Text, F.Comments,
                              New.Comments, New.CommentTrees, readComment))
    return std::nullopt;
  for (ast::Item &I : Middle.Items)
    F.Items.push_back(std::move(I));
  for (ast::Comment &C : Middle.Comments)
    F.Comments.push_back(std::move(C));
  ParsePieces Back;
  if (!readBack<ast::Item>(Old.Items, Old.ItemTrees, N - Plan->KeepBack, N, Plan->Shift, Text,
                           F.Items, Back.Items, Back.ItemTrees, readItem) ||
      !readBack<ast::Comment>(Old.Comments, Old.CommentTrees, BackComments, Old.Comments.size(),
                              Plan->Shift, Text, F.Comments, Back.Comments, Back.CommentTrees,
                              readComment))
    return std::nullopt;
  // The pieces in the order of the text: front, middle, back.
  Append(New, MiddlePieces);
  Append(New, Back);
  Old = std::move(New);
  return F;
}
