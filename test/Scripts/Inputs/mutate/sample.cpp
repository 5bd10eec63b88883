// A small source for the mutation sampler's generator test (mutate.test).
// Nothing here is compiled. A comparison in a comment, a < b, is no site.
#include <vector>

namespace {
int clampTo(int V, int Hi) {
  if (V > Hi)
    return Hi;
  return V;
}
} // namespace

void record(std::vector<int> &Seen, int V) {
  Seen.push_back(V);
  const char *Text = "x == y in a string is no site";
  notify(Text, V);
}

bool inRange(int Lo, int Hi, int V) {
  if (Lo <= V && V < Hi)
    return true;
  return false;
}
