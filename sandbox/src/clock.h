#pragma once

#include <chrono>

namespace prospect_sandbox {

// The time source of the rate limiter, so that tests can move time by hand.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::steady_clock::time_point now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
};

}  // namespace prospect_sandbox
