//===- ASTDumper.h - Text dump of the AST for golden tests ------*- C++ -*-===//
#ifndef STRATA_AST_ASTDUMPER_H
#define STRATA_AST_ASTDUMPER_H

#include "strata/AST/SourceFile.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace strata::ast {

/// One node a line, indented by depth, with `line:col` positions.
void dumpAST(const SourceFile &File, const llvm::SourceMgr &SM, llvm::raw_ostream &OS);

} // namespace strata::ast

#endif
