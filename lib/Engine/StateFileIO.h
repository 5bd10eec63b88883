//===- StateFileIO.h - File primitives for the state file and journal -*- C++ -*-===//
//
// Shared by the snapshot (StateFileIO.cpp), the journal (StateJournal.cpp)
// and the commit logic (StateFileCommit.cpp): every file is opened without
// following links and checked to be a regular file before it is read, and
// every replacement goes through a fresh O_EXCL temporary, fsync'ed and
// renamed, with the directory fsync'ed after.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_ENGINE_STATEFILEIO_H
#define STRATA_LIB_ENGINE_STATEFILEIO_H

#include "strata/Support/Sha256.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>

namespace strata::engine::io {

llvm::Error failure(const std::string &Message);
using strata::sha256Hex; // strata/Support/Sha256.h

/// Reads at most Limit bytes of the regular file Path (not following a
/// link); Missing is set, with an empty result, when there is no file.
/// What names the file in errors ("state file", "journal"). A file larger
/// than MaxStateFileBytes is refused when Limit is that bound.
llvm::Expected<std::string> readRegularFile(const std::string &Path, uint64_t Limit, bool &Missing,
                                            llvm::StringRef What);
/// Refuses Path when it exists and is not a regular file; a symbolic link
/// is refused too (strata never makes one there).
llvm::Error checkNotLinkOrSpecial(const std::string &Path, llvm::StringRef What);
/// Writes Text to a fresh temporary beside Path and renames it over Path,
/// both synced to disk.
llvm::Error replaceFile(const std::string &Path, llvm::StringRef Text);
/// The state file's text: the header for Body (whose SHA-256 is
/// BodyDigest), then Body.
std::string snapshotText(llvm::StringRef Body, llvm::StringRef BodyDigest);
/// Makes a rename or unlink in Path's directory durable.
void syncDirectoryOf(const std::string &Path);
/// Writes all of Data at Offset of Fd.
llvm::Error writeAllAt(int Fd, llvm::StringRef Data, uint64_t Offset, const std::string &Path);

} // namespace strata::engine::io

#endif
