//===- TestFiles.h - Files for unit tests to read ----------------*- C++ -*-===//
#ifndef STRATA_UNITTESTS_TESTFILES_H
#define STRATA_UNITTESTS_TESTFILES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace strata::test {

/// Writes Text to Path, failing the test when the file cannot be written.
inline void writeFile(const llvm::Twine &Path, llvm::StringRef Text) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path.str(), EC);
  ASSERT_FALSE(EC) << EC.message();
  OS << Text;
}

/// Every file under the checkout's test/ and examples/ whose extension is
/// one of Exts (".strata", ...): the corpus the differential tests share.
inline std::vector<std::string> sourceTreeFiles(llvm::ArrayRef<llvm::StringRef> Exts) {
  std::vector<std::string> Out;
  for (const char *Dir : {"test", "examples"}) {
    std::error_code EC;
    std::string Root = std::string(STRATA_SOURCE_DIR) + "/" + Dir;
    for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End; It != End && !EC;
         It.increment(EC))
      if (llvm::is_contained(Exts, llvm::sys::path::extension(It->path())))
        Out.push_back(It->path());
  }
  return Out;
}

/// The file's bytes, or "" when it cannot be read.
inline std::string readFileOrEmpty(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : std::string();
}

} // namespace strata::test

#endif
