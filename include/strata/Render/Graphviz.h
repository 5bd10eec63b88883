//===- Graphviz.h - Laying out a DOT graph with Graphviz --------*- C++ -*-===//
//
// The only door to Graphviz's library: everything else writes DOT text
// (strata/Graph/HistoryGraph.h) and never sees a Graphviz type. Nothing
// links against Graphviz: the first picture of a process opens its
// libraries (lib/Render/Graphviz.cpp), so other commands never load them.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RENDER_GRAPHVIZ_H
#define STRATA_RENDER_GRAPHVIZ_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>

namespace strata::render {

/// Lays out Dot with Graphviz's `dot` layout and renders it as a
/// standalone SVG document: a `<g class="node">` per node and a
/// `<g class="edge">` per edge, each with its `<title>`. Graphviz's own
/// message is the error when Dot does not parse or cannot be laid out;
/// "Graphviz is not available: ..." (the library and dlerror()'s reason)
/// when its libraries cannot be opened.
/// Not safe to call from two threads at once (Graphviz keeps global state).
llvm::Expected<std::string> renderSvg(llvm::StringRef Dot);

} // namespace strata::render

#endif
