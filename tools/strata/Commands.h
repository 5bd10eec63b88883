//===- Commands.h - The subcommands of `strata` -----------------*- C++ -*-===//
#ifndef STRATA_TOOLS_COMMANDS_H
#define STRATA_TOOLS_COMMANDS_H

#include "CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace strata::exec {
struct TargetStatus;
struct SquashOnTarget;
} // namespace strata::exec

namespace strata::driver {

extern const CommandSpec ParseCommand;
extern const CommandSpec CheckCommand;
extern const CommandSpec FmtCommand;
extern const CommandSpec MakeMigrationsCommand;
extern const CommandSpec SquashCommand;
extern const CommandSpec HashCommand;
extern const CommandSpec ShowMigrationsCommand;
extern const CommandSpec EmitCommand;
extern const CommandSpec PlanCommand;
extern const CommandSpec VerifyCommand;
extern const CommandSpec MigrateCommand;
extern const CommandSpec RevertCommand;
extern const CommandSpec ExecCommand;
extern const CommandSpec ServeCommand;
extern const CommandSpec StatusCommand;
extern const CommandSpec InitCommand;
extern const CommandSpec GraphCommand;
extern const CommandSpec ReviewCommand;
extern const CommandSpec LspCommand;

/// What `showmigrations` prints for a target: its name, then one line a
/// migration (`[X] NAME  applied TIME`, `[ ] NAME`, `[?] NAME ...`).
/// `status` prints the same after the line naming the target's source.
void printTargetText(const exec::TargetStatus &S, llvm::raw_ostream &OS);
/// Whether the target still needs U's originals, in one line.
std::string squashVerdict(const exec::SquashOnTarget &U);

/// For long-running commands: give freed memory back to the system, as
/// short-lived commands do not (Allocator.cpp).
void releaseFreedMemory();
/// Places the heap's new mappings on huge-page boundaries (Allocator.cpp).
void alignHeapToHugePages();

} // namespace strata::driver

#endif
