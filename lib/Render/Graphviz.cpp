//===- Graphviz.cpp - Laying out a DOT graph with Graphviz ----------------===//
//
// Graphviz finds its plugins through a configuration file written when the
// package is installed, and would then measure text with whatever fonts
// the machine has. Instead the two plugins needed here, `dot` layout and
// the core SVG renderer, are linked in and handed over as built-ins: the
// picture then depends only on the DOT text and the Graphviz version, and
// no plugin search happens at run time.
//
//===----------------------------------------------------------------------===//
#include "strata/Render/Graphviz.h"
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <memory>

extern "C" {
extern gvplugin_library_t gvplugin_core_LTX_library;
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
}

using namespace strata;

namespace {
const lt_symlist_t Builtins[] = {
    {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
    {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
    {nullptr, nullptr},
};

/// Graphviz reports errors through a callback (by default it prints them):
/// collected here, to become the llvm::Error.
std::string &graphvizMessages() {
  static std::string Messages;
  return Messages;
}

int collectMessage(char *Text) {
  graphvizMessages() += Text;
  return 0;
}

llvm::Error failure(llvm::StringRef What) {
  std::string Why = llvm::StringRef(graphvizMessages()).trim().str();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 What + (Why.empty() ? std::string() : ": " + Why));
}

struct ContextFree {
  void operator()(GVC_t *C) const { gvFreeContext(C); }
};
struct GraphClose {
  void operator()(Agraph_t *G) const { agclose(G); }
};
} // namespace

llvm::Expected<std::string> render::renderSvg(llvm::StringRef Dot) {
  graphvizMessages().clear();
  agseterrf(collectMessage);
  std::unique_ptr<GVC_t, ContextFree> Context(gvContextPlugins(Builtins, /*demand_loading=*/0));
  if (!Context)
    return failure("Graphviz could not start");
  std::string Text = Dot.str(); // agmemread wants a NUL-terminated string
  std::unique_ptr<Agraph_t, GraphClose> Graph(agmemread(Text.c_str()));
  if (!Graph)
    return failure("Graphviz could not read the graph");
  if (gvLayout(Context.get(), Graph.get(), "dot") != 0)
    return failure("Graphviz could not lay out the graph");
  char *Data = nullptr;
  unsigned int Length = 0;
  int Status = gvRenderData(Context.get(), Graph.get(), "svg", &Data, &Length);
  std::string Svg = Status == 0 && Data ? std::string(Data, Length) : std::string();
  gvFreeRenderData(Data);
  gvFreeLayout(Context.get(), Graph.get());
  if (Status != 0)
    return failure("Graphviz could not render the graph as SVG");
  return Svg;
}
