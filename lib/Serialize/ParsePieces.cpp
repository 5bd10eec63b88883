//===- ParsePieces.cpp - Reparsing an edited schema file from pieces ------===//
#include "strata/Serialize/ParsePieces.h"
#include "strata/Parse/Parser.h"
#include "strata/Serialize/Serialize.h"

using namespace strata;
using namespace strata::serialize;

namespace {

/// Value's tree with locations relative to offset Begin of Text.
template <typename T, typename WriteFn>
std::string encodeFrom(const T &Value, llvm::StringRef Text, size_t Begin, WriteFn Write) {
  LocationEncoder L;
  L.addFile(Text.drop_front(Begin));
  BinaryWriter W;
  Write(Value, L, W);
  return W.take();
}

/// Appends the pieces of F (a parse of part or all of Text) to P.
void addPieces(const ast::SourceFile &F, llvm::StringRef Text, ParsePieces &P) {
  for (const ast::Item &I : F.Items) {
    ItemSpan S = itemSpan(I, Text.data());
    P.Items.push_back(S);
    P.ItemTrees.push_back(encodeFrom(I, Text, S.Begin, writeItem));
  }
  for (const ast::Comment &C : F.Comments) {
    ItemSpan S{size_t(C.Range.Start.getPointer() - Text.data()),
               size_t(C.Range.End.getPointer() - Text.data())};
    P.Comments.push_back(S);
    P.CommentTrees.push_back(encodeFrom(C, Text, S.Begin, writeComment));
  }
}

/// Reads old pieces [From, To) of Spans/Trees, each now Shift bytes from
/// where it was in NewText, into Out, and appends them, moved, to
/// NewSpans/NewTrees. False when a tree does not read.
template <typename T>
bool readBack(const std::vector<ItemSpan> &Spans, const std::vector<std::string> &Trees,
              size_t From, size_t To, int64_t Shift, llvm::StringRef NewText, std::vector<T> &Out,
              std::vector<ItemSpan> &NewSpans, std::vector<std::string> &NewTrees,
              bool (*Read)(BinaryReader &, const LocationDecoder &, T &)) {
  LocationDecoder L;
  for (size_t I = From; I < To; ++I) {
    int64_t Begin = int64_t(Spans[I].Begin) + Shift, End = int64_t(Spans[I].End) + Shift;
    if (Begin < 0 || End < Begin || size_t(End) > NewText.size())
      return false;
    L.setFile(0, NewText, Begin);
    BinaryReader R(Trees[I]);
    T Value;
    if (!Read(R, L, Value) || !R.atEnd())
      return false;
    Out.push_back(std::move(Value));
    NewSpans.push_back({size_t(Begin), size_t(End)});
    NewTrees.push_back(Trees[I]);
  }
  return true;
}

/// Old items [ItemsFrom, ItemsTo) and comments [CommentsFrom, CommentsTo),
/// moved by Shift, appended to the file and the pieces of Out.
bool readKept(const ParsePieces &Old, size_t ItemsFrom, size_t ItemsTo, size_t CommentsFrom,
              size_t CommentsTo, int64_t Shift, llvm::StringRef Text, Reparsed &Out) {
  return readBack<ast::Item>(Old.Items, Old.ItemTrees, ItemsFrom, ItemsTo, Shift, Text,
                             Out.File.Items, Out.Pieces.Items, Out.Pieces.ItemTrees, readItem) &&
         readBack<ast::Comment>(Old.Comments, Old.CommentTrees, CommentsFrom, CommentsTo, Shift,
                                Text, Out.File.Comments, Out.Pieces.Comments,
                                Out.Pieces.CommentTrees, readComment);
}

/// The first of Spans (in order) that starts at or after Offset.
size_t firstAtOrAfter(const std::vector<ItemSpan> &Spans, size_t Offset) {
  size_t I = 0;
  while (I < Spans.size() && Spans[I].Begin < Offset)
    ++I;
  return I;
}

} // namespace

ParsePieces strata::cutPieces(const ast::SourceFile &F, llvm::StringRef Text) {
  ParsePieces P;
  P.Text = Text.str();
  addPieces(F, Text, P);
  return P;
}

std::optional<Reparsed> strata::reparseFromPieces(const ParsePieces &Old, llvm::SourceMgr &SM,
                                                  unsigned BufferID) {
  if (Old.ItemTrees.size() != Old.Items.size() || Old.CommentTrees.size() != Old.Comments.size())
    return std::nullopt;
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  std::optional<ReparsePlan> Plan = planReparse(Old.Text, Old.Items, Text);
  if (!Plan)
    return std::nullopt;
  ast::SourceFile Middle;
  if (Plan->Begin < Plan->End) { // an unchanged text has nothing to parse
    DiagnosticEngine Scratch(SM);
    Middle = parseBufferRange(BufferID, Plan->Begin, Plan->End, ast::FileKind::Schema, Scratch);
    if (Scratch.size() != 0)
      return std::nullopt;
  }

  Reparsed Out;
  Out.File.Kind = ast::FileKind::Schema;
  Out.File.BufferID = BufferID;
  Out.File.Path = SM.getMemoryBuffer(BufferID)->getBufferIdentifier().str();
  Out.Pieces.Text = Text.str();
  // Items: the kept front ones, the middle's, the kept back ones (moved);
  // comments likewise, those inside the replaced old text being gone.
  size_t N = Old.Items.size();
  size_t FrontComments = firstAtOrAfter(Old.Comments, Plan->OldBegin);
  size_t BackComments = firstAtOrAfter(Old.Comments, Plan->OldEnd);
  if (!readKept(Old, 0, Plan->KeepFront, 0, FrontComments, 0, Text, Out))
    return std::nullopt;
  addPieces(Middle, Text, Out.Pieces);
  for (ast::Item &I : Middle.Items)
    Out.File.Items.push_back(std::move(I));
  for (ast::Comment &C : Middle.Comments)
    Out.File.Comments.push_back(std::move(C));
  if (!readKept(Old, N - Plan->KeepBack, N, BackComments, Old.Comments.size(), Plan->Shift, Text,
                Out))
    return std::nullopt;
  Out.ItemsKept = Plan->KeepFront + Plan->KeepBack;
  Out.ItemsParsed = Middle.Items.size();
  return Out;
}
