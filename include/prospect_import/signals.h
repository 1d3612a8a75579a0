#pragma once
// SIGINT and SIGTERM ask a run to stop after the requests in flight (CLI.md:
// exit 130/143); a second one ends the process at once. SIGHUP is ignored, so
// that closing a terminal loses nothing; SIGXFSZ too, so that a file size
// limit shows as a write error.

#include "prospect_import/stop.h"

namespace prospect_import {

class SignalScope {
 public:
  SignalScope();   // installs the handlers
  ~SignalScope();  // restores what was there
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

  // 0, or the number of the first stop signal received.
  const StopFlag& flag() const;
  // Becomes readable when the first stop signal arrives (for poll()), or -1.
  int wake_fd() const;
};

}  // namespace prospect_import
