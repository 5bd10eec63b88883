//===- SourceFiles.h - Loading source files safely --------------*- C++ -*-===//
#ifndef STRATA_SUPPORT_SOURCEFILES_H
#define STRATA_SUPPORT_SOURCEFILES_H

#include "strata/Support/Diagnostics.h"
#include "strata/Support/FileStatus.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// Larger files are refused with a diagnostic instead of exhausting memory.
constexpr uint64_t MaxSourceFileBytes = 64ull << 20;

/// Reads Path into the engine's SourceMgr and returns its buffer id. Reports
/// an unreadable, oversized or non-UTF-8 file and returns nullopt. A UTF-8
/// byte-order mark is accepted. Status, when given, gets the status of
/// the file the bytes were read from (taken from the open file, so it
/// cannot describe another file put at Path meanwhile), if it is a
/// regular file.
std::optional<unsigned> loadSourceFile(llvm::StringRef Path, DiagnosticEngine &Diags,
                                       uint64_t MaxBytes = MaxSourceFileBytes,
                                       std::optional<FileStatus> *Status = nullptr);

/// Adds in-memory text as a buffer named Name, after the same checks.
std::optional<unsigned> addSourceText(llvm::StringRef Text, llvm::StringRef Name,
                                      DiagnosticEngine &Diags,
                                      uint64_t MaxBytes = MaxSourceFileBytes);

/// Texts that stand for files on disk, by path (an editor's unsaved
/// buffers): a reader given one uses its text instead of the file's.
using SourceOverlay = llvm::StringMap<std::string>;

/// loadSourceFile, or addSourceText of Overlay's text for Path when it has one.
std::optional<unsigned> loadSourceFileOrOverlay(llvm::StringRef Path, const SourceOverlay *Overlay,
                                                DiagnosticEngine &Diags);

/// The files under Dir (recursively) whose names end in Extension, sorted
/// by path so that every run sees them in the same order. Reports a missing
/// or unreadable directory.
std::optional<std::vector<std::string>>
listSourceFiles(llvm::StringRef Dir, llvm::StringRef Extension, DiagnosticEngine &Diags);

} // namespace strata

#endif
