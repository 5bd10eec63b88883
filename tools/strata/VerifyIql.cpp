//===- VerifyIql.cpp - `strata verify --iql FILE...` ----------------------===//
//
// The server's acceptance rules over IQL files: each file is split into
// statements as the server splits a program (stmt::splitProgram: a line that
// starts with whitespace continues the previous statement, comment-only
// statements are skipped) and every statement goes through
// stmt::readStatement, the validator `strata verify` runs on lowered
// streams. Every rejected statement is reported as `FILE:LINE: error: ...`;
// the server rejects a whole program when one statement fails to parse.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "strata/Verify/IqlReader.h"
#include "llvm/ADT/SmallVector.h"
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
    llvm::SmallVector<llvm::StringRef, 64> Lines;
    Text.split(Lines, '\n');
    std::vector<std::string> Stmts = stmt::splitProgram(Text);
    // Statements come in file order: find each one's first line by a
    // forward scan (splitProgram only removes common indentation).
    size_t At = 0, Bad = 0;
    for (const std::string &S : Stmts) {
      llvm::StringRef First = llvm::StringRef(S).split('\n').first.trim();
      size_t Line = At;
      while (Line < Lines.size() && Lines[Line].trim() != First)
        ++Line;
      if (Line < Lines.size())
        At = Line + 1;
      std::string Why;
      if (stmt::readStatement(S, Why))
        continue;
      ++Bad;
      llvm::errs() << File << ":" << (Line < Lines.size() ? Line + 1 : At) << ": error: "
                   << Why << "; statement: `" << oneLine(S) << "`\n";
    }
    if (!Bad)
      llvm::outs() << File << ": " << Stmts.size()
                   << (Stmts.size() == 1 ? " statement" : " statements") << " accepted\n";
    Rejected += Bad;
  }
  return Rejected ? ExitDiagnostics : ExitOk;
}
