//===- SourceFiles.cpp ----------------------------------------------------===//
#include "strata/Support/SourceFiles.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

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

// A history of a thousand migrations is a thousand files: each is opened,
// examined and read through one descriptor (four system calls; a path
// stat before, LLVM's getFile and a stat after took nine, which a VM
// makes dear), and its status comes from that descriptor.
std::optional<unsigned> strata::loadSourceFile(llvm::StringRef Path, DiagnosticEngine &Diags,
                                               uint64_t MaxBytes,
                                               std::optional<FileStatus> *Status) {
  auto Unreadable = [&](const std::string &Why) {
    Diags.reportFile(DiagKind::FileUnreadable, Path, Path, Why);
    return std::nullopt;
  };
  llvm::Expected<llvm::sys::fs::file_t> FD = llvm::sys::fs::openNativeFileForRead(Path);
  if (!FD)
    return Unreadable(llvm::errorToErrorCode(FD.takeError()).message());
  auto Close = llvm::make_scope_exit([&] { ::close(*FD); });
  std::optional<OpenFileStatus> St = statOpenFile(*FD);
  if (!St)
    return Unreadable(std::error_code(errno, std::generic_category()).message());
  if (St->Directory)
    return Unreadable("is a directory");
  uint64_t Size = St->Regular ? St->Regular->Size : 0;
  if (Size > MaxBytes) {
    Diags.reportFile(DiagKind::FileTooLarge, Path, Size, MaxBytes);
    return std::nullopt;
  }
  // A regular file is read at its size; anything else (a pipe) to its end.
  auto BufferOrErr = llvm::MemoryBuffer::getOpenFile(*FD, Path, St->Regular ? Size : uint64_t(-1));
  if (!BufferOrErr)
    return Unreadable(BufferOrErr.getError().message());
  if (Status)
    *Status = St->Regular;
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
