//===- Graphviz.cpp - Laying out a DOT graph with Graphviz ----------------===//
//
// Graphviz finds its plugins through a configuration file written when the
// package is installed, and would then measure text with whatever fonts
// the machine has. Instead the two plugins needed here, `dot` layout and
// the core SVG renderer, are handed over as built-ins: the picture then
// depends only on the DOT text and the Graphviz version, and no plugin
// search happens at run time.
//
// Graphviz is not linked either: its shared libraries would cost every
// command's start-up, though only pictures use them. The first picture of
// a process opens libcgraph, libgvc and the two plugins from the absolute
// paths CMake found (lib/Render/CMakeLists.txt) and looks up the few
// symbols used here; the headers still give their types.
//
//===----------------------------------------------------------------------===//
#include "strata/Render/Graphviz.h"
#include "GraphvizLoader.h"
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <memory>

using namespace strata;

namespace {
/// The part of Graphviz used here, found by name. Each pointer has the
/// type of the function its header declares (decltype does not use the
/// function, so nothing is linked) and keeps its name.
struct GraphvizApi {
  decltype(&::agseterrf) agseterrf;
  decltype(&::agmemread) agmemread;
  decltype(&::agclose) agclose;
  decltype(&::gvContextPlugins) gvContextPlugins;
  decltype(&::gvLayout) gvLayout;
  decltype(&::gvRenderData) gvRenderData;
  decltype(&::gvFreeRenderData) gvFreeRenderData;
  decltype(&::gvFreeLayout) gvFreeLayout;
  decltype(&::gvFreeContext) gvFreeContext;
  /// The plugins' libraries as built-ins for gvContextPlugins, which keeps
  /// the pointer: the table lives as long as the process.
  lt_symlist_t Builtins[3];
};

/// Sets Into to the address of Name in Library (opened from Path).
template <typename Pointer>
llvm::Error find(void *Library, const char *Path, const char *Name, Pointer &Into) {
  llvm::Expected<void *> Address = render::findGraphvizSymbol(Library, Path, Name);
  if (!Address)
    return Address.takeError();
  Into = reinterpret_cast<Pointer>(*Address);
  return llvm::Error::success();
}

llvm::Error loadCgraph(GraphvizApi &Api) {
  const char *Path = STRATA_GRAPHVIZ_CGRAPH;
  llvm::Expected<void *> Library = render::openGraphvizLibrary(Path);
  if (!Library)
    return Library.takeError();
  if (llvm::Error E = find(*Library, Path, "agseterrf", Api.agseterrf))
    return E;
  if (llvm::Error E = find(*Library, Path, "agmemread", Api.agmemread))
    return E;
  return find(*Library, Path, "agclose", Api.agclose);
}

llvm::Error loadGvc(GraphvizApi &Api) {
  const char *Path = STRATA_GRAPHVIZ_GVC;
  llvm::Expected<void *> Library = render::openGraphvizLibrary(Path);
  if (!Library)
    return Library.takeError();
  if (llvm::Error E = find(*Library, Path, "gvContextPlugins", Api.gvContextPlugins))
    return E;
  if (llvm::Error E = find(*Library, Path, "gvLayout", Api.gvLayout))
    return E;
  if (llvm::Error E = find(*Library, Path, "gvRenderData", Api.gvRenderData))
    return E;
  if (llvm::Error E = find(*Library, Path, "gvFreeRenderData", Api.gvFreeRenderData))
    return E;
  if (llvm::Error E = find(*Library, Path, "gvFreeLayout", Api.gvFreeLayout))
    return E;
  return find(*Library, Path, "gvFreeContext", Api.gvFreeContext);
}

/// Sets Builtin to the plugin library Name of the plugin at Path.
llvm::Error loadPlugin(const char *Path, const char *Name, lt_symlist_t &Builtin) {
  llvm::Expected<void *> Library = render::openGraphvizLibrary(Path);
  if (!Library)
    return Library.takeError();
  Builtin.name = Name;
  return find(*Library, Path, Name, Builtin.address);
}

/// libcgraph first, then libgvc, which the plugins need. Api's third
/// built-in stays null, ending the list.
llvm::Error load(GraphvizApi &Api) {
  if (llvm::Error E = loadCgraph(Api))
    return E;
  if (llvm::Error E = loadGvc(Api))
    return E;
  if (llvm::Error E =
          loadPlugin(STRATA_GRAPHVIZ_CORE_PLUGIN, "gvplugin_core_LTX_library", Api.Builtins[0]))
    return E;
  return loadPlugin(STRATA_GRAPHVIZ_DOT_LAYOUT_PLUGIN, "gvplugin_dot_layout_LTX_library",
                    Api.Builtins[1]);
}

/// Graphviz, loaded by the first picture of the process and kept; when it
/// cannot be, the reason is kept too and every picture fails alike.
llvm::Expected<const GraphvizApi &> graphviz() {
  struct Loaded {
    GraphvizApi Api{};
    std::string Error;
  };
  // A function-local static: loaded once, even when two threads ask.
  static const Loaded Once = [] {
    Loaded L;
    if (llvm::Error E = load(L.Api))
      L.Error = llvm::toString(std::move(E));
    return L;
  }();
  if (!Once.Error.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Once.Error);
  return Once.Api;
}

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
} // namespace

llvm::Expected<std::string> render::renderSvg(llvm::StringRef Dot) {
  llvm::Expected<const GraphvizApi &> Loaded = graphviz();
  if (!Loaded)
    return Loaded.takeError();
  const GraphvizApi &G = *Loaded;
  graphvizMessages().clear();
  G.agseterrf(collectMessage);
  std::unique_ptr<GVC_t, decltype(G.gvFreeContext)> Context(
      G.gvContextPlugins(G.Builtins, /*demand_loading=*/0), G.gvFreeContext);
  if (!Context)
    return failure("Graphviz could not start");
  std::string Text = Dot.str(); // agmemread wants a NUL-terminated string
  std::unique_ptr<Agraph_t, decltype(G.agclose)> Graph(G.agmemread(Text.c_str()), G.agclose);
  if (!Graph)
    return failure("Graphviz could not read the graph");
  if (G.gvLayout(Context.get(), Graph.get(), "dot") != 0)
    return failure("Graphviz could not lay out the graph");
  char *Data = nullptr;
  unsigned int Length = 0;
  int Status = G.gvRenderData(Context.get(), Graph.get(), "svg", &Data, &Length);
  std::string Svg = Status == 0 && Data ? std::string(Data, Length) : std::string();
  G.gvFreeRenderData(Data);
  G.gvFreeLayout(Context.get(), Graph.get());
  if (Status != 0)
    return failure("Graphviz could not render the graph as SVG");
  return Svg;
}
