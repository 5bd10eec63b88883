//===- GraphvizLoader.cpp - Opening Graphviz on demand --------------------===//
//
// dlopen and dlsym, with their failures as errors: a machine without
// Graphviz's runtime libraries still runs every command that draws no
// picture, and the one that does reports why it cannot.
//
//===----------------------------------------------------------------------===//
#include "GraphvizLoader.h"
#include <dlfcn.h>
#include <string>

using namespace strata;

namespace {
/// dlerror()'s reason for the last failure, which names the file in
/// glibc; when it does not, the name is added.
llvm::Error unavailable(llvm::StringRef Path) {
  const char *Reason = dlerror();
  std::string Text = Reason ? Reason : "unknown error";
  if (!llvm::StringRef(Text).contains(Path))
    Text = (Path + ": " + Text).str();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "Graphviz is not available: " + Text);
}
} // namespace

llvm::Expected<void *> render::openGraphvizLibrary(const char *Path) {
  // RTLD_NOW: a symbol the library cannot bind fails here, as an error,
  // rather than in the middle of a layout. RTLD_GLOBAL: what the plugins
  // use from libgvc and libcgraph binds to these copies. Never closed: the
  // built-ins handed to Graphviz point into the plugins, and a process
  // that drew one picture may draw another.
  if (void *Library = dlopen(Path, RTLD_NOW | RTLD_GLOBAL))
    return Library;
  return unavailable(Path);
}

llvm::Expected<void *> render::findGraphvizSymbol(void *Library, const char *Path,
                                                  const char *Name) {
  dlerror(); // forget an earlier failure's reason
  if (void *Address = dlsym(Library, Name))
    return Address;
  return unavailable(Path);
}
