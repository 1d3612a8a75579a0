#pragma once
// Time as a seam: the sender, pacing and back-off ask a Clock and wait with a
// Sleeper, so tests run them on a fake clock without sleeping.

#include <chrono>
#include <string>

namespace prospect_import {

class Clock {
 public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

// "45s", "12m5s", "3h20m": a duration as the log and progress line say it,
// to the nearest second; under a second but more than none is "1s".
std::string format_duration(Clock::Duration d);

// Waiting, as a seam. sleep_until returns at the deadline (at once if it has
// passed), or as soon as a stop is asked: a wait never delays a Ctrl-C.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void sleep_until(Clock::TimePoint deadline) = 0;
};

}  // namespace prospect_import
