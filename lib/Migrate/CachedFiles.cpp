//===- CachedFiles.cpp - Schema files' syntax trees in the build cache ----===//
//
// One entry per schema file path holds the last clean parse of the file as
// pieces (strata/Serialize/ParsePieces.h): its text, then each item and each
// comment with its span and its tree. reparseFromPieces reads an unchanged
// file back whole and sends only the text an edit touched through the
// parser. A reparse that reports anything is thrown away and the whole file
// parsed, so diagnostics are always a full parse's.
//
//===----------------------------------------------------------------------===//
#include "strata/Migrate/BuildCache.h"
#include "strata/Parse/Parser.h"
#include "strata/Serialize/Binary.h"
#include "strata/Serialize/ParsePieces.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"

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

std::string encodeStored(const ParsePieces &P) {
  BinaryWriter W;
  W.u64(FileFormat);
  W.str(P.Text);
  auto List = [&](const std::vector<ItemSpan> &Spans, const std::vector<std::string> &Trees) {
    W.u64(Spans.size());
    for (size_t I = 0; I < Spans.size(); ++I) {
      W.u64(Spans[I].Begin);
      W.u64(Spans[I].End);
      W.str(Trees[I]);
    }
  };
  List(P.Items, P.ItemTrees);
  List(P.Comments, P.CommentTrees);
  return W.take();
}

std::optional<ParsePieces> decodeStored(llvm::StringRef Payload) {
  BinaryReader R(Payload);
  ParsePieces P;
  if (R.u64() != FileFormat)
    return std::nullopt;
  P.Text = R.str().str();
  auto List = [&](std::vector<ItemSpan> &Spans, std::vector<std::string> &Trees) {
    for (uint64_t I = 0, N = R.count(3); I < N && R.ok(); ++I) {
      ItemSpan S;
      S.Begin = R.u64();
      S.End = R.u64();
      Trees.push_back(R.str().str());
      if (S.Begin > S.End || S.End > P.Text.size())
        R.fail();
      Spans.push_back(S);
    }
  };
  List(P.Items, P.ItemTrees);
  List(P.Comments, P.CommentTrees);
  if (!R.ok() || !R.atEnd())
    return std::nullopt;
  return P;
}

void storeEntry(const CacheDir &Store, llvm::StringRef Key, const ParsePieces &P) {
  if (Store.store(entryName(Key), Key, encodeStored(P)))
    Store.prune("file-", 1024);
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
  std::optional<ParsePieces> Old = decodeStored(E->Payload);
  if (!Old)
    return std::nullopt;
  std::optional<Reparsed> R = reparseFromPieces(*Old, SM, BufferID);
  if (!R)
    return std::nullopt;
  if (Old->Text == R->Pieces.Text) {
    ++Report.FilesUnchanged;
    return std::move(R->File);
  }
  storeEntry(Store, Key, R->Pieces);
  ++Report.FilesReparsed;
  Report.ItemsReused += unsigned(R->ItemsKept);
  Report.ItemsParsed += unsigned(R->ItemsParsed);
  return std::move(R->File);
}

void BuildCache::storeFile(llvm::StringRef Path, unsigned BufferID, const ast::SourceFile &F,
                           llvm::SourceMgr &SM) {
  storeEntry(Store, fileKey(Path), cutPieces(F, SM.getMemoryBuffer(BufferID)->getBuffer()));
}
