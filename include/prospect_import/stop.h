#pragma once
// A request to stop, as signals make it (CLI.md: SIGINT 130, SIGTERM 143):
// everything that waits looks here.

#include <atomic>

namespace prospect_import {

// 0: go on; else the number of the first stop signal received.
using StopFlag = std::atomic<int>;

}  // namespace prospect_import
