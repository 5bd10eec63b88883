//===- CachedFiles.cpp - Schema files' syntax trees in the build cache ----===//
//
// One entry per schema file path holds the text of its last clean parse,
// then each item and each comment: its span, and its tree with locations
// relative to the span. When the file
// is unchanged every item is read back; when it was edited, planReparse
// finds the items the edit cannot have touched, and only the text between
// them goes through the parser. A reparse that reports anything is thrown
// away and the whole file parsed, so diagnostics are always a full
// parse's.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/BuildCache.h"
#include "strata/Parse/Parser.h"
#include "strata/Parse/Reparse.h"
#include "strata/Serialize/Serialize.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include <deque>

using namespace strata;
using namespace strata::serialize;

namespace {
constexpr uint64_t FileFormat = 2;

std::string fileKey(llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  return "schema file " + Abs.str().str();
}

std::string entryName(llvm::StringRef Key) { return "file-" + shortHash(Key); }

/// An item or a comment: its span in the text and its tree, whose
/// locations are relative to the span's start. A piece an edit only moved
/// is therefore stored again byte for byte.
struct Piece {
  size_t Begin, End;
  llvm::StringRef Tree;
};

/// The last clean parse of a file, as stored.
struct StoredFile {
  llvm::StringRef Text;
  std::vector<Piece> Items, Comments;
};

std::string encodeStored(llvm::StringRef Text, const std::vector<Piece> &Items,
                         const std::vector<Piece> &Comments) {
  BinaryWriter W;
  W.u64(FileFormat);
  W.str(Text);
  for (const std::vector<Piece> *List : {&Items, &Comments}) {
    W.u64(List->size());
    for (const Piece &P : *List) {
      W.u64(P.Begin);
      W.u64(P.End);
      W.str(P.Tree);
    }
  }
  return W.take();
}

std::optional<StoredFile> decodeStored(llvm::StringRef Payload) {
  BinaryReader R(Payload);
  StoredFile S;
  if (R.u64() != FileFormat)
    return std::nullopt;
  S.Text = R.str();
  for (auto *List : {&S.Items, &S.Comments})
    for (uint64_t I = 0, N = R.count(3); I < N && R.ok(); ++I) {
      Piece P;
      P.Begin = R.u64();
      P.End = R.u64();
      P.Tree = R.str();
      if (P.Begin > P.End || P.End > S.Text.size())
        R.fail();
      List->push_back(P);
    }
  if (!R.ok() || !R.atEnd())
    return std::nullopt;
  return S;
}

/// Reads the trees of Pieces into Out, each piece now Shift bytes from
/// where it was in Buffer. False when any fails to read.
template <typename T>
bool readPieces(llvm::ArrayRef<Piece> Pieces, llvm::StringRef Buffer, int64_t Shift,
                std::vector<T> &Out, bool (*Read)(BinaryReader &, const LocationDecoder &, T &)) {
  LocationDecoder L;
  for (const Piece &P : Pieces) {
    L.setFile(0, Buffer, int64_t(P.Begin) + Shift);
    BinaryReader R(P.Tree);
    T Value;
    if (!Read(R, L, Value) || !R.atEnd())
      return false;
    Out.push_back(std::move(Value));
  }
  return true;
}

/// Pieces moved by Shift bytes.
std::vector<Piece> moved(llvm::ArrayRef<Piece> Pieces, int64_t Shift) {
  std::vector<Piece> Out(Pieces.begin(), Pieces.end());
  for (Piece &P : Out) {
    P.Begin = size_t(int64_t(P.Begin) + Shift);
    P.End = size_t(int64_t(P.End) + Shift);
  }
  return Out;
}

/// Encodes the items and comments of F (whose text is Text) as pieces;
/// the trees are kept in Storage.
void encodePieces(const ast::SourceFile &F, llvm::StringRef Text, std::vector<Piece> &Items,
                  std::vector<Piece> &Comments, std::deque<std::string> &Storage) {
  auto Add = [&](std::vector<Piece> &List, size_t Begin, size_t End, auto &&Write) {
    LocationEncoder L;
    L.addFile(Text.drop_front(Begin));
    BinaryWriter W;
    Write(L, W);
    Storage.push_back(W.take());
    List.push_back({Begin, End, Storage.back()});
  };
  for (const ast::Item &I : F.Items) {
    ItemSpan S = itemSpan(I, Text.data());
    Add(Items, S.Begin, S.End, [&](LocationEncoder &L, BinaryWriter &W) { writeItem(I, L, W); });
  }
  for (const ast::Comment &C : F.Comments) {
    size_t Begin = size_t(C.Range.Start.getPointer() - Text.data());
    size_t End = size_t(C.Range.End.getPointer() - Text.data());
    Add(Comments, Begin, End, [&](LocationEncoder &L, BinaryWriter &W) { writeComment(C, L, W); });
  }
}

void storeEntry(const CacheDir &Store, llvm::StringRef Key, llvm::StringRef Text,
                const std::vector<Piece> &Items, const std::vector<Piece> &Comments) {
  if (Store.store(entryName(Key), Key, encodeStored(Text, Items, Comments)))
    Store.prune("file-", 1024);
}

ast::SourceFile emptyFile(unsigned BufferID, const llvm::SourceMgr &SM) {
  ast::SourceFile F;
  F.Kind = ast::FileKind::Schema;
  F.BufferID = BufferID;
  F.Path = SM.getMemoryBuffer(BufferID)->getBufferIdentifier().str();
  return F;
}
} // namespace

ast::SourceFile BuildCache::parseSchemaFile(llvm::StringRef Path, unsigned BufferID,
                                            DiagnosticEngine &Diags) {
  llvm::SourceMgr &SM = Diags.sourceMgr();
  if (Enabled)
    if (std::optional<ast::SourceFile> F = cachedFile(Path, BufferID, SM))
      return std::move(*F);
  size_t Before = Diags.size();
  ast::SourceFile F = parseBuffer(BufferID, ast::FileKind::Schema, Diags);
  ++Report.FilesParsed;
  if (Enabled && Diags.size() == Before)
    storeFile(Path, BufferID, F, SM);
  return F;
}

std::optional<ast::SourceFile> BuildCache::cachedFile(llvm::StringRef Path, unsigned BufferID,
                                                      llvm::SourceMgr &SM) {
  std::string Key = fileKey(Path);
  std::optional<CacheEntry> E = Store.load(entryName(Key), Key);
  if (!E)
    return std::nullopt;
  std::optional<StoredFile> Old = decodeStored(E->Payload);
  if (!Old)
    return std::nullopt;
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  ast::SourceFile F = emptyFile(BufferID, SM);

  if (Old->Text == Text) {
    if (!readPieces<ast::Item>(Old->Items, Text, 0, F.Items, readItem) ||
        !readPieces<ast::Comment>(Old->Comments, Text, 0, F.Comments, readComment))
      return std::nullopt;
    ++Report.FilesUnchanged;
    return F;
  }

  std::vector<ItemSpan> Spans;
  for (const Piece &P : Old->Items)
    Spans.push_back({P.Begin, P.End});
  std::optional<ReparsePlan> Plan = planReparse(Old->Text, Spans, Text);
  if (!Plan)
    return std::nullopt;
  DiagnosticEngine Scratch(SM);
  ast::SourceFile Middle =
      parseBufferRange(BufferID, Plan->Begin, Plan->End, ast::FileKind::Schema, Scratch);
  if (Scratch.size() != 0)
    return std::nullopt;
  std::vector<Piece> MiddleItems, MiddleComments;
  std::deque<std::string> Storage;
  encodePieces(Middle, Text, MiddleItems, MiddleComments, Storage);

  // Old pieces before the edit stay, those after it move; the comments
  // inside the replaced text are the middle parse's.
  llvm::ArrayRef<Piece> Items(Old->Items), Comments(Old->Comments);
  size_t FrontComments = 0, BackComments = 0;
  while (FrontComments < Comments.size() && Comments[FrontComments].Begin < Plan->OldBegin)
    ++FrontComments;
  BackComments = FrontComments;
  while (BackComments < Comments.size() && Comments[BackComments].Begin < Plan->OldEnd)
    ++BackComments;
  llvm::ArrayRef<Piece> FrontItems = Items.take_front(Plan->KeepFront);
  llvm::ArrayRef<Piece> BackItems = Items.take_back(Plan->KeepBack);
  if (!readPieces<ast::Item>(FrontItems, Text, 0, F.Items, readItem) ||
      !readPieces<ast::Comment>(Comments.take_front(FrontComments), Text, 0, F.Comments,
                                readComment))
    return std::nullopt;
  for (ast::Item &I : Middle.Items)
    F.Items.push_back(std::move(I));
  for (ast::Comment &C : Middle.Comments)
    F.Comments.push_back(std::move(C));
  if (!readPieces<ast::Item>(BackItems, Text, Plan->Shift, F.Items, readItem) ||
      !readPieces<ast::Comment>(Comments.drop_front(BackComments), Text, Plan->Shift, F.Comments,
                                readComment))
    return std::nullopt;

  // The new entry: the kept pieces as they were (moved), the middle's new.
  std::vector<Piece> NewItems(FrontItems.begin(), FrontItems.end()),
      NewComments(Comments.begin(), Comments.begin() + FrontComments);
  llvm::append_range(NewItems, MiddleItems);
  llvm::append_range(NewItems, moved(BackItems, Plan->Shift));
  llvm::append_range(NewComments, MiddleComments);
  llvm::append_range(NewComments, moved(Comments.drop_front(BackComments), Plan->Shift));
  storeEntry(Store, Key, Text, NewItems, NewComments);

  ++Report.FilesReparsed;
  Report.ItemsReused += unsigned(Plan->KeepFront + Plan->KeepBack);
  Report.ItemsParsed += unsigned(MiddleItems.size());
  return F;
}

void BuildCache::storeFile(llvm::StringRef Path, unsigned BufferID, const ast::SourceFile &F,
                           llvm::SourceMgr &SM) {
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  std::vector<Piece> Items, Comments;
  std::deque<std::string> Storage;
  encodePieces(F, Text, Items, Comments, Storage);
  storeEntry(Store, fileKey(Path), Text, Items, Comments);
}
