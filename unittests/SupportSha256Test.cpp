//===- SupportSha256Test.cpp - SHA-256 with the SHA extensions ------------===//
//
// strata::sha256 must give llvm::SHA256's digest for every input: every
// length around the block and padding boundaries, and random contents of
// larger sizes. On a processor without the SHA extensions the portable
// code is the one tested (and the extensions' code is skipped).
//
//===----------------------------------------------------------------------===//
#include "strata/Support/FileDigests.h"
#include "strata/Support/Sha256.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA256.h"
#include <gtest/gtest.h>
#include <random>

using namespace strata;

namespace {
std::string reference(llvm::StringRef Bytes) {
  return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(Bytes)), true);
}

std::string randomBytes(std::mt19937 &Rng, size_t Size) {
  std::string S(Size, '\0');
  for (char &C : S)
    C = char(Rng() & 0xff);
  return S;
}
} // namespace

TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, EveryLengthAndRandomContents) {
  std::mt19937 Rng(2026);
  std::vector<std::string> Inputs;
  for (size_t Size = 0; Size <= 300; ++Size)
    Inputs.push_back(randomBytes(Rng, Size));
  for (size_t Size : {1000u, 4095u, 4096u, 65537u, 1000003u})
    Inputs.push_back(randomBytes(Rng, Size));
  Inputs.push_back(std::string(100000, 'a'));
  for (const std::string &In : Inputs) {
    std::string Want = reference(In);
    EXPECT_EQ(llvm::toHex(sha256(In), true), Want) << In.size();
    EXPECT_EQ(sha256Hex(In), Want) << In.size();
    if (hasShaExtensions()) {
      EXPECT_EQ(llvm::toHex(sha256WithShaExtensions(In), true), Want) << In.size();
    }
  }
}
