//===- SourcePositions.cpp ------------------------------------------------===//
#include "SourcePositions.h"
#include <algorithm>

using namespace strata::parse;

SourcePositions::SourcePositions(llvm::StringRef Text) : Text(Text) {
  bool Ascii = std::all_of(Text.begin(), Text.end(),
                           [](char C) { return static_cast<unsigned char>(C) < 0x80; });
  if (Ascii)
    return;
  ByteOffsets.reserve(Text.size() + 1);
  for (size_t I = 0; I < Text.size(); ++I)
    if ((static_cast<unsigned char>(Text[I]) & 0xC0) != 0x80)
      ByteOffsets.push_back(static_cast<uint32_t>(I));
  ByteOffsets.push_back(static_cast<uint32_t>(Text.size()));
}

llvm::SMLoc SourcePositions::loc(size_t Index) const {
  size_t Byte;
  if (ByteOffsets.empty())
    Byte = std::min(Index, Text.size());
  else
    Byte = ByteOffsets[std::min(Index, ByteOffsets.size() - 1)];
  return llvm::SMLoc::getFromPointer(Text.data() + Byte);
}
