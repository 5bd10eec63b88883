//===- Navigation.cpp - Hover, go to definition, find references ---------===//
//
// Answered from the workspace's symbol index, across the schema files and
// the migrations. A cursor on nothing the index knows gets the empty
// answer LSP allows (null or []), never an error.
//
//===----------------------------------------------------------------------===//
#include "FeatureSupport.h"
#include "IndexJson.h"
#include "strata/LSP/Server.h"

using namespace strata;
using namespace strata::lsp;

llvm::Expected<Server::Cursor> Server::cursor(const llvm::json::Value &Params,
                                              IndexRanges &Ranges) {
  llvm::Expected<std::string> Path = documentPath(Params);
  if (!Path)
    return Path.takeError();
  llvm::Expected<Position> Pos = positionParam(*Params.getAsObject(), "position");
  if (!Pos)
    return Pos.takeError();
  return Cursor{*Path, Ranges.offset(*Path, *Pos)};
}

llvm::Expected<llvm::json::Value> Server::hover(const llvm::json::Value &Params) {
  const index::SymbolIndex &Index = Files.symbols();
  IndexRanges Ranges(Index);
  llvm::Expected<Cursor> At = cursor(Params, Ranges);
  if (!At)
    return At.takeError();
  std::optional<index::Hover> H = Index.hover(At->Path, At->Offset);
  if (!H)
    return nullptr;
  return llvm::json::Object{
      {"contents", llvm::json::Object{{"kind", "markdown"}, {"value", std::move(H->Markdown)}}},
      {"range", Ranges.range(H->Range.Path, H->Range.Begin, H->Range.End)}};
}

llvm::Expected<llvm::json::Value> Server::definition(const llvm::json::Value &Params) {
  const index::SymbolIndex &Index = Files.symbols();
  IndexRanges Ranges(Index);
  llvm::Expected<Cursor> At = cursor(Params, Ranges);
  if (!At)
    return At.takeError();
  llvm::json::Array Out;
  for (const index::Location &L : Index.definition(At->Path, At->Offset))
    Out.push_back(Ranges.location(L));
  return Out;
}

llvm::Expected<llvm::json::Value> Server::references(const llvm::json::Value &Params) {
  const index::SymbolIndex &Index = Files.symbols();
  IndexRanges Ranges(Index);
  llvm::Expected<Cursor> At = cursor(Params, Ranges);
  if (!At)
    return At.takeError();
  bool IncludeDeclaration = false;
  if (const llvm::json::Object *Context = Params.getAsObject()->getObject("context"))
    IncludeDeclaration = Context->getBoolean("includeDeclaration").getValueOr(false);
  llvm::json::Array Out;
  for (const index::Occurrence &O : Index.references(At->Path, At->Offset, IncludeDeclaration))
    Out.push_back(Ranges.location(O.Loc));
  return Out;
}
