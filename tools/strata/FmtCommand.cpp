// Placeholder: replaced by the real command.
#include "Commands.h"
using namespace strata::driver;
static int run(Invocation &Inv) { return Inv.usageError("not built yet"); }
const CommandSpec strata::driver::FmtCommand = {"fmt", "(in progress)", "fmt", "", {}, run};
