#pragma once
// A request to stop, as signals make it (CLI.md: SIGINT 130, SIGTERM 143):
// everything that waits looks here.

#include <atomic>
#include <csignal>
#include <string>
#include <string_view>

#include "prospect_import/error.h"

namespace prospect_import {

// 0: go on; else the number of the first stop signal received.
using StopFlag = std::atomic<int>;

// The error of a run stopped by the signal `sig` (SIGINT 130, SIGTERM 143),
// `what` completing "stopped by Ctrl-C (SIGINT)".
inline Error stopped_by(int sig, std::string_view what = "") {
  return sig == SIGTERM
             ? Error{ExitCode::terminated, "stopped by SIGTERM" + std::string(what)}
             : Error{ExitCode::interrupted, "stopped by Ctrl-C (SIGINT)" + std::string(what)};
}

}  // namespace prospect_import
