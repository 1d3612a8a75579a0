#pragma once
// Time as a seam: the sender, pacing and back-off ask a Clock, so tests run
// them on a fake clock without sleeping.

#include <chrono>

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

}  // namespace prospect_import
