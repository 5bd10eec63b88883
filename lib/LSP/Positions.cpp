//===- Positions.cpp - LSP positions and byte offsets ---------------------===//
#include "strata/LSP/Positions.h"
#include <algorithm>

using namespace strata::lsp;

namespace {
/// Bytes of the UTF-8 sequence that starts with byte C (1 for a stray
/// continuation byte or an invalid lead byte, so every byte is consumed).
size_t sequenceLength(unsigned char C) {
  if (C >= 0xF0 && C <= 0xF7)
    return 4;
  if (C >= 0xE0)
    return C <= 0xEF ? 3 : 1;
  if (C >= 0xC0)
    return 2;
  return 1;
}
} // namespace

size_t strata::lsp::utf16Length(llvm::StringRef S) {
  size_t Units = 0;
  for (size_t I = 0; I < S.size();) {
    size_t N = std::min(sequenceLength(S[I]), S.size() - I);
    Units += N == 4 ? 2 : 1;
    I += N;
  }
  return Units;
}

LineIndex::LineIndex(llvm::StringRef Text) : Text(Text) {
  LineStarts.push_back(0);
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      LineStarts.push_back(I + 1);
}

Position LineIndex::position(size_t Offset) const {
  Offset = std::min(Offset, Text.size());
  auto It = std::upper_bound(LineStarts.begin(), LineStarts.end(), Offset);
  size_t Line = size_t(It - LineStarts.begin()) - 1;
  Position P;
  P.Line = uint32_t(Line);
  P.Character = uint32_t(utf16Length(Text.slice(LineStarts[Line], Offset)));
  return P;
}

size_t LineIndex::offset(Position P) const {
  if (P.Line >= LineStarts.size())
    return Text.size();
  size_t I = LineStarts[P.Line];
  size_t End = P.Line + 1 < LineStarts.size() ? LineStarts[P.Line + 1] - 1 : Text.size();
  // Step over whole characters while their UTF-16 units fit; a position in
  // the middle of a surrogate pair stays before the character.
  for (uint32_t Units = 0; I < End;) {
    size_t N = std::min(sequenceLength(Text[I]), End - I);
    uint32_t W = N == 4 ? 2 : 1;
    if (Units + W > P.Character)
      break;
    Units += W;
    I += N;
  }
  return I;
}
