//===- GraphvizLoader.h - Opening Graphviz on demand ------------*- C++ -*-===//
//
// strata does not link Graphviz: its shared libraries (nine on Debian 12,
// with their dependencies) would be mapped and bound at the start of every
// command, each costing a fraction of a millisecond, although only
// pictures need them. Graphviz.cpp opens
// them with these the first time a picture is drawn. Private to
// lib/Render; the unit tests include it for the failure path.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_LIB_RENDER_GRAPHVIZLOADER_H
#define STRATA_LIB_RENDER_GRAPHVIZLOADER_H

#include "llvm/Support/Error.h"

namespace strata::render {

/// Opens the shared object at Path with RTLD_NOW | RTLD_GLOBAL, never to
/// close it. The error reads "Graphviz is not available: " and then
/// dlerror()'s reason, which names the file.
llvm::Expected<void *> openGraphvizLibrary(const char *Path);

/// The address of Name in Library, opened from Path; the error is
/// openGraphvizLibrary's, naming the file and the symbol.
llvm::Expected<void *> findGraphvizSymbol(void *Library, const char *Path, const char *Name);

} // namespace strata::render

#endif
