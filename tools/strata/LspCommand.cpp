//===- LspCommand.cpp - `strata lsp`: the language server over stdio ------===//
//
// Thin driver over strata/LSP/Server.h: standard input carries the client's
// framed messages, standard output the server's and nothing else.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "strata/LSP/Server.h"
#include "llvm/Support/FileSystem.h"
#include <csignal>

using namespace strata;
using namespace strata::driver;

namespace {
std::string absolute(std::optional<std::string> Dir) {
  if (!Dir)
    return "";
  llvm::SmallString<256> Path(*Dir);
  llvm::sys::fs::make_absolute(Path);
  return Path.str().str();
}

int runLsp(Invocation &Inv) {
  if (!Inv.positional().empty())
    return Inv.usageError("`lsp` takes no arguments");
  // A client that goes away mid-reply must not kill the server with
  // SIGPIPE; the write error ends the session instead.
  std::signal(SIGPIPE, SIG_IGN);
  // A long-running process: what each keystroke's check frees goes back to
  // the system, or the server grows with every edit (as in `serve`).
  releaseFreedMemory();
  lsp::ServerOptions Opts;
  Opts.SchemaDir = absolute(Inv.value("--schema"));
  Opts.MigrationsDir = absolute(Inv.value("--migrations"));
  lsp::FdSource Input(0);
  lsp::MessageReader Reader(Input);
  lsp::Server S(llvm::outs(), Opts);
  int Status = S.run(Reader);
  llvm::outs().clear_error();
  return Status;
}
} // namespace

const CommandSpec strata::driver::LspCommand = {
    "lsp",
    "run the language server for editors (LSP over stdin/stdout)",
    "lsp [options]",
    "Speaks the Language Server Protocol (JSON-RPC 2.0 with Content-Length\n"
    "framing) on standard input and standard output, for `.strata`, `.mig`\n"
    "and `strata.toml` files. The project is found from the workspace folder\n"
    "the editor names, as the other commands find it from the working\n"
    "directory; --schema and --migrations win over strata.toml.\n"
    "\n"
    "Diagnostics are those of `strata check` for schema files (checked\n"
    "together, as you type), of `strata verify` for the migration history\n"
    "and of strata.toml's reader; fix-its are offered as quick fixes.\n"
    "Formatting is `strata fmt`'s. Hover, go to definition, find\n"
    "references, rename (adding `renamed_from`, so the next makemigrations\n"
    "keeps the data) and completion work across schema files and\n"
    "migrations. Also: document and workspace symbols, semantic tokens,\n"
    "folding ranges, and code lenses that run makemigrations (docs/lsp.md\n"
    "lists every capability).\n"
    "\n"
    "exit status of lsp: 0 after `shutdown` then `exit`; 1 when the input\n"
    "ends or `exit` arrives without `shutdown`; 2 usage error.",
    {},
    runLsp,
};
