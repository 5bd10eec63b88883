//===- VerifyIql.cpp - `strata verify --iql FILE...` ----------------------===//
//
// The server's acceptance rules over IQL files: each file is split into
// statements as the server splits a program (iql::splitProgram: a line that
// starts with whitespace continues the previous statement, comments are
// skipped), every statement is parsed by iql::parseStatement, the parser the
// embedded engine runs, and checked by checkMigrationStatement, the check
// `strata verify` runs on lowered streams. Every rejected statement is
// reported as `FILE:LINE: error: ...` with the lines it spans; the server
// rejects a whole program when one statement fails to parse.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "strata/IQL/Parser.h"
#include "strata/Verify/MigrationStatement.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace strata;
using namespace strata::driver;

namespace strata::driver {
int runVerifyIql(Invocation &Inv);
}

namespace {
std::string oneLine(llvm::StringRef Text) {
  std::string S;
  for (char C : Text)
    S += C == '\n' ? std::string("\\n") : std::string(1, C);
  return S;
}

/// Why the server (or a migration) refuses Text, or empty.
std::string refusal(llvm::StringRef Text) {
  llvm::Expected<iql::Statement> S = iql::parseStatement(Text);
  if (!S)
    return llvm::toString(S.takeError());
  if (llvm::Error E = checkMigrationStatement(*S))
    return llvm::toString(std::move(E));
  return "";
}
} // namespace

int strata::driver::runVerifyIql(Invocation &Inv) {
  if (Inv.positional().empty())
    return Inv.usageError("`verify --iql` takes one or more IQL files");
  size_t Rejected = 0;
  for (const std::string &File : Inv.positional()) {
    auto Buf = llvm::MemoryBuffer::getFileOrSTDIN(File);
    if (!Buf) {
      llvm::errs() << File << ": error: cannot read: " << Buf.getError().message() << "\n";
      ++Rejected;
      continue;
    }
    llvm::StringRef Text = (*Buf)->getBuffer();
    std::vector<iql::SourceStatement> Stmts = iql::splitProgram(Text);
    size_t Bad = 0;
    for (const iql::SourceStatement &S : Stmts) {
      std::string Why = refusal(S.Text);
      if (Why.empty())
        continue;
      ++Bad;
      llvm::errs() << File << ":" << S.Line << ": error: " << Why << "; statement: `"
                   << oneLine(iql::statementSource(Text, S)) << "`\n";
    }
    if (!Bad)
      llvm::outs() << File << ": " << Stmts.size()
                   << (Stmts.size() == 1 ? " statement" : " statements") << " accepted\n";
    Rejected += Bad;
  }
  return Rejected ? ExitDiagnostics : ExitOk;
}
