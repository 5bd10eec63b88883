//===- FeatureSupport.cpp - Pieces the request handlers share -------------===//
#include "FeatureSupport.h"
#include "DiagnosticsJson.h"
#include "strata/LSP/Server.h"
#include "strata/Support/Version.h"

using namespace strata;
using namespace strata::lsp;

llvm::ArrayRef<llvm::StringRef> strata::lsp::semanticTokenTypes() {
  // Standard LSP token types, so that every theme colours them.
  static const llvm::StringRef Types[] = {"class",     "struct",   "interface", "property",
                                          "type",      "variable", "function",  "comment",
                                          "namespace", "string",   "number"};
  return Types;
}

llvm::ArrayRef<llvm::StringRef> strata::lsp::semanticTokenModifiers() {
  static const llvm::StringRef Modifiers[] = {"declaration"};
  return Modifiers;
}

const char *strata::lsp::strataVersion() { return StrataVersion; }

llvm::Expected<Position> strata::lsp::positionParam(const llvm::json::Object &O,
                                                    llvm::StringRef Key) {
  const llvm::json::Object *P = O.getObject(Key);
  llvm::Optional<int64_t> Line = P ? P->getInteger("line") : llvm::None;
  llvm::Optional<int64_t> Char = P ? P->getInteger("character") : llvm::None;
  if (!Line || !Char || *Line < 0 || *Char < 0 || *Line > UINT32_MAX || *Char > UINT32_MAX)
    return invalidParams("`" + Key + "` must be a position {line, character}");
  return Position{uint32_t(*Line), uint32_t(*Char)};
}

llvm::Expected<std::pair<Position, Position>> strata::lsp::rangeParam(const llvm::json::Object &O,
                                                                      llvm::StringRef Key) {
  const llvm::json::Object *R = O.getObject(Key);
  if (!R)
    return invalidParams("`" + Key + "` must be a range {start, end}");
  llvm::Expected<Position> Start = positionParam(*R, "start");
  if (!Start)
    return Start.takeError();
  llvm::Expected<Position> End = positionParam(*R, "end");
  if (!End)
    return End.takeError();
  return std::make_pair(*Start, *End);
}

std::pair<size_t, size_t> strata::lsp::offsetsIn(llvm::SMRange R, llvm::StringRef Text) {
  auto Clamp = [&](llvm::SMLoc L) -> size_t {
    const char *P = L.getPointer();
    if (!P || P < Text.begin())
      return 0;
    return std::min(size_t(P - Text.begin()), Text.size());
  };
  size_t B = Clamp(R.Start), E = R.End.isValid() ? Clamp(R.End) : B;
  return {B, std::max(B, E)};
}

llvm::json::Object strata::lsp::rangeIn(llvm::SMRange R, llvm::StringRef Text,
                                        const LineIndex &Lines) {
  auto [B, E] = offsetsIn(R, Text);
  return lspRange(Lines.position(B), Lines.position(E));
}
