// The driver calls a part, and the part calls the driver back.
#include "Widget.h"

using namespace demo;

void Widget::run() {
  step();
  helper(); // only a file-private helper has this name: no edge
}

void Widget::finishAll() {}

void demo::report() {}
