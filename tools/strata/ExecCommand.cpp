//===- ExecCommand.cpp - `strata exec`: run IQL on a target ---------------===//
//
// Sends a program statement by statement, as the server's client does for a
// script, and prints every reply as that client does (or as the server's
// JSON frames). Replies that report a failure do not stop the run: the
// server does not stop either, and later statements are often the cleanup.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "TargetFlags.h"
#include "strata/Exec/Lock.h"
#include "strata/Exec/ReplyCheck.h"
#include "strata/Exec/ReplyFormat.h"
#include "strata/IQL/Names.h"
#include "strata/IQL/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace strata;
using namespace strata::driver;

namespace {

/// A target that failed mid-run (a transport error, a state file that could
/// not be saved): `strata exec: error: ...` on standard error, status 1.
int targetError(llvm::Error E) {
  llvm::outs().flush();
  llvm::errs() << "strata exec: error: " << llvm::toString(std::move(E)) << "\n";
  return ExitDiagnostics;
}

/// The program text from -e, FILE or `-` (standard input).
std::optional<std::string> programText(Invocation &Inv, int &Exit) {
  // Each -e is a program of its own; several run in order, like sed's.
  std::optional<std::string> Inline;
  for (const std::string &E : Inv.values("-e"))
    Inline = Inline ? *Inline + "\n" + E : E;
  const std::vector<std::string> &Files = Inv.positional();
  if (Inline && !Files.empty()) {
    Exit = Inv.usageError("give the program with -e or as FILE, not both");
    return std::nullopt;
  }
  if (Inline)
    return *Inline;
  if (Files.size() != 1) {
    Exit = Inv.usageError(Files.empty() ? "no program: give -e IQL, FILE, or `-` for standard input"
                                        : "only one FILE may be given");
    return std::nullopt;
  }
  auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(Files.front(), /*IsText=*/true);
  if (!Buffer) {
    Inv.diags().reportFile(DiagKind::FileUnreadable, Files.front(), Files.front(),
                           Buffer.getError().message());
    Exit = Inv.finish();
    return std::nullopt;
  }
  return (*Buffer)->getBuffer().str();
}

void printOne(const Reply &R, bool Json) {
  if (Json)
    llvm::outs() << exec::replyFrame(R) << "\n";
  else
    exec::printReply(R, llvm::outs());
}

int runExec(Invocation &Inv) {
  std::string Format = Inv.value("--format").value_or("table");
  if (Format != "table" && Format != "json")
    return Inv.usageError("`--format` must be `table` or `json`, not `" + Format + "`");
  bool Json = Format == "json", Echo = Inv.flag("--echo");
  // The name is sent inside `.kg use NAME`: anything but a plain word
  // could smuggle further commands onto the line or the next one.
  if (std::optional<std::string> Graph = Inv.value("--graph"))
    if (std::string Why = iql::graphNameProblem(*Graph); !Why.empty())
      return Inv.usageError("`--graph`: " + Why);
  int Exit = ExitOk;
  std::optional<std::string> Text = programText(Inv, Exit);
  if (!Text)
    return Exit;
  // Without a target named on the command line or in the environment the
  // target is the project's; outside a project there is none to use.
  if (!Inv.loadProject() ||
      (chooseTarget(Inv).Source == "default" &&
       !Inv.requireProject("name a target with `--target URL` or `STRATA_TARGET`")))
    return Inv.finish();
  std::unique_ptr<exec::Target> Target = openChosenTarget(Inv, Exit);
  if (!Target)
    return Exit;
  // A file: target is read, changed and written whole: two processes at
  // once would lose one's changes, so exec takes the lock migrate takes.
  // (On a server each statement stands alone; no lock fact is written.)
  llvm::Expected<exec::TargetUrl> Url = exec::parseTargetUrl(chosenTargetUrl(Inv));
  if (Url && Url->TheScheme == exec::TargetUrl::Scheme::File)
    if (llvm::Error E = Target->lock(exec::currentLockHolder(), exec::LockOptions()))
      return targetError(std::move(E));
  if (!Url)
    llvm::consumeError(Url.takeError());

  bool AnyFailed = false;
  auto Run = [&](llvm::StringRef Statement) -> llvm::Expected<Reply> {
    llvm::Expected<Reply> R = Target->execute(Statement);
    if (R && exec::replyFailure(*R))
      AnyFailed = true;
    return R;
  };
  if (std::optional<std::string> Graph = Inv.value("--graph")) {
    // Switching graphs prints nothing unless it fails.
    llvm::Expected<Reply> R = Run(".kg use " + *Graph);
    if (!R)
      return targetError(R.takeError());
    if (AnyFailed) {
      printOne(*R, Json);
      return ExitDiagnostics;
    }
  }
  // Sent as written: the server splits and joins it the same way.
  for (llvm::StringRef Statement : iql::statementSources(*Text, iql::splitProgram(*Text))) {
    if (Echo && !Json)
      llvm::outs() << "> " << Statement << "\n";
    llvm::Expected<Reply> R = Run(Statement);
    if (!R)
      return targetError(R.takeError());
    printOne(*R, Json);
  }
  if (llvm::Error E = Target->commit())
    return targetError(std::move(E));
  return AnyFailed ? ExitDiagnostics : ExitOk;
}

} // namespace

const CommandSpec strata::driver::ExecCommand = {
    "exec",
    "run IQL statements on a target and print the replies",
    "exec (-e IQL | FILE | -) [--target URL] [--format table|json] [--graph NAME] [options]",
    "Runs an IQL program on the target, one statement at a time (a line that\n"
    "starts with whitespace continues the previous statement; blank and\n"
    "comment-only lines are skipped), and prints each reply in order as the\n"
    "InputLayer client prints it: command output one message per line, query\n"
    "results as a table with an `N rows` footer or `No results.`, an error\n"
    "reply as `Error: ...`. The program is -e IQL, the file FILE, or standard\n"
    "input for `-`. A statement that fails does not stop the ones after it\n"
    "(the server does not stop either). --format json prints each reply as the\n"
    "server's JSON frame, one frame per line. --graph switches to an existing\n"
    "knowledge graph first (`.kg use NAME`). A file: target is saved after the\n"
    "last statement.\n\n"
    "exit status: 0 every reply succeeded, 1 a reply was an error or a failure\n"
    "message (`Error: ...`, `... not found`; see docs/cli.md), or the target\n"
    "could not be opened, reached or saved (the run stops there), 2 usage\n"
    "error.\n\n" STRATA_TARGET_HELP,
    concatOptions(
        {{"-e", "IQL", "a program to run (instead of FILE); repeat to run several in order"},
         {"--format", "FORMAT", "`table` (default) or `json` (one frame per line)"},
         {"--graph", "NAME", "run in knowledge graph NAME (`.kg use NAME` first)"},
         {"--echo", nullptr, "print each statement as `> STATEMENT` before its reply"}},
        targetOptions()),
    runExec,
};
