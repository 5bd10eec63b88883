//===- Uri.cpp - file: URIs and paths --------------------------------------===//
#include "strata/LSP/Workspace.h"
#include "llvm/ADT/StringExtras.h"

using namespace strata;
using namespace strata::lsp;

std::optional<std::string> strata::lsp::uriToPath(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return std::nullopt;
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] != '%') {
      Path.push_back(Uri[I]);
      continue;
    }
    unsigned Byte = 0;
    if (I + 2 >= Uri.size() || Uri.substr(I + 1, 2).getAsInteger(16, Byte))
      return std::nullopt;
    Path.push_back(char(Byte));
    I += 2;
  }
  if (Path.empty() || Path[0] != '/' || Path.find('\0') != std::string::npos)
    return std::nullopt;
  return Path;
}

std::string strata::lsp::pathToUri(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~").contains(C))
      Uri.push_back(char(C));
    else
      Uri += "%" + llvm::utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Uri;
}
