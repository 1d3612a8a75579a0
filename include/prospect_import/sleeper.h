#pragma once
// The real Sleeper: poll() on the stop's wake-up descriptor until the
// deadline, so that a wait of an hour for a rate limit costs no CPU and ends
// the moment SIGINT or SIGTERM arrives.

#include "prospect_import/clock.h"
#include "prospect_import/stop.h"

namespace prospect_import {

class SystemSleeper final : public Sleeper {
 public:
  // stop: null when nothing can ask for a stop; wake_fd: readable once a stop
  // is asked (SignalScope::wake_fd()), or -1.
  SystemSleeper(const StopFlag* stop, int wake_fd) : m_stop(stop), m_wake_fd(wake_fd) {}
  void sleep_until(Clock::TimePoint deadline) override;

 private:
  const StopFlag* m_stop;
  int m_wake_fd;
};

}  // namespace prospect_import
