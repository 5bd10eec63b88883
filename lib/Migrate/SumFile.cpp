//===- SumFile.cpp - Reading, checking and writing strata.sum -------------===//
#include "strata/Migrate/SumFile.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <map>

using namespace strata;

std::string strata::sumFilePath(llvm::StringRef Dir) {
  llvm::SmallString<128> Path(Dir);
  llvm::sys::path::append(Path, SumFileName);
  return Path.str().str();
}

namespace {
std::string fileLine(const SumEntry &E) { return E.File + " h1:" + E.Checksum + "\n"; }

bool isHex64(llvm::StringRef S) {
  return S.size() == 64 &&
         llvm::all_of(S, [](char C) { return llvm::isDigit(C) || (C >= 'a' && C <= 'f'); });
}
} // namespace

std::string strata::renderSumFile(std::vector<SumEntry> Entries) {
  std::sort(Entries.begin(), Entries.end(),
            [](const SumEntry &A, const SumEntry &B) { return A.File < B.File; });
  std::string Body;
  for (const SumEntry &E : Entries)
    Body += fileLine(E);
  return "h1:" + sha256Hex(Body) + "\n" + Body;
}

std::vector<SumEntry> strata::sumEntries(const MigrationGraph &Graph) {
  std::vector<SumEntry> Out;
  for (const Migration *M : Graph.order())
    Out.push_back({M->Name + ".mig", M->Checksum});
  return Out;
}

bool strata::verifySumFile(llvm::StringRef Dir, const std::vector<SumEntry> &Entries,
                           DiagnosticEngine &Diags) {
  std::string SumPath = sumFilePath(Dir);
  auto Buffer = llvm::MemoryBuffer::getFile(SumPath, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer) {
    if (Entries.empty() && Buffer.getError() == std::errc::no_such_file_or_directory)
      return true;
    if (Buffer.getError() == std::errc::no_such_file_or_directory)
      Diags.reportFile(DiagKind::SumFileMissing, SumPath, Dir.str());
    else
      Diags.reportFile(DiagKind::FileUnreadable, SumPath, SumPath, Buffer.getError().message());
    return false;
  }

  // Parse: `h1:<hex>` then `NAME h1:<hex>` lines.
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();
  std::map<std::string, std::string, std::less<>> Recorded;
  std::string Body;
  bool Ok = true;
  auto Malformed = [&](size_t Line, const char *Why) {
    Diags.reportFile(DiagKind::SumFileMalformed, SumPath, Line, std::string(Why));
    Ok = false;
  };
  if (Lines.empty() || !Lines[0].startswith("h1:") || !isHex64(Lines[0].drop_front(3))) {
    Malformed(1, "expected `h1:` and a SHA-256 in hex");
    return false;
  }
  for (size_t I = 1; I < Lines.size(); ++I) {
    auto [File, Sum] = Lines[I].split(' ');
    if (!Sum.startswith("h1:") || !isHex64(Sum.drop_front(3)) || File.empty()) {
      Malformed(I + 1, "expected `NNNN_name.mig h1:` and a SHA-256 in hex");
      continue;
    }
    Recorded[File.str()] = Sum.drop_front(3).str();
    Body += Lines[I].str() + "\n";
  }
  if (!Ok)
    return false;
  if (Lines[0].drop_front(3) != sha256Hex(Body)) {
    Malformed(1, "the directory hash does not match the lines below it");
    return false;
  }

  for (const SumEntry &E : Entries) {
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, E.File);
    auto It = Recorded.find(E.File);
    if (It == Recorded.end()) {
      Diags.reportFile(DiagKind::MigrationAdded, Path, E.File);
      Ok = false;
    } else if (It->second != E.Checksum) {
      Diags.reportFile(DiagKind::MigrationEdited, Path, E.File);
      Ok = false;
    }
  }
  llvm::StringSet<> OnDisk;
  for (const SumEntry &E : Entries)
    OnDisk.insert(E.File);
  for (const auto &[File, Sum] : Recorded) {
    if (OnDisk.count(File))
      continue;
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, File);
    Diags.reportFile(DiagKind::MigrationRemoved, Path, File);
    Ok = false;
  }
  return Ok;
}

std::optional<size_t> strata::writeSumFile(llvm::StringRef Dir, DiagnosticEngine &Diags) {
  std::optional<std::vector<std::string>> Listed = listMigrationFiles(Dir, Diags);
  if (!Listed)
    return std::nullopt;
  std::vector<std::string> Names = std::move(*Listed);
  std::vector<SumEntry> Entries;
  for (const std::string &Name : Names) {
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, Name);
    auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!Buffer) {
      Diags.reportFile(DiagKind::FileUnreadable, Path, Path.str().str(),
                       Buffer.getError().message());
      return std::nullopt;
    }
    Entries.push_back({Name, sha256Hex((*Buffer)->getBuffer())});
  }
  std::string Text = renderSumFile(Entries);
  std::string SumPath = sumFilePath(Dir);
  std::string Temp = SumPath + ".tmp";
  {
    std::error_code WEC;
    llvm::raw_fd_ostream OS(Temp, WEC);
    if (!WEC) {
      OS << Text;
      OS.close();
      if (OS.has_error())
        WEC = OS.error();
    }
    if (WEC) {
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      Diags.reportFile(DiagKind::SumFileCannotWrite, SumPath, SumPath, WEC.message());
      return std::nullopt;
    }
  }
  if (std::error_code REC = llvm::sys::fs::rename(Temp, SumPath)) {
    llvm::sys::fs::remove(Temp);
    Diags.reportFile(DiagKind::SumFileCannotWrite, SumPath, SumPath, REC.message());
    return std::nullopt;
  }
  return Entries.size();
}

std::optional<MigrationGraph> strata::loadHistory(llvm::StringRef Dir, DiagnosticEngine &Diags,
                                                  const SourceOverlay *Overlay,
                                                  const MigrationFileFeed *Feed) {
  std::optional<MigrationGraph> G = MigrationGraph::load(Dir, Diags, Overlay, Feed);
  if (!G)
    return std::nullopt;
  if (!llvm::sys::fs::is_directory(Dir))
    return G;
  if (!verifySumFile(Dir, sumEntries(*G), Diags))
    return std::nullopt;
  return G;
}
