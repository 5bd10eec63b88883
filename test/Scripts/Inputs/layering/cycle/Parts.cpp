#include "Widget.h"

using namespace demo;

static void helper() {}

void Widget::step() {
  finishAll();
  plural(2, "step");
}
