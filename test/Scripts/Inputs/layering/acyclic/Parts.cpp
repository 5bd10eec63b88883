#include "Widget.h"

void demo::Widget::step() { twice(2); }

namespace {
// Private to this file: another file's run() is not this one.
void run() {}
int twice(int X) { return 2 * X; }
} // namespace
