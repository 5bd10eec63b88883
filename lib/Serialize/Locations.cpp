//===- Locations.cpp - Source ranges as (file, offset, length) ------------===//
//
// A location is written as a tag (0: none, else file number + 1), then the
// start offset and the length. Offsets survive the buffers being loaded at
// other addresses; the decoder's shift moves an item that an edit moved.
//
//===----------------------------------------------------------------------===//
#include "strata/Serialize/Serialize.h"
#include <algorithm>
#include <cstdint>

using namespace strata::serialize;

namespace {
uintptr_t address(const char *P) { return reinterpret_cast<uintptr_t>(P); }

/// Whether [Start, End] lies in Buffer, its end included (a range may end
/// just past the last byte, or be empty there).
bool holds(llvm::StringRef Buffer, uintptr_t Start, uintptr_t End) {
  uintptr_t Begin = address(Buffer.data());
  return Begin <= Start && End <= Begin + Buffer.size();
}

/// Below this many files a linear scan beats keeping an index.
constexpr size_t LinearScanFiles = 8;
} // namespace

unsigned LocationEncoder::addFile(llvm::StringRef Buffer) {
  Files.push_back(Buffer);
  ByAddress.clear(); // rebuilt on the next miss
  return static_cast<unsigned>(Files.size() - 1);
}

std::optional<size_t> LocationEncoder::find(uintptr_t Start, uintptr_t End) const {
  if (Files.size() <= LinearScanFiles) {
    for (size_t I = 0; I < Files.size(); ++I)
      if (holds(Files[I], Start, End))
        return I;
    return std::nullopt;
  }
  if (ByAddress.size() != Files.size()) {
    ByAddress.clear();
    ByAddress.reserve(Files.size());
    for (size_t I = 0; I < Files.size(); ++I)
      ByAddress.push_back({address(Files[I].data()), 0, I});
    std::sort(ByAddress.begin(), ByAddress.end(), [](const Span &A, const Span &B) {
      return A.Begin != B.Begin ? A.Begin < B.Begin : A.Index < B.Index;
    });
    uintptr_t MaxEnd = 0;
    for (Span &S : ByAddress) {
      MaxEnd = std::max(MaxEnd, S.Begin + Files[S.Index].size());
      S.MaxEnd = MaxEnd;
    }
  }
  // Candidates start at or before Start. Walking back from the latest, stop
  // once no earlier file reaches End: buffers rarely overlap, so this is
  // usually a single step.
  auto It = std::upper_bound(ByAddress.begin(), ByAddress.end(), Start,
                             [](uintptr_t S, const Span &Sp) { return S < Sp.Begin; });
  while (It != ByAddress.begin()) {
    --It;
    if (It->MaxEnd < End)
      break;
    if (holds(Files[It->Index], Start, End))
      return It->Index;
  }
  return std::nullopt;
}

void LocationEncoder::write(llvm::SMRange R, BinaryWriter &W) const {
  uintptr_t Start = address(R.Start.getPointer());
  uintptr_t End = address(R.End.getPointer());
  if (!R.isValid() || End < Start) {
    W.u64(0);
    return;
  }
  // Ranges come in runs from one file; remember the last one found.
  if (LastHit >= Files.size() || !holds(Files[LastHit], Start, End)) {
    std::optional<size_t> Found = find(Start, End);
    if (!Found) {
      W.u64(0);
      return;
    }
    LastHit = *Found;
  }
  W.u64(LastHit + 1);
  W.u64(Start - address(Files[LastHit].data()));
  W.u64(End - Start);
}

void LocationDecoder::setFile(unsigned Index, llvm::StringRef Buffer, int64_t Shift) {
  if (Index >= Files.size())
    Files.resize(size_t(Index) + 1);
  Files[Index] = {Buffer, Shift, /*Set=*/true};
}

llvm::SMRange LocationDecoder::read(BinaryReader &R) const {
  uint64_t Tag = R.u64();
  if (Tag == 0 || !R.ok())
    return {};
  uint64_t Offset = R.u64();
  uint64_t Length = R.u64();
  if (!R.ok())
    return {};
  if (Tag - 1 >= Files.size() || !Files[Tag - 1].Set) {
    R.fail();
    return {};
  }
  const File &F = Files[Tag - 1];
  // Offsets and lengths come from untrusted bytes: every step is checked
  // so that no overflow can bring a wild value back into range.
  int64_t Start;
  uint64_t Size = F.Buffer.size();
  if (Offset > uint64_t(INT64_MAX) ||
      __builtin_add_overflow(static_cast<int64_t>(Offset), F.Shift, &Start) || Start < 0 ||
      uint64_t(Start) > Size || Length > Size - uint64_t(Start)) {
    R.fail();
    return {};
  }
  const char *Begin = F.Buffer.data() + Start;
  return {llvm::SMLoc::getFromPointer(Begin), llvm::SMLoc::getFromPointer(Begin + Length)};
}
