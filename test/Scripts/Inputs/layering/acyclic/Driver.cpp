#include "Widget.h"

void demo::Widget::run() { step(); }
