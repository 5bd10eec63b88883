// Calls in comments do not count: run(); step();
#include "Widget.h"

std::string demo::plural(int N, const char *Noun) {
  // Nor in a comment: report();
  const char *Text = "report() in a string does not count";
  return std::to_string(N) + Noun + (N == 1 ? "" : "s") + Text;
}

namespace {
struct Counter {
  // A call through an object is not seen.
  int next(demo::Widget &W) { return W.run(), 1; }
};
} // namespace
