//===- TestFiles.h - Files for unit tests to read ----------------*- C++ -*-===//
#ifndef STRATA_UNITTESTS_TESTFILES_H
#define STRATA_UNITTESTS_TESTFILES_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

namespace strata::test {

/// Writes Text to Path, failing the test when the file cannot be written.
inline void writeFile(const llvm::Twine &Path, llvm::StringRef Text) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path.str(), EC);
  ASSERT_FALSE(EC) << EC.message();
  OS << Text;
}

} // namespace strata::test

#endif
