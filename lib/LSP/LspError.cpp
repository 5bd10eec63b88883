//===- LspError.cpp - A request's failure ---------------------------------===//
#include "strata/LSP/Server.h"

using namespace strata::lsp;

char LspError::ID;

llvm::Error strata::lsp::invalidParams(const llvm::Twine &Why) {
  return llvm::make_error<LspError>(ErrorCode::InvalidParams, Why.str());
}
