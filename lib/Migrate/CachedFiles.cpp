//===- CachedFiles.cpp - Schema files' syntax trees in the build cache ----===//
//
// One entry per schema file path holds the text of its last clean parse,
// then each item (its span and its tree) and each comment. When the file
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

using namespace strata;
using namespace strata::serialize;

namespace {
constexpr uint64_t FileFormat = 1;

std::string fileKey(llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  return "schema file " + Abs.str().str();
}

std::string entryName(llvm::StringRef Key) { return "file-" + shortHash(Key); }

/// The last clean parse of a file, as stored.
struct StoredFile {
  llvm::StringRef Text;
  struct Piece {
    size_t Begin, End;
    llvm::StringRef Tree;
  };
  std::vector<Piece> Items, Comments;
};

std::optional<StoredFile> decodeStored(llvm::StringRef Payload) {
  BinaryReader R(Payload);
  StoredFile S;
  if (R.u64() != FileFormat)
    return std::nullopt;
  S.Text = R.str();
  for (auto *List : {&S.Items, &S.Comments})
    for (uint64_t I = 0, N = R.count(3); I < N && R.ok(); ++I) {
      StoredFile::Piece P;
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

/// Reads pieces [From, To) of List into Out, their text moved by Shift in
/// Buffer. False when any fails to read.
template <typename T>
bool readPieces(const std::vector<StoredFile::Piece> &List, size_t From, size_t To,
                llvm::StringRef Buffer, int64_t Shift, std::vector<T> &Out,
                bool (*Read)(BinaryReader &, const LocationDecoder &, T &)) {
  LocationDecoder L;
  L.setFile(0, Buffer, Shift);
  for (size_t I = From; I < To; ++I) {
    BinaryReader R(List[I].Tree);
    T Value;
    if (!Read(R, L, Value) || !R.atEnd())
      return false;
    Out.push_back(std::move(Value));
  }
  return true;
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
  std::optional<CacheEntry> E = Dir.load(entryName(Key), Key);
  if (!E)
    return std::nullopt;
  std::optional<StoredFile> Old = decodeStored(E->Payload);
  if (!Old)
    return std::nullopt;
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  ast::SourceFile F = emptyFile(BufferID, SM);

  if (Old->Text == Text) {
    if (!readPieces(Old->Items, 0, Old->Items.size(), Text, 0, F.Items, readItem) ||
        !readPieces(Old->Comments, 0, Old->Comments.size(), Text, 0, F.Comments, readComment))
      return std::nullopt;
    ++Report.FilesUnchanged;
    return F;
  }

  std::vector<ItemSpan> Spans;
  for (const StoredFile::Piece &P : Old->Items)
    Spans.push_back({P.Begin, P.End});
  std::optional<ReparsePlan> Plan = planReparse(Old->Text, Spans, Text);
  if (!Plan)
    return std::nullopt;
  DiagnosticEngine Scratch(SM);
  ast::SourceFile Middle = parseBufferRange(BufferID, Plan->Begin, Plan->End,
                                            ast::FileKind::Schema, Scratch);
  if (Scratch.size() != 0)
    return std::nullopt;

  size_t N = Old->Items.size();
  auto CommentsBefore = [&](size_t Offset) {
    size_t I = 0;
    while (I < Old->Comments.size() && Old->Comments[I].Begin < Offset)
      ++I;
    return I;
  };
  size_t FrontComments = CommentsBefore(Plan->OldBegin);
  size_t BackComments = CommentsBefore(Plan->OldEnd);
  if (!readPieces(Old->Items, 0, Plan->KeepFront, Text, 0, F.Items, readItem) ||
      !readPieces(Old->Comments, 0, FrontComments, Text, 0, F.Comments, readComment))
    return std::nullopt;
  for (ast::Item &I : Middle.Items)
    F.Items.push_back(std::move(I));
  for (ast::Comment &C : Middle.Comments)
    F.Comments.push_back(std::move(C));
  if (!readPieces(Old->Items, N - Plan->KeepBack, N, Text, Plan->Shift, F.Items, readItem) ||
      !readPieces(Old->Comments, BackComments, Old->Comments.size(), Text, Plan->Shift,
                  F.Comments, readComment))
    return std::nullopt;

  ++Report.FilesReparsed;
  Report.ItemsReused += unsigned(Plan->KeepFront + Plan->KeepBack);
  Report.ItemsParsed += unsigned(Middle.Items.size());
  storeFile(Path, BufferID, F, SM);
  return F;
}

void BuildCache::storeFile(llvm::StringRef Path, unsigned BufferID, const ast::SourceFile &F,
                           llvm::SourceMgr &SM) {
  llvm::StringRef Text = SM.getMemoryBuffer(BufferID)->getBuffer();
  LocationEncoder L;
  L.addFile(Text);
  BinaryWriter W;
  W.u64(FileFormat);
  W.str(Text);
  W.u64(F.Items.size());
  for (const ast::Item &I : F.Items) {
    ItemSpan S = itemSpan(I, Text.data());
    BinaryWriter Tree;
    writeItem(I, L, Tree);
    W.u64(S.Begin);
    W.u64(S.End);
    W.str(Tree.data());
  }
  W.u64(F.Comments.size());
  for (const ast::Comment &C : F.Comments) {
    BinaryWriter Tree;
    writeComment(C, L, Tree);
    size_t Begin = size_t(C.Range.Start.getPointer() - Text.data());
    W.u64(Begin);
    W.u64(size_t(C.Range.End.getPointer() - Text.data()));
    W.str(Tree.data());
  }
  std::string Key = fileKey(Path);
  if (Dir.store(entryName(Key), Key, W.data()))
    Dir.prune("file-", 1024);
}
