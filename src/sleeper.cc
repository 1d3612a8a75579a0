#include "prospect_import/sleeper.h"

#include <poll.h>

#include <algorithm>
#include <chrono>

namespace prospect_import {

void SystemSleeper::sleep_until(Clock::TimePoint deadline) {
  for (;;) {
    if (m_stop && m_stop->load() != 0) return;
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    // poll() takes an int of milliseconds: long waits go in slices of a day.
    pollfd wake{m_wake_fd, POLLIN, 0};
    int ms = static_cast<int>(std::min<long long>(left.count(), 86'400'000));
    if (::poll(&wake, m_wake_fd >= 0 ? 1 : 0, ms) > 0) return;  // a stop was asked
  }
}

}  // namespace prospect_import
