//===- SourceFiles.cpp ----------------------------------------------------===//
#include "strata/Support/SourceFiles.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cstring>

using namespace strata;

namespace {
/// The offset of the first byte that is not part of a valid UTF-8 sequence,
/// or npos.
size_t firstInvalidUtf8(llvm::StringRef Text) {
  const auto *Begin = reinterpret_cast<const llvm::UTF8 *>(Text.data());
  const auto *End = Begin + Text.size();
  // Schemas are almost all ASCII: skip ASCII eight bytes at a time, and
  // check the rest from the word that holds the first other byte.
  const llvm::UTF8 *Cursor = Begin;
  while (End - Cursor >= 8) {
    uint64_t Word;
    std::memcpy(&Word, Cursor, sizeof Word);
    if (Word & 0x8080808080808080ull)
      break;
    Cursor += 8;
  }
  if (llvm::isLegalUTF8String(&Cursor, End))
    return llvm::StringRef::npos;
  return static_cast<size_t>(Cursor - Begin);
}

std::optional<unsigned> addChecked(std::unique_ptr<llvm::MemoryBuffer> Buffer,
                                   DiagnosticEngine &Diags, uint64_t MaxBytes) {
  std::string Name = Buffer->getBufferIdentifier().str();
  llvm::StringRef Text = Buffer->getBuffer();
  if (Text.size() > MaxBytes) {
    Diags.reportFile(DiagKind::FileTooLarge, Name, Text.size(), MaxBytes);
    return std::nullopt;
  }
  size_t Bad = firstInvalidUtf8(Text);
  // Register the buffer even when it is not UTF-8, so the diagnostic can
  // point at the offending byte.
  unsigned ID = Diags.sourceMgr().AddNewSourceBuffer(std::move(Buffer), llvm::SMLoc());
  if (Bad != llvm::StringRef::npos) {
    const char *Start = Diags.sourceMgr().getMemoryBuffer(ID)->getBufferStart();
    Diags.report(DiagKind::InvalidUtf8, llvm::SMLoc::getFromPointer(Start + Bad),
                 static_cast<unsigned>(static_cast<unsigned char>(Start[Bad])));
    return std::nullopt;
  }
  return ID;
}
} // namespace

std::optional<unsigned> strata::loadSourceFile(llvm::StringRef Path, DiagnosticEngine &Diags,
                                               uint64_t MaxBytes) {
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status)) {
    Diags.reportFile(DiagKind::FileUnreadable, Path, Path, EC.message());
    return std::nullopt;
  }
  if (llvm::sys::fs::is_directory(Status)) {
    Diags.reportFile(DiagKind::FileUnreadable, Path, Path, "is a directory");
    return std::nullopt;
  }
  if (Status.getSize() > MaxBytes) {
    Diags.reportFile(DiagKind::FileTooLarge, Path, Status.getSize(), MaxBytes);
    return std::nullopt;
  }
  auto BufferOrErr = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                                 /*RequiresNullTerminator=*/true);
  if (!BufferOrErr) {
    Diags.reportFile(DiagKind::FileUnreadable, Path, Path, BufferOrErr.getError().message());
    return std::nullopt;
  }
  return addChecked(std::move(*BufferOrErr), Diags, MaxBytes);
}

std::optional<unsigned> strata::addSourceText(llvm::StringRef Text, llvm::StringRef Name,
                                              DiagnosticEngine &Diags, uint64_t MaxBytes) {
  return addChecked(llvm::MemoryBuffer::getMemBufferCopy(Text, Name), Diags, MaxBytes);
}

std::optional<std::vector<std::string>>
strata::listSourceFiles(llvm::StringRef Dir, llvm::StringRef Extension, DiagnosticEngine &Diags) {
  if (!llvm::sys::fs::is_directory(Dir)) {
    Diags.reportFile(DiagKind::DirectoryUnreadable, Dir, Dir,
                     llvm::sys::fs::exists(Dir) ? "not a directory" : "no such directory");
    return std::nullopt;
  }
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef Path = It->path();
    if (Path.endswith(Extension) && It->type() != llvm::sys::fs::file_type::directory_file)
      Files.push_back(Path.str());
  }
  if (EC) {
    Diags.reportFile(DiagKind::DirectoryUnreadable, Dir, Dir, EC.message());
    return std::nullopt;
  }
  std::sort(Files.begin(), Files.end());
  return Files;
}

std::optional<unsigned> strata::loadSourceFileOrOverlay(llvm::StringRef Path,
                                                        const SourceOverlay *Overlay,
                                                        DiagnosticEngine &Diags) {
  if (Overlay)
    if (auto It = Overlay->find(Path); It != Overlay->end())
      return addSourceText(It->second, Path, Diags);
  return loadSourceFile(Path, Diags);
}
