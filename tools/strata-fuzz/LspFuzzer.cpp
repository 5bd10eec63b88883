//===- LspFuzzer.cpp - libFuzzer target for `strata lsp`'s input ----------===//
//
// Arbitrary bytes as the language server's standard input: framing,
// JSON-RPC, every request and notification the server handles, documents
// of any text. The server must answer or ignore everything and return; a
// crash, a sanitizer report or a timeout is a finding. Paths are confined
// to an empty temporary directory (ServerOptions::Sandbox) and nothing is
// ever written, so an input cannot reach the rest of the file system.
//
//===----------------------------------------------------------------------===//
#include "strata/LSP/Server.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include <cstddef>
#include <cstdint>

using namespace strata;

namespace {
std::string sandbox() {
  static std::string Dir = [] {
    llvm::SmallString<128> Path;
    if (llvm::sys::fs::createUniqueDirectory("strata-fuzz-lsp", Path))
      return std::string("/nonexistent-strata-fuzz-lsp");
    return Path.str().str();
  }();
  return Dir;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  lsp::StringSource Input(llvm::StringRef(reinterpret_cast<const char *>(Data), Size));
  lsp::TransportLimits Limits;
  Limits.MaxBody = 1 << 16; // the fuzzer's inputs are small; so is the skip
  lsp::MessageReader Reader(Input, Limits);
  std::string Output;
  llvm::raw_string_ostream Out(Output);
  lsp::ServerOptions Opts;
  Opts.Sandbox = sandbox();
  lsp::Server S(Out, Opts);
  S.run(Reader);
  return 0;
}
