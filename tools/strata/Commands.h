//===- Commands.h - The subcommands of `strata` -----------------*- C++ -*-===//
#ifndef STRATA_TOOLS_COMMANDS_H
#define STRATA_TOOLS_COMMANDS_H

#include "CommandLine.h"

namespace strata::driver {

extern const CommandSpec ParseCommand;
extern const CommandSpec CheckCommand;
extern const CommandSpec FmtCommand;

} // namespace strata::driver

#endif
