//===- ExecError.h - One way to make an error message an llvm::Error -*- C++ -*-===//
#ifndef STRATA_LIB_EXEC_EXECERROR_H
#define STRATA_LIB_EXEC_EXECERROR_H

#include "llvm/Support/Error.h"
#include <string>

namespace strata::exec {

/// An error whose message is shown to the user as it is.
inline llvm::Error execError(const std::string &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

} // namespace strata::exec

#endif
