//===- InterruptNotice.h - Saying where a run was when it is stopped -*- C++ -*-===//
//
// A `migrate` or `revert` stopped by SIGINT (Ctrl-C) or SIGTERM dies of the
// signal as it always did, but first says on stderr which migration and
// which step it was running, and that the next run finishes or redoes it:
// the step is named however the run is reported (docs/cli.md, "Progress").
// SIGKILL cannot be caught; the journal and `strata status` say it then.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_TOOLS_INTERRUPTNOTICE_H
#define STRATA_TOOLS_INTERRUPTNOTICE_H

#include <string>

namespace strata::driver {

/// While alive, SIGINT and SIGTERM print the place last set. One at a time.
class InterruptNotice {
public:
  InterruptNotice();
  ~InterruptNotice();
  InterruptNotice(const InterruptNotice &) = delete;
  InterruptNotice &operator=(const InterruptNotice &) = delete;

  /// Where the run is now, e.g. `applying 0002_y, step 2/6 move-to-stage
  /// of operation 1/1 (add column n.y)`; called from the run's thread.
  void set(const std::string &Where);
};

} // namespace strata::driver

#endif
